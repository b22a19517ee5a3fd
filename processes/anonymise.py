"""Applying the retention policy (:mod:`processes.retention`) to closed initiatives: ``loket
privacy apply`` and the worker once a day.

Two steps, each on its own term counted from the day the initiative was closed (its last step):

- the attachments: their content is deleted; the row (name, type, date) stays;
- the personal data: the initiator's name, e-mail address, phone number, address and every free
  text (answers, messages, contact moments, notes; see :mod:`processes.personal_data`) are
  replaced by a marker in the case data, the stored workflow, the audit trail, the outbox, the
  messages and contact moments and the file names; the case is no longer linked to the
  initiator's "Mijn initiatieven"; the attachments go too.

The figures stay (category, district, dates, amounts, decision), so the monitoring still counts
the case. Each case is done in a unit of work of its own, with an audit entry that says which
kinds of data went (never the data). A case already done is never done again (idempotent), and
one call handles at most ``batch`` cases per step.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, false, or_, select
from sqlalchemy.orm import Session

from engine import AuditEvent, ProcessInstance, record_audit, redact_instance
from processes import clock
from processes.loket import Loket
from processes.personal_data import FREE_TEXT, MARKER, FieldRules, Scrubber
from processes.retention import Policy, months_before, policies, uncategorised
from processes.tables.case import CaseMessage, Document
from processes.tables.staff import ContactMoment, TaskDraft
from processes.vocabulary import CATEGORIES, INITIATIVE_PROCESS

ANONYMISED = "privacy_anonymised"
ATTACHMENTS_REMOVED = "privacy_attachments_removed"
"""The audit kinds of the two steps."""
ACTOR = "systeem"
BATCH = 100
CLOSED = ("completed", "cancelled")
CATEGORY = ProcessInstance.case_data["categorie"].as_string()
log = logging.getLogger(__name__)


@dataclass
class RetentionRun:
    """What one call did: the references of the cases whose data or attachments went."""

    anonymised: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    documents: int = 0
    failed: list[int] = field(default_factory=list)
    """Cases that could not be done (logged; tried again the next time)."""

    @property
    def done(self) -> int:
        return len(self.anonymised) + len(self.attachments)


# which cases ---------------------------------------------------------------------------------
def _due(found: Mapping[str, Policy], now: datetime, months: str) -> ColumnElement[bool]:
    """Closed initiatives whose term (``anonymise_months`` or ``attachments_months``) has passed."""
    closed_before = [(category, months_before(now, getattr(policy, months))) for category, policy in found.items()]
    other = months_before(now, getattr(uncategorised(found), months))
    conditions = [and_(CATEGORY == category, ProcessInstance.updated_at < cutoff) for category, cutoff in closed_before]
    conditions.append(and_(or_(CATEGORY.is_(None), CATEGORY.not_in(CATEGORIES)), ProcessInstance.updated_at < other))
    return and_(ProcessInstance.process_id == INITIATIVE_PROCESS, ProcessInstance.state.in_(CLOSED),
                or_(*conditions) if conditions else false())


def _done(kind: str) -> ColumnElement[bool]:
    return exists(select(AuditEvent.id).where(AuditEvent.instance_id == ProcessInstance.id, AuditEvent.kind == kind))


def _with_files() -> ColumnElement[bool]:
    return exists(select(Document.id).where(Document.instance_id == ProcessInstance.id, Document.removed_at.is_(None)))


def _candidates(session: Session, condition: ColumnElement[bool], batch: int) -> list[tuple[int, str | None]]:
    query = (select(ProcessInstance.id, CATEGORY).where(condition)
             .order_by(ProcessInstance.updated_at, ProcessInstance.id).limit(batch))
    return [(instance_id, category) for instance_id, category in session.execute(query).all()]


def _policy_of(found: Mapping[str, Policy], category: str | None) -> Policy:
    return found.get(category or "") or uncategorised(found)


# one case ------------------------------------------------------------------------------------
def remove_attachments(session: Session, instance_id: int, months: int) -> int:
    """Delete the content of every attachment of the case still there; an audit entry when any went."""
    documents = session.scalars(select(Document).where(Document.instance_id == instance_id,
                                                       Document.removed_at.is_(None))).all()
    now = clock.now()
    for document in documents:
        document.content, document.size, document.sha256, document.removed_at = b"", 0, "", now
    if documents:
        record_audit(session, instance_id, actor=ACTOR, kind=ATTACHMENTS_REMOVED,
                     detail={"removed": ["attachments"], "documents": len(documents), "months": months})
    return len(documents)


def _scrubber(loket: Loket, session: Session, case: ProcessInstance) -> Scrubber:
    scrubber = Scrubber(FieldRules.of(loket.case_forms(case.id).definitions()))
    scrubber.learn(case.case_data)
    scrubber.remember(case.initiator, "email")
    scrubber.remember(case.title, FREE_TEXT)
    details = session.scalars(select(AuditEvent.detail).where(AuditEvent.instance_id == case.id)).all()
    for detail in details:
        scrubber.learn(detail)
    return scrubber


def _messages_and_contacts(session: Session, instance_id: int, scrubber: Scrubber) -> tuple[int, int]:
    messages = session.scalars(select(CaseMessage).where(CaseMessage.instance_id == instance_id)).all()
    for message in messages:
        message.body = MARKER
        message.author = str(scrubber(message.author))[:254]
    contacts = session.scalars(select(ContactMoment).where(ContactMoment.instance_id == instance_id)).all()
    for contact in contacts:
        contact.summary = MARKER
    return len(messages), len(contacts)


def anonymise_case(loket: Loket, session: Session, instance_id: int, months: int) -> dict[str, object]:
    """Replace the personal data of one closed case (see the module); returns the audit entry's detail."""
    case = session.get(ProcessInstance, instance_id)
    assert case is not None
    scrubber = _scrubber(loket, session, case)
    documents = remove_attachments(session, instance_id, months)
    for document in session.scalars(select(Document).where(Document.instance_id == instance_id)).all():
        document.filename = MARKER
        document.uploaded_by = str(scrubber(document.uploaded_by))[:254]
    messages, contacts = _messages_and_contacts(session, instance_id, scrubber)
    session.execute(delete(TaskDraft).where(TaskDraft.instance_id == instance_id))
    redact_instance(session, instance_id, scrubber, title=MARKER)
    kinds = set(scrubber.kinds) | {"portal_link"}
    kinds |= {name for name, count in (("messages", messages), ("contact_moments", contacts),
                                       ("attachments", documents)) if count}
    detail: dict[str, object] = {"removed": sorted(kinds), "fields": sorted(scrubber.fields), "messages": messages,
                                 "contact_moments": contacts, "documents": documents, "months": months}
    record_audit(session, instance_id, actor=ACTOR, kind=ANONYMISED, detail=detail)
    return detail


# the run -------------------------------------------------------------------------------------
def _anonymise_one(loket: Loket, run: RetentionRun, instance_id: int, months: int) -> None:
    try:
        with loket.transaction() as session:
            detail = anonymise_case(loket, session, instance_id, months)
            reference = _reference(session, instance_id)
    except Exception:  # one broken case must not stop the others; it is tried again next time
        log.exception("retention: case %s could not be anonymised", instance_id)
        run.failed.append(instance_id)
        return
    run.anonymised.append(reference)
    run.documents += int(str(detail["documents"]))


def _attachments_one(loket: Loket, run: RetentionRun, instance_id: int, months: int) -> None:
    try:
        with loket.transaction() as session:
            removed = remove_attachments(session, instance_id, months)
            reference = _reference(session, instance_id)
    except Exception:
        log.exception("retention: the attachments of case %s could not be deleted", instance_id)
        run.failed.append(instance_id)
        return
    run.attachments.append(reference)
    run.documents += removed


def apply_retention(loket: Loket, *, batch: int = BATCH) -> RetentionRun:
    """One round: at most ``batch`` cases whose personal data are due and ``batch`` cases whose
    attachments are due, each in a unit of work of its own."""
    run = RetentionRun()
    now = clock.now()
    with loket.reading() as session:
        found = policies(session)
        personal = _candidates(session, and_(_due(found, now, "anonymise_months"), ~_done(ANONYMISED)), batch)
        files = _candidates(session, and_(_due(found, now, "attachments_months"), _with_files(),
                                          ~_done(ANONYMISED)), batch)
    for instance_id, category in personal:
        _anonymise_one(loket, run, instance_id, _policy_of(found, category).anonymise_months)
    anonymised = {instance_id for instance_id, _category in personal}
    for instance_id, category in files:
        if instance_id not in anonymised:
            _attachments_one(loket, run, instance_id, _policy_of(found, category).attachments_months)
    return run


def _reference(session: Session, instance_id: int) -> str:
    return str(session.scalar(select(ProcessInstance.case_ref).where(ProcessInstance.id == instance_id)))


def apply_all(loket: Loket, *, batch: int = BATCH, max_rounds: int = 1000) -> RetentionRun:
    """Rounds of :func:`apply_retention` until nothing more is due (or ``max_rounds`` rounds ran)."""
    total = RetentionRun()
    for _round in range(max_rounds):
        run = apply_retention(loket, batch=batch)
        total.anonymised += run.anonymised
        total.attachments += run.attachments
        total.documents += run.documents
        total.failed = sorted(set(total.failed) | set(run.failed))
        if run.done == 0:
            break
    return total
