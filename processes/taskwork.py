"""Working on one task: its page (form, case data, a saved draft, colleagues to hand it to),
saving a draft, and completing it through the engine. Claiming, releasing and handing over:
:mod:`processes.assignment`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from engine import InstanceInfo, OpenTask
from forms import FormDefinition
from processes import clock
from processes.access import Principal, may_complete, task_groups
from processes.assignment import workable_task
from processes.balances import Balance, task_balances
from processes.errors import AccessDenied, InvalidInput, NotAllowedHere
from processes.intake import with_organisation_choices
from processes.loket import Loket
from processes.tables.organisation import Guide
from processes.tables.staff import StaffUser, TaskDraft, TeamMembership

ASK_FIELD = "aanvulling_nodig"
QUESTION_FIELD = "aanvulling_vraag"


@dataclass(frozen=True)
class Colleague:
    id: int
    name: str


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
    colleagues: tuple[Colleague, ...] = ()
    """Colleagues in the task's team this user can hand it to."""
    balances: tuple[Balance, ...] = ()
    """The budgets the task's decision spends from, as they are now."""


def load_task(loket: Loket, principal: Principal, task_id: str) -> TaskContext:
    """One unit of work; the form as the case's own model version has it (kept per version)."""
    with loket.reading() as session:
        task = workable_task(session, principal, task_id)
        case = loket.engine.instance(task.instance_id, within=session)
        definition = loket.version_forms(session, case.model_version_id).get(task.form_id) if task.form_id else None
        draft = session.scalar(select(TaskDraft).where(TaskDraft.task_id == task.task_id))
        saved = (dict(draft.data), draft.saved_by) if draft is not None else (None, None)
        assignee_name = display_name(session, task.assignee)
        colleagues = tuple(colleague_choices(session, task_groups(task.candidate_group), exclude=principal.email))
        if definition is not None:
            definition = with_organisation_choices(definition, session)
        balances = task_balances(session, task.case_ref, definition, dict(case.data or {}))
    return TaskContext(task, definition, case, saved[0], saved[1], may_complete(principal, task), assignee_name,
                       colleagues, balances)


def colleague_choices(session: Session, groups: Iterable[str], *, exclude: str | None = None) -> list[Colleague]:
    """What :func:`processes.accounts.colleagues_for` finds, only the columns the page shows
    (loading accounts would also load their roles and teams)."""
    wanted = sorted(set(groups))
    if not wanted:
        return []
    query = (
        select(StaffUser.id, StaffUser.name, StaffUser.email)
        .join(TeamMembership, TeamMembership.user_id == StaffUser.id)
        .where(TeamMembership.team_code.in_(wanted), StaffUser.active.is_(True))
        .order_by(StaffUser.name)
        .distinct()
    )
    return [Colleague(user_id, name) for user_id, name, email in session.execute(query) if email != exclude]


def display_name(session: Session, assignee: str | None) -> str | None:
    """The name of a colleague or guide behind an assignee e-mail (else the assignee itself)."""
    if not assignee:
        return None
    key = assignee.strip().lower()
    user = session.scalar(select(StaffUser.name).where(StaffUser.email == key))
    guide = None if user else session.scalar(select(Guide.name).where(func.lower(Guide.email) == key))
    return user or guide or assignee


def save_draft(loket: Loket, principal: Principal, task_id: str, values: dict[str, Any]) -> None:
    """Keep the answers so far; the task stays open (one draft per task, the last one wins)."""
    with loket.transaction() as session:
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


def complete(loket: Loket, principal: Principal, task_id: str, values: dict[str, Any]) -> InstanceInfo:
    """Complete the task with the (cleaned) answers. A colleague who was first gets
    ``TaskAlreadyCompleted`` from the engine; the caller shows the conflict page."""
    with loket.reading() as session:
        task = workable_task(session, principal, task_id)
        if not may_complete(principal, task):
            raise AccessDenied(task_id)
        instance_id = task.instance_id
    info = loket.engine.complete_task(instance_id, task_id, values, actor=principal.email)
    with loket.transaction() as session:
        session.execute(delete(TaskDraft).where(TaskDraft.task_id == task_id))
    return info


def can_ask_information(definition: FormDefinition | None) -> bool:
    """Whether the task's form offers "ask the initiator for more information" (which starts
    the diagrams' aanvulling path)."""
    return definition is not None and ASK_FIELD in definition.fields and QUESTION_FIELD in definition.fields


def ask_information(loket: Loket, principal: Principal, task_id: str, question: str) -> InstanceInfo:
    """Complete the handling task with "more information needed" and the question: the
    diagram then starts the aanvulling subprocess (mail, wait, reminder, withdrawal)."""
    text = question.strip()
    if not text:
        raise InvalidInput({"vraag": "empty_question"})
    with loket.reading() as session:
        task = workable_task(session, principal, task_id)
    if not can_ask_information(loket.case_form(task.instance_id, task.form_id) if task.form_id else None):
        raise NotAllowedHere("no_question_on_form")
    return complete(loket, principal, task_id, {ASK_FIELD: True, QUESTION_FIELD: text[:2000]})
