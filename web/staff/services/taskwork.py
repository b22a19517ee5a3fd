"""Working on one task: its form, a saved draft, and completing it through the engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.service import Engine, InstanceInfo
from engine.tables import OpenTask
from forms import FormDefinition, FormRegistry
from processes.organisation import Guide
from web.staff.models import StaffUser, TaskDraft
from web.staff.services.access import Principal, may_complete
from web.staff.services.assignment import workable_task
from web.staff.services.errors import AccessDenied, NotAllowedHere

ASK_FIELD = "aanvulling_nodig"
QUESTION_FIELD = "aanvulling_vraag"


@dataclass(frozen=True)
class TaskContext:
    """Everything a task page shows: the task, its form, the case data and a saved draft."""

    task: OpenTask
    definition: FormDefinition | None
    case: InstanceInfo
    draft: dict[str, Any] | None
    draft_by: str | None
    can_complete: bool
    assignee_name: str | None


def form_of(registry: FormRegistry, task: OpenTask) -> FormDefinition | None:
    return registry.get(task.form_id) if task.form_id else None


def load_task(engine: Engine, registry: FormRegistry, principal: Principal, task_id: str) -> TaskContext:
    with engine.db.transaction() as session:
        task = workable_task(session, principal, task_id)
        draft = session.scalar(select(TaskDraft).where(TaskDraft.task_id == task.task_id))
        saved = (dict(draft.data), draft.saved_by) if draft is not None else (None, None)
        assignee_name = display_name(session, task.assignee)
    case = engine.instance(task.instance_id)
    return TaskContext(task, form_of(registry, task), case, saved[0], saved[1], may_complete(principal, task),
                       assignee_name)


def display_name(session: Session, assignee: str | None) -> str | None:
    """The name of a colleague or guide behind an assignee e-mail (else the assignee itself)."""
    if not assignee:
        return None
    key = assignee.strip().lower()
    user = session.scalar(select(StaffUser.name).where(StaffUser.email == key))
    guide = None if user else session.scalar(select(Guide.name).where(func.lower(Guide.email) == key))
    return user or guide or assignee


def save_draft(session: Session, principal: Principal, task_id: str, values: dict[str, Any]) -> TaskDraft:
    task = workable_task(session, principal, task_id)
    if not may_complete(principal, task):
        raise AccessDenied(task_id)
    draft = session.scalar(select(TaskDraft).where(TaskDraft.task_id == task.task_id))
    if draft is None:
        draft = TaskDraft(task_id=task.task_id, instance_id=task.instance_id, data={}, saved_by="",
                          saved_at=clock.now())
        session.add(draft)
    draft.data = dict(values)
    draft.saved_by = principal.email
    draft.saved_at = clock.now()
    session.flush()
    return draft


def complete(engine: Engine, principal: Principal, task_id: str, values: dict[str, Any]) -> InstanceInfo:
    """Complete the task with the (cleaned) answers. A colleague who was first gets
    ``TaskAlreadyCompleted`` from the engine; the caller shows the conflict page."""
    with engine.db.transaction() as session:
        task = workable_task(session, principal, task_id)
        if not may_complete(principal, task):
            raise AccessDenied(task_id)
        instance_id = task.instance_id
    info = engine.complete_task(instance_id, task_id, values, actor=principal.email)
    with engine.db.transaction() as session:
        session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
    return info


def can_ask_information(definition: FormDefinition | None) -> bool:
    """Whether the task's form offers "ask the initiator for more information" (which starts
    the diagrams' aanvulling path)."""
    return definition is not None and ASK_FIELD in definition.fields and QUESTION_FIELD in definition.fields


def ask_information(engine: Engine, registry: FormRegistry, principal: Principal, task_id: str,
                    question: str) -> InstanceInfo:
    """Complete the handling task with "more information needed" and the question: the
    diagram then starts the aanvulling subprocess (mail, wait, reminder, withdrawal)."""
    text = question.strip()
    if not text:
        raise NotAllowedHere("empty_question")
    with engine.db.transaction() as session:
        task = workable_task(session, principal, task_id)
    if not can_ask_information(form_of(registry, task)):
        raise NotAllowedHere("no_question_on_form")
    return complete(engine, principal, task_id, {ASK_FIELD: True, QUESTION_FIELD: text[:2000]})
