"""The case file (dossier): everything about one initiative in one place, for the staff who may
see it, and the files and diagram it refers to. What staff do on a case: :mod:`processes.case_actions`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from engine import AuditEvent, NotFound, OpenTask, ProcessInstance, WaitingMessage
from forms import FormDefinition
from processes.access import GUIDE_ADMIN_ROLES, Principal, may_view_case, may_work_on
from processes.diagrams import model_of_case
from processes.documents import content_chunks, documents_of
from processes.errors import AccessDenied, StartUnavailable
from processes.loket import Loket
from processes.messages import thread
from processes.tables.case import CaseMessage, Document
from processes.tables.organisation import Guide, GuideAssignment, Team
from processes.tables.staff import ContactMoment
from processes.taskwork import can_ask_information

GUIDE_INFO_FIELD = "begeleider_info"


@dataclass(frozen=True)
class GuideView:
    name: str
    email: str
    district: str | None
    since: datetime | None


def case_by_ref(session: Session, case_ref: str) -> ProcessInstance:
    """The case's row without its stored workflow (pages never read it; it is the largest column)."""
    case = session.scalar(select(ProcessInstance).options(defer(ProcessInstance.workflow_state))
                          .where(ProcessInstance.case_ref == case_ref[:40]))
    if case is None:
        raise NotFound(case_ref)
    return case


def viewable_case(session: Session, principal: Principal, case_ref: str) -> ProcessInstance:
    """The case, if this user may see its file (AccessDenied otherwise, NotFound when it does not exist)."""
    case = case_by_ref(session, case_ref)
    if not may_view_case(session, principal, case.id):
        raise AccessDenied(case_ref)
    return case


def current_guide(session: Session, case_ref: str, data: dict[str, Any]) -> GuideView | None:
    """The open guide assignment; else what the case data says (a guide without an account)."""
    row = session.execute(
        select(Guide, GuideAssignment.assigned_at)
        .join(GuideAssignment, GuideAssignment.guide_id == Guide.id)
        .where(GuideAssignment.case_ref == case_ref, GuideAssignment.closed_at.is_(None))
        .order_by(GuideAssignment.assigned_at.desc())
        .limit(1)
    ).first()
    if row is not None:
        guide, since = row
        return GuideView(guide.name, guide.email, guide.district_code, since)
    info = data.get(GUIDE_INFO_FIELD)
    if isinstance(info, dict) and info.get("assigned"):
        return GuideView(str(info.get("naam") or info.get("email")), str(info.get("email")), None, None)
    return None


def team_names(session: Session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(Team.code, Team.name)).all()}


def contact_moments(session: Session, instance_id: int) -> list[ContactMoment]:
    query = select(ContactMoment).where(ContactMoment.instance_id == instance_id).order_by(
        ContactMoment.created_at.desc(), ContactMoment.id.desc())
    return list(session.scalars(query).all())


def open_tasks_of(session: Session, instance_id: int) -> list[OpenTask]:
    return list(session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id)
                                .order_by(OpenTask.created_at)).all())


@dataclass(frozen=True)
class CaseFile:
    case: ProcessInstance
    data: dict[str, Any]
    audit: list[AuditEvent]
    documents: list[Document]
    messages: list[CaseMessage]
    contacts: list[ContactMoment]
    tasks: list[OpenTask]
    waiting: list[WaitingMessage]
    guide: GuideView | None
    team_names: dict[str, str]
    start_form: FormDefinition | None = None
    workable: frozenset[str] = frozenset()
    """The open tasks this user may work on."""
    askable: tuple[OpenTask, ...] = ()
    """The open tasks whose form can ask the initiator for more information."""
    guides: tuple[Guide, ...] = ()
    """The guides to choose from when this user may couple another one."""

    @property
    def statuses(self) -> list[AuditEvent]:
        return [event for event in self.audit if event.kind == "status"]

    @property
    def next_date(self) -> datetime | None:
        dates = [task.due_at for task in self.tasks if task.due_at is not None]
        return min(dates) if dates else None

    @property
    def can_reassign(self) -> bool:
        return bool(self.guides)


def _forms(loket: Loket, session: Session, version_id: int, tasks: list[OpenTask]) -> dict[str, FormDefinition]:
    """The tasks' forms as the case's own model version has them (kept per version by the engine)."""
    forms = loket.version_forms(session, version_id)
    return {task.form_id: forms.get(task.form_id) for task in tasks if task.form_id}


def _start_form(loket: Loket, session: Session, version_id: int) -> FormDefinition | None:
    try:
        return loket.case_start_form(session, version_id)
    except StartUnavailable:
        return None


def open_case_file(loket: Loket, principal: Principal, case_ref: str) -> CaseFile:
    """The whole case file, for a user who may see it."""
    with loket.reading() as session:
        case = viewable_case(session, principal, case_ref)
        start_form = _start_form(loket, session, case.model_version_id)
        data = dict(case.case_data or {})
        audit = list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == case.id)
                                     .order_by(AuditEvent.id)).all())
        tasks = open_tasks_of(session, case.id)
        contacts = contact_moments(session, case.id)
        documents, messages = documents_of(session, case.id), thread(session, case.id)
        guide, names = current_guide(session, case.case_ref, data), team_names(session)
        guides = active_guides(session) if principal.has_any(GUIDE_ADMIN_ROLES) else []
        workable = [task for task in tasks if may_work_on(principal, task)]
        forms = _forms(loket, session, case.model_version_id, workable)
    waiting = loket.engine.waiting_messages(case.id) if case.state == "running" else []
    askable = tuple(task for task in workable if task.form_id and can_ask_information(forms[task.form_id]))
    return CaseFile(case, data, audit, documents, messages, contacts, tasks, waiting, guide, names, start_form,
                    frozenset(task.task_id for task in workable), askable, tuple(guides))


def active_guides(session: Session) -> list[Guide]:
    return list(session.scalars(select(Guide).where(Guide.active.is_(True)).order_by(Guide.name)).all())


@dataclass(frozen=True)
class Download:
    content: Iterable[bytes]
    """Read piece by piece while it is sent (see :func:`processes.documents.content_chunks`)."""
    filename: str
    content_type: str
    size: int


def case_document(loket: Loket, principal: Principal, case_ref: str, public_id: str) -> Download:
    """A file of a case whose file this user may see."""
    with loket.reading() as session:
        case = viewable_case(session, principal, case_ref)
        found = session.execute(select(Document.id, Document.filename, Document.content_type, Document.size)
                                .where(Document.public_id == public_id[:36], Document.instance_id == case.id,
                                       Document.removed_at.is_(None))).first()
    if found is None:
        raise NotFound(public_id)
    document_id, filename, content_type, size = found
    return Download(content_chunks(loket.reading, document_id, size), filename, content_type, size)


def case_diagram(loket: Loket, principal: Principal, case_ref: str, process_id: str) -> bytes | None:
    """The file of the case's own model version that defines ``process_id`` (to draw where it is)."""
    with loket.reading() as session:
        instance_id = viewable_case(session, principal, case_ref).id
    return model_of_case(loket, instance_id, process_id[:200])


def registered_case(loket: Loket, case_ref: str) -> ProcessInstance:
    """The case just registered on behalf of a caller (for the "done" page)."""
    with loket.reading() as session:
        return case_by_ref(session, case_ref)
