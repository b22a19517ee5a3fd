"""All an initiator's data, for the download in "Mijn initiatieven" (AVG right of access).

Only the logged-in initiator's own data: their e-mail address (the account), the start forms
they saved to finish later, and every initiative linked to their address with its answers
(the start form and every later answer), the status history, the category and the decision,
the messages and the list of files they may download. Nothing of another initiator, and no
internal notes of staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import AuditEvent, ProcessInstance
from forms import Field, FormDefinition
from processes import clock
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
from processes.errors import StartUnavailable
from processes.loket import Loket
from processes.portal import visible_documents
from processes.portal_login import normalise_email
from processes.tables.case import CaseMessage, Document
from processes.tables.portal import FormDraft
from processes.vocabulary import INITIATIVE_PROCESS


@dataclass(frozen=True)
class LaterAnswer:
    """What the initiator answered after sending the start form (more information, the
    invitation, the survey): when, and the answer per question."""

    at: datetime
    values: dict[str, Any]


@dataclass(frozen=True)
class InitiativeData:
    case: ProcessInstance
    data: dict[str, Any]
    start_form: FormDefinition | None
    questions: dict[str, Field]
    """Every question of the case's forms by its name (to label the later answers)."""
    history: list[StatusEntry]
    later_answers: list[LaterAnswer]
    category: CategoryReason | None
    outcome: Outcome | None
    contact: Contact | None
    messages: list[CaseMessage]
    documents: list[Document]


@dataclass(frozen=True)
class SavedDraft:
    """A start form saved to finish later (kept until it expires)."""

    form_id: str
    data: dict[str, Any]
    saved_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class MyData:
    email: str
    exported_at: datetime
    initiatives: list[InitiativeData] = field(default_factory=list)
    drafts: list[SavedDraft] = field(default_factory=list)


def _later_answers(events: list[AuditEvent], email: str) -> list[LaterAnswer]:
    found = []
    for event in events:
        if (event.actor or "").lower() != email:
            continue
        detail = event.detail or {}
        payload, changes = detail.get("payload"), detail.get("changes")
        if event.kind == "message" and isinstance(payload, dict):
            values = dict(payload)
        elif event.kind == "task_completed" and isinstance(changes, dict):
            values = {key: change.get("new") for key, change in changes.items() if isinstance(change, dict)}
        else:
            continue
        if values:
            found.append(LaterAnswer(event.at, values))
    return found


def _start_form(loket: Loket, session: Session, case: ProcessInstance) -> FormDefinition | None:
    try:
        return loket.case_start_form(session, case.model_version_id)
    except StartUnavailable:
        return None


def _initiative(loket: Loket, session: Session, case: ProcessInstance, email: str) -> InitiativeData:
    """Read in the caller's unit of work; the questions are added after it (:func:`_with_questions`)."""
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == case.id)
                                  .order_by(AuditEvent.id)).all())
    messages = list(session.scalars(select(CaseMessage).where(CaseMessage.instance_id == case.id)
                                    .order_by(CaseMessage.created_at, CaseMessage.id)).all())
    documents = list(session.scalars(visible_documents(case).order_by(Document.uploaded_at, Document.id)).all())
    data = dict(case.case_data or {})
    return InitiativeData(case, data, _start_form(loket, session, case), {}, status_history(events),
                          _later_answers(events, email), category_of(data), outcome_of(data), contact_of(data),
                          messages, documents)


def _with_questions(loket: Loket, item: InitiativeData) -> InitiativeData:
    """The questions of the case's own forms (read from the engine's catalog: outside a unit of work)."""
    forms = loket.case_forms(item.case.id).definitions()
    return replace(item, questions={field.name: field for form in forms for field in form.fields.values()})


def my_data(loket: Loket, email: str) -> MyData:
    """Everything of the initiator with this (logged-in) address, newest initiative first."""
    address = normalise_email(email)
    with loket.reading() as session:
        cases = session.scalars(select(ProcessInstance).where(
            ProcessInstance.initiator == address, ProcessInstance.process_id == INITIATIVE_PROCESS)
            .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())).all()
        initiatives = [_initiative(loket, session, case, address) for case in cases]
        drafts = [SavedDraft(draft.form_id, dict(draft.data or {}), draft.updated_at, draft.expires_at)
                  for draft in session.scalars(select(FormDraft).where(FormDraft.email == address)
                                               .order_by(FormDraft.updated_at)).all()]
    return MyData(address, clock.now(), [_with_questions(loket, item) for item in initiatives], drafts)
