""""Mijn initiatieven": what an initiator may see of their own cases and what they can do.

Every function takes the logged-in initiator's e-mail and only ever returns that initiator's
cases, files and messages; anything else is ``NotFound`` (never "forbidden": a stranger must
not even learn that a case number exists)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import TaskNotFoundException
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.errors import EngineError, NotFound
from engine.service import Engine, InstanceInfo
from engine.tables import ProcessInstance
from engine.task_tree import boundary_timers, timer_due
from web.casefile.documents import Upload, store_document
from web.casefile.messages import post_message
from web.casefile.models import CaseMessage, Document
from web.public.services import PROCESS_ID

INITIATOR_GROUP = "initiatiefnemer"
# Where a staff form puts the question for the initiator (see forms/definitions/*.json).
QUESTION_FIELD = "aanvulling_vraag"
# Files of a case the initiator may download besides their own uploads: start-form attachments
# (also when staff registered on their behalf), answers, and what staff share with them.
SHARED_PURPOSES = ("bijlage", "aanvulling", "voor_initiatiefnemer")


def _own(email: str) -> Any:
    return (ProcessInstance.initiator == email.strip().lower()) & (ProcessInstance.process_id == PROCESS_ID)


def my_cases(session: Session, email: str) -> list[ProcessInstance]:
    query = select(ProcessInstance).where(_own(email)).order_by(ProcessInstance.created_at.desc(),
                                                                ProcessInstance.id.desc())
    return list(session.scalars(query).all())


def own_case(session: Session, email: str, case_ref: str) -> ProcessInstance:
    case = session.scalar(select(ProcessInstance).where(_own(email), ProcessInstance.case_ref == case_ref))
    if case is None:
        raise NotFound("Dit initiatief bestaat niet of is niet van u.")
    return case


@dataclass(frozen=True)
class Action:
    """Something the process asks of the initiator now: a message to answer or a task."""

    kind: str  # "message" | "task"
    key: str  # message name | task id
    task_id: str
    form_id: str
    question: str | None
    deadline: datetime | None


def actions_of(engine: Engine, case: ProcessInstance) -> list[Action]:
    if case.state != "running":
        return []
    found: list[Action] = []
    for waiting in engine.waiting_messages(case.id):
        if waiting.form_id:
            question = waiting.data.get(QUESTION_FIELD)
            found.append(Action("message", waiting.message, waiting.task_id, waiting.form_id,
                                str(question) if question else None, None))
    email = (case.initiator or "").lower()
    for task in engine.open_tasks(instance_id=case.id, candidate_groups=[INITIATOR_GROUP]):
        if task.form_id and (not task.assignee or task.assignee.lower() == email):
            found.append(Action("task", task.task_id, task.task_id, task.form_id, None, task.due_at))
    if found:
        found = _with_deadlines(engine.load_workflow(case.id), found)
    return found


def _with_deadlines(workflow: BpmnWorkflow, actions: list[Action]) -> list[Action]:
    """The deadline of each action: the latest interrupting timer attached to its task."""
    result = []
    for action in actions:
        try:
            task = workflow.get_task_from_id(UUID(action.task_id))
        except (TaskNotFoundException, ValueError):
            result.append(action)
            continue
        dues = [due for timer in boundary_timers(task)
                if getattr(timer.task_spec, "cancel_activity", False) and (due := timer_due(timer)) is not None]
        deadline = max(dues) if dues else action.deadline
        result.append(Action(action.kind, action.key, action.task_id, action.form_id, action.question, deadline))
    return result


def find_action(engine: Engine, case: ProcessInstance, kind: str, key: str) -> Action:
    for action in actions_of(engine, case):
        if action.kind == kind and action.key == key:
            return action
    raise NotFound("Hier wordt (nu) niets van u gevraagd.")


def answered_before(engine: Engine, case: ProcessInstance, kind: str, key: str) -> bool:
    """Whether the initiator already answered this action of their own case (a second click,
    an old tab) — as opposed to an action that never was theirs."""
    for event in engine.audit_trail(case.id):
        if event.actor != case.initiator:
            continue
        if kind == "task" and event.kind == "task_completed" and event.task_id == key:
            return True
        if kind == "message" and event.kind == "message" and (event.detail or {}).get("message") == key:
            return True
    return False


def expected_date(engine: Engine, case: ProcessInstance) -> datetime | None:
    """When the municipality expects to finish its current step (its open tasks' norms)."""
    if case.state != "running":
        return None
    dues = [task.due_at for task in engine.open_tasks(instance_id=case.id)
            if task.candidate_group != INITIATOR_GROUP and task.due_at is not None]
    return max(dues) if dues else None


@dataclass(frozen=True)
class StatusEntry:
    at: datetime
    text: str
    text_en: str | None

    def in_language(self, lang: str) -> str:
        return (self.text_en or self.text) if lang == "en" else self.text


def status_history(engine: Engine, case: ProcessInstance) -> list[StatusEntry]:
    entries = []
    for event in engine.audit_trail(case.id):
        detail = event.detail or {}
        if event.kind == "status" and detail.get("text"):
            text_en = detail.get("text_en")
            entries.append(StatusEntry(event.at, str(detail["text"]), str(text_en) if text_en else None))
    return entries


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None


def contact_of(data: Mapping[str, Any]) -> Contact | None:
    """The guide (begeleider) once one is coupled (``assign_guide`` in processes/guides.py)."""
    info = data.get("begeleider_info")
    if isinstance(info, dict) and info.get("assigned") and info.get("naam"):
        return Contact(str(info["naam"]), str(info["email"]) if info.get("email") else None)
    return None


@dataclass(frozen=True)
class CategoryReason:
    category: str
    proposed: str | None
    rule: str | None
    explanation: str | None
    confirmed: bool = False

    @property
    def changed_by_staff(self) -> bool:
        return self.proposed is not None and self.proposed != self.category


def category_of(data: Mapping[str, Any]) -> CategoryReason | None:
    """The category and why: the decision table's rule (``categorie_regel``, ``categorie_uitleg``)."""
    proposed = data.get("categorie_voorstel")
    category = data.get("categorie") or proposed
    if not category:
        return None
    rule, explanation = data.get("categorie_regel"), data.get("categorie_uitleg")
    return CategoryReason(str(category), str(proposed) if proposed else None, str(rule) if rule else None,
                          str(explanation) if explanation else None, confirmed=bool(data.get("categorie")))


@dataclass(frozen=True)
class Outcome:
    """The decision on the initiative, as the handling step wrote it (``uitkomst`` and its
    ``uitkomst_toelichting``: the agreements, or the reason for a rejection)."""

    result: str
    explanation: str | None


def outcome_of(data: Mapping[str, Any]) -> Outcome | None:
    result = data.get("uitkomst")
    if not result:
        return None
    explanation = data.get("uitkomst_toelichting")
    return Outcome(str(result), str(explanation) if explanation else None)


def visible_documents(session: Session, case: ProcessInstance) -> list[Document]:
    return list(session.scalars(_visible(case).order_by(Document.uploaded_at, Document.id)).all())


def _visible(case: ProcessInstance) -> Any:
    return select(Document).where(
        Document.instance_id == case.id,
        or_(Document.uploaded_by == (case.initiator or ""), Document.purpose.in_(SHARED_PURPOSES)),
    )


def own_document(session: Session, case: ProcessInstance, public_id: str) -> Document:
    document = session.scalar(_visible(case).where(Document.public_id == public_id))
    if document is None:
        raise NotFound("Dit document bestaat niet of is niet van u.")
    return document


def messages_of(session: Session, case: ProcessInstance) -> list[CaseMessage]:
    query = select(CaseMessage).where(CaseMessage.instance_id == case.id)
    return list(session.scalars(query.order_by(CaseMessage.created_at, CaseMessage.id)).all())


def send_message(engine: Engine, case: ProcessInstance, email: str, body: str) -> CaseMessage:
    with engine.db.transaction() as session:
        return post_message(session, case.id, author=email, body=body, from_initiator=True)


def answer(
    engine: Engine, case: ProcessInstance, email: str, action: Action, values: dict[str, Any],
    uploads: Mapping[str, list[Upload]],
) -> InstanceInfo:
    """Deliver the answer (message) or complete the task, with the uploaded files attached.

    Files are stored first (the answer refers to them); if the engine refuses the answer,
    they are removed again, so a failed answer leaves nothing behind."""
    values = dict(values)
    stored: list[str] = []
    with engine.db.transaction() as session:
        for field, files in uploads.items():
            ids = [store_document(session, upload, uploaded_by=email, instance_id=case.id,
                                  purpose="aanvulling").public_id for upload in files]
            if ids:
                values[field] = ids
                stored += ids
    try:
        if action.kind == "message":
            return engine.deliver_message(case.id, action.key, values, actor=email)
        return engine.complete_task(case.id, action.key, values, actor=email)
    except EngineError:
        if stored:
            with engine.db.transaction() as session:
                for document in session.scalars(select(Document).where(Document.public_id.in_(stored))).all():
                    session.delete(document)
        raise
