"""The case file: everything about one initiative in one place, and the actions on it
(send a message, log a contact moment, couple another guide)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.errors import NotFound
from engine.instance_store import InstanceRow
from engine.queries import WaitingMessage
from engine.service import Engine, InstanceInfo
from engine.step_writer import StepContext, StepRecord, mail_job
from engine.tables import AuditEvent, Job, OpenTask, ProcessInstance
from processes.guides import open_assignments
from processes.organisation import Guide, GuideAssignment, Team
from web.casefile.documents import documents_of
from web.casefile.messages import post_message, thread
from web.casefile.models import CaseMessage, Document
from web.staff.models import ContactMoment
from web.staff.services.access import Principal
from web.staff.services.errors import NotAllowedHere

CHANNELS = ("telefoon", "balie", "email", "brief")
MAX_SUMMARY = 4000
GUIDE_FIELD = "begeleider"
GUIDE_INFO_FIELD = "begeleider_info"


@dataclass(frozen=True)
class GuideView:
    name: str
    email: str
    district: str | None
    since: datetime | None


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

    @property
    def statuses(self) -> list[AuditEvent]:
        return [event for event in self.audit if event.kind == "status"]

    @property
    def next_date(self) -> datetime | None:
        dates = [task.due_at for task in self.tasks if task.due_at is not None]
        return min(dates) if dates else None


def case_by_ref(session: Session, case_ref: str) -> ProcessInstance:
    case = session.scalar(select(ProcessInstance).where(ProcessInstance.case_ref == case_ref[:40]))
    if case is None:
        raise NotFound(case_ref)
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


def load_case_file(engine: Engine, case_ref: str) -> CaseFile:
    with engine.db.transaction() as session:
        case = case_by_ref(session, case_ref)
        data = dict(case.case_data or {})
        audit = list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == case.id)
                                     .order_by(AuditEvent.id)).all())
        tasks = list(session.scalars(select(OpenTask).where(OpenTask.instance_id == case.id)
                                     .order_by(OpenTask.created_at)).all())
        contacts = contact_moments(session, case.id)
        documents, messages = documents_of(session, case.id), thread(session, case.id)
        guide, names = current_guide(session, case.case_ref, data), team_names(session)
    waiting = engine.waiting_messages(case.id) if case.state == "running" else []
    return CaseFile(case, data, audit, documents, messages, contacts, tasks, waiting, guide, names)


def contact_moments(session: Session, instance_id: int) -> list[ContactMoment]:
    query = select(ContactMoment).where(ContactMoment.instance_id == instance_id).order_by(
        ContactMoment.created_at.desc(), ContactMoment.id.desc())
    return list(session.scalars(query).all())


def log_contact(session: Session, principal: Principal, instance_id: int, channel: str, summary: str) -> ContactMoment:
    text = summary.strip()
    if channel not in CHANNELS:
        raise NotAllowedHere("unknown_channel")
    if not text:
        raise NotAllowedHere("empty_summary")
    if len(text) > MAX_SUMMARY:
        raise NotAllowedHere("summary_too_long")
    moment = ContactMoment(instance_id=instance_id, channel=channel, summary=text, created_by=principal.email,
                           created_by_name=principal.name, created_at=clock.now())
    session.add(moment)
    session.add(AuditEvent(instance_id=instance_id, at=moment.created_at, actor=principal.email,
                           kind="contact_moment", detail={"kanaal": channel}))
    session.flush()
    return moment


def send_message(session: Session, principal: Principal, case: ProcessInstance, body: str) -> CaseMessage:
    """A message in the thread, and (in the same transaction) a mail telling the initiator
    that there is news; the mail never holds the message itself."""
    message = post_message(session, case.id, author=principal.name, body=body, from_initiator=False)
    data = case.case_data or {}
    recipient = data.get("email")
    if isinstance(recipient, str) and recipient:
        lang = str(data.get("taal") or "nl")
        job = mail_job(case.id, template="status_gewijzigd", to=recipient,
                       context={"case_ref": case.case_ref, "title": case.title}, lang=lang)
        session.execute(insert(Job), [job])
    session.add(AuditEvent(instance_id=case.id, at=message.created_at, actor=principal.email, kind="staff_message",
                           detail={"bericht": message.id}))
    session.flush()
    return message


def reassign_guide(engine: Engine, principal: Principal, case_ref: str, guide_id: int, reason: str) -> InstanceInfo:
    """Couple another guide: the case data (``begeleider``, which the diagrams use as the
    assignee of guide tasks), the guide assignment (the guides' load) and the open tasks of the
    previous guide change together, in one step of the instance with an audit event."""
    with engine.db.transaction() as session:
        case = case_by_ref(session, case_ref)
        instance_id = case.id

    def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
        if row.state != "running":
            raise NotFound("Dit initiatief loopt niet meer.")
        guide = ctx.session.get(Guide, guide_id)
        if guide is None or not guide.active:
            raise NotAllowedHere("unknown_guide")
        previous = [a.guide.email for a in open_assignments(ctx.session, row.case_ref)]
        if not previous:
            raise NotAllowedHere("no_guide_yet")
        if previous == [guide.email]:
            raise NotAllowedHere("same_guide")
        for assignment in open_assignments(ctx.session, row.case_ref):
            assignment.closed_at = clock.now()
        ctx.session.add(GuideAssignment(case_ref=row.case_ref, guide_id=guide.id, assigned_at=clock.now()))
        _set_guide_data(workflow, guide)
        lowered = [email.lower() for email in previous]
        ctx.conn.execute(
            update(OpenTask).where(OpenTask.instance_id == row.id, func.lower(OpenTask.assignee).in_(lowered))
            .values(assignee=guide.email)
        )
        record.audit(row.id, "guide_reassigned",
                     detail={"van": previous, "naar": guide.email, "naam": guide.name, "reden": reason.strip()[:500]})

    return engine.step(instance_id, principal.email, act)


def _set_guide_data(workflow: BpmnWorkflow, guide: Guide) -> None:
    """Every task that carries the guide gets the new one, so tasks still to come (assignee
    expression ``begeleider``) and merges at gateways all see the same guide."""
    for task in workflow.get_tasks():
        if GUIDE_FIELD in task.data:
            task.data[GUIDE_FIELD] = guide.email
        if isinstance(task.data.get(GUIDE_INFO_FIELD), dict):
            task.data[GUIDE_INFO_FIELD] = {"assigned": True, "email": guide.email, "naam": guide.name}


def active_guides(session: Session) -> list[Guide]:
    return list(session.scalars(select(Guide).where(Guide.active.is_(True)).order_by(Guide.name)).all())
