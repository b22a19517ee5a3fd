""""Mijn initiatieven": what an initiator may see of their own cases and what they can do.

Every use case takes the logged-in initiator's e-mail and only ever returns that initiator's
cases, files and messages; anything else is ``NotFound`` (never "forbidden": a stranger must
not even learn that a case number exists)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import AuditEvent, EngineError, InstanceInfo, NotFound, OpenTask, ProcessInstance
from forms import FormDefinition
from processes.case_status import (
    CategoryReason,
    Contact,
    Outcome,
    StatusEntry,
    category_of,
    contact_of,
    outcome_of,
    status_history,
)
from processes.documents import Upload, store_document
from processes.intake import with_organisation_choices
from processes.loket import Loket
from processes.messages import post_message
from processes.notifications import answer_returned, initiator_wrote
from processes.tables.case import CaseMessage, Document
from processes.vocabulary import INITIATIVE_PROCESS, INITIATOR_GROUP

# Where a staff form puts the question for the initiator (see bpmn_models/forms/*.json).
QUESTION_FIELD = "aanvulling_vraag"
# Files of a case the initiator may download besides their own uploads: start-form attachments
# (also when staff registered on their behalf), answers, and what staff share with them.
SHARED_PURPOSES = ("bijlage", "aanvulling", "voor_initiatiefnemer")
ANSWER_PURPOSE = "aanvulling"


class AlreadyAnswered(NotFound):
    """The initiator answered this action of their own case before (a second click, an old tab)."""


def _own(email: str) -> Any:
    return (ProcessInstance.initiator == email.strip().lower()) & (ProcessInstance.process_id == INITIATIVE_PROCESS)


def _own_case(session: Session, email: str, case_ref: str) -> ProcessInstance:
    case = session.scalar(select(ProcessInstance).where(_own(email), ProcessInstance.case_ref == case_ref[:40]))
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
    instance_id: int
    """The case: its own bundle has the form."""
    text: dict[str, str] = field(default_factory=dict)
    """What the diagram tells the initiator with this answer form (language → text): the case
    fields ``<formId>_tekst`` and ``<formId>_tekst_en``, e.g. the proposed moment of a meeting."""

    def text_in(self, lang: str) -> tuple[str, str] | None:
        """The text in ``lang`` (or Dutch when there is none), with the language it is in."""
        if self.text.get(lang):
            return self.text[lang], lang
        return (self.text["nl"], "nl") if self.text.get("nl") else None


def _actions(loket: Loket, case: ProcessInstance, tasks: list[OpenTask]) -> list[Action]:
    """What the process asks of the initiator now; ``tasks`` are the case's open tasks."""
    if case.state != "running":
        return []
    found: list[Action] = []
    for waiting in loket.engine.waiting_messages(case.id):
        if waiting.form_id:
            question = waiting.data.get(QUESTION_FIELD)
            text = {lang: str(value) for lang, suffix in (("nl", ""), ("en", "_en"))
                    if (value := waiting.data.get(f"{waiting.form_id}_tekst{suffix}"))}
            shown = None if text or not question else str(question)  # an older question is not this one's
            found.append(Action("message", waiting.message, waiting.task_id, waiting.form_id, shown, None, case.id,
                                text))
    email = (case.initiator or "").lower()
    for task in tasks:
        if (task.candidate_group == INITIATOR_GROUP and task.form_id
                and (not task.assignee or task.assignee.lower() == email)):
            found.append(Action("task", task.task_id, task.task_id, task.form_id, None, task.due_at, case.id))
    if not found:
        return found
    deadlines = loket.engine.task_deadlines(case.id, [action.task_id for action in found])
    return [replace(action, deadline=deadlines.get(action.task_id, action.deadline)) for action in found]


def _open_tasks(session: Session, instance_id: int) -> list[OpenTask]:
    query = select(OpenTask).where(OpenTask.instance_id == instance_id).order_by(OpenTask.created_at)
    return list(session.scalars(query).all())


@dataclass(frozen=True)
class CaseRow:
    case: ProcessInstance
    actions: int


def my_cases(loket: Loket, email: str) -> list[CaseRow]:
    """The initiator's initiatives, newest first, each with how many things are asked of them."""
    with loket.reading() as session:
        query = select(ProcessInstance).where(_own(email)).order_by(ProcessInstance.created_at.desc(),
                                                                    ProcessInstance.id.desc())
        cases = [(case, _open_tasks(session, case.id)) for case in session.scalars(query).all()]
    return [CaseRow(case, len(_actions(loket, case, tasks))) for case, tasks in cases]


@dataclass(frozen=True)
class CasePage:
    """Everything the page of one initiative shows."""

    case: ProcessInstance
    data: dict[str, Any]
    actions: list[Action]
    expected: datetime | None
    history: list[StatusEntry]
    category: CategoryReason | None
    outcome: Outcome | None
    contact: Contact | None
    documents: list[Document]
    messages: list[CaseMessage]
    start_form: FormDefinition
    follow_ups: list[Action] = field(default_factory=list)
    """What the process asks once the decision is there (the satisfaction survey): optional,
    shown apart so it never takes the decision's place."""


def case_page(loket: Loket, email: str, case_ref: str) -> CasePage:
    with loket.reading() as session:
        case = _own_case(session, email, case_ref)
        form = loket.case_start_form(session, case.model_version_id)
        tasks = _open_tasks(session, case.id)
        audit = list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == case.id)
                                     .order_by(AuditEvent.id)).all())
        documents = list(session.scalars(visible_documents(case).order_by(Document.uploaded_at, Document.id)).all())
        messages = list(session.scalars(select(CaseMessage).where(CaseMessage.instance_id == case.id)
                                        .order_by(CaseMessage.created_at, CaseMessage.id)).all())
        form = with_organisation_choices(form, session)
    data = dict(case.case_data or {})
    outcome = outcome_of(data)
    actions = _actions(loket, case, tasks)
    follow_ups = actions if outcome is not None else []
    return CasePage(case, data, [] if follow_ups else actions, _expected_date(case, tasks), status_history(audit),
                    category_of(data), outcome, contact_of(data), documents, messages, form, follow_ups)


def _expected_date(case: ProcessInstance, tasks: list[OpenTask]) -> datetime | None:
    """When the municipality expects to finish its current step (its open tasks' norms)."""
    if case.state != "running":
        return None
    dues = [task.due_at for task in tasks if task.candidate_group != INITIATOR_GROUP and task.due_at is not None]
    return max(dues) if dues else None


def action_to_answer(loket: Loket, email: str, case_ref: str, kind: str, key: str) -> Action:
    """What the process asks now under ``kind``/``key``. AlreadyAnswered when the initiator
    answered it before; NotFound when it never was theirs."""
    with loket.reading() as session:
        case = _own_case(session, email, case_ref)
        tasks = _open_tasks(session, case.id)
        answered = _answered_before(session, case, kind, key)
    for action in _actions(loket, case, tasks):
        if action.kind == kind and action.key == key:
            return action
    if answered:
        raise AlreadyAnswered("Dit was al beantwoord of is niet meer nodig.")
    raise NotFound("Hier wordt (nu) niets van u gevraagd.")


def _answered_before(session: Session, case: ProcessInstance, kind: str, key: str) -> bool:
    events = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == case.id,
                                                      AuditEvent.actor == (case.initiator or ""))).all()
    for event in events:
        if kind == "task" and event.kind == "task_completed" and event.task_id == key:
            return True
        if kind == "message" and event.kind == "message" and (event.detail or {}).get("message") == key:
            return True
    return False


def answer(
    loket: Loket, email: str, case_ref: str, action: Action, values: dict[str, Any],
    uploads: Mapping[str, list[Upload]],
) -> InstanceInfo:
    """Deliver the answer (message) or complete the task, with the uploaded files attached.

    Files are stored first (the answer refers to them); if the engine refuses the answer,
    they are removed again, so a failed answer leaves nothing behind."""
    values = dict(values)
    stored: list[str] = []
    with loket.transaction() as session:
        case = _own_case(session, email, case_ref)
        instance_id = case.id
        for field, files in uploads.items():
            ids = [store_document(session, upload, uploaded_by=email, instance_id=case.id,
                                  purpose=ANSWER_PURPOSE).public_id for upload in files]
            if ids:
                values[field] = ids
                stored += ids
    try:
        if action.kind == "message":
            info = loket.engine.deliver_message(instance_id, action.key, values, actor=email)
        else:
            return loket.engine.complete_task(instance_id, action.key, values, actor=email)
    except EngineError:
        if stored:
            with loket.transaction() as session:
                for document in session.scalars(select(Document).where(Document.public_id.in_(stored))).all():
                    session.delete(document)
        raise
    if action.question:
        # The answer is stored; the task that asked goes back to whoever asked (a unit of work
        # of its own: should it fail, the task waits in its team's queue as before).
        answer_returned(loket, instance_id)
    return info


def send_message(loket: Loket, email: str, case_ref: str, body: str) -> CaseMessage:
    """A message from the initiator in the case's thread (MessageRejected when empty or too long)."""
    with loket.transaction() as session:
        case = _own_case(session, email, case_ref)
        message = post_message(session, case.id, author=email, body=body, from_initiator=True)
        initiator_wrote(session, case.id)
        return message


def visible_documents(case: ProcessInstance) -> Any:
    """The files of the case its initiator may see: their own uploads and what is shared with them."""
    return select(Document).where(
        Document.instance_id == case.id,
        or_(Document.uploaded_by == (case.initiator or ""), Document.purpose.in_(SHARED_PURPOSES)),
    )


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    content_type: str


def document(loket: Loket, email: str, case_ref: str, public_id: str) -> Download:
    """A file of the initiator's own case that they may see."""
    with loket.reading() as session:
        case = _own_case(session, email, case_ref)
        found = session.scalar(visible_documents(case).where(Document.public_id == public_id[:36],
                                                    Document.removed_at.is_(None)))
        if found is None:
            raise NotFound("Dit document bestaat niet of is niet van u.")
        return Download(found.content, found.filename, found.content_type)
