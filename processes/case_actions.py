"""What staff do on a case besides a task: send the initiator a message, log a contact moment
(also the contact centre), and couple another guide. Each is one unit of work with its audit
event; the engine writes its own tables (:func:`engine.record_audit`, :func:`engine.queue_mail`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine import InstanceInfo, Reassignment, queue_mail, record_audit
from processes import clock
from processes.access import Principal
from processes.casefile import case_by_ref, viewable_case
from processes.errors import InvalidInput, NotAllowedHere
from processes.handlers.guides import open_assignments
from processes.loket import Loket
from processes.messages import post_message
from processes.notifications import Recipient, mail_assigned, tasks_of_people
from processes.tables.organisation import Guide, GuideAssignment
from processes.tables.staff import ContactMoment
from processes.taskwork import ask_information as ask_on_task
from processes.vocabulary import CONTACT_CHANNELS, EMAIL_FIELD, LANGUAGE_FIELD, NAME_FIELD, NEWS_TEXT

MAX_SUMMARY = 4000
GUIDE_FIELD = "begeleider"
GUIDE_INFO_FIELD = "begeleider_info"
NEWS_TEMPLATE = NEWS_TEXT


def send_message(loket: Loket, principal: Principal, case_ref: str, body: str) -> None:
    """A message in the thread, and (in the same transaction) a mail telling the initiator
    that there is news; the mail never holds the message itself. MessageRejected when the
    message is empty or too long."""
    with loket.transaction() as session:
        case = viewable_case(session, principal, case_ref)
        message = post_message(session, case.id, author=principal.name, body=body, from_initiator=False)
        data = case.case_data or {}
        recipient = data.get(EMAIL_FIELD)
        if isinstance(recipient, str) and recipient:
            queue_mail(session, case.id, template=NEWS_TEMPLATE, to=recipient,
                       context={"case_ref": case.case_ref, "title": case.title,
                                "naam": str(data.get(NAME_FIELD) or "")},
                       lang=str(data.get(LANGUAGE_FIELD) or "nl"))
        record_audit(session, case.id, actor=principal.email, kind="staff_message", detail={"bericht": message.id})


@dataclass(frozen=True)
class Contact:
    channel: str
    summary: str

    def checked(self) -> Contact:
        """The contact with its summary trimmed; InvalidInput for a channel or summary we cannot keep."""
        text = self.summary.strip()
        if self.channel not in CONTACT_CHANNELS:
            raise InvalidInput({"kanaal": "unknown_channel"})
        if not text:
            raise InvalidInput({"samenvatting": "empty_summary"})
        if len(text) > MAX_SUMMARY:
            raise InvalidInput({"samenvatting": "summary_too_long"})
        return Contact(self.channel, text)


def _log(session: Session, principal: Principal, instance_id: int, contact: Contact) -> ContactMoment:
    checked = contact.checked()
    moment = ContactMoment(instance_id=instance_id, channel=checked.channel, summary=checked.summary,
                           created_by=principal.email, created_by_name=principal.name, created_at=clock.now())
    session.add(moment)
    record_audit(session, instance_id, actor=principal.email, kind="contact_moment",
                 detail={"kanaal": checked.channel})
    return moment


def log_contact(loket: Loket, principal: Principal, case_ref: str, contact: Contact) -> None:
    """A call, visit, e-mail or letter with the initiator, logged in the case file by a handler."""
    with loket.transaction() as session:
        _log(session, principal, viewable_case(session, principal, case_ref).id, contact)


def log_kcc_contact(loket: Loket, principal: Principal, case_ref: str, contact: Contact) -> None:
    """The same, by the contact centre, which sees every case (read-only) but not its file."""
    with loket.transaction() as session:
        _log(session, principal, case_by_ref(session, case_ref).id, contact)


def reassign_guide(loket: Loket, principal: Principal, case_ref: str, guide_id: int | None,
                   reason: str) -> InstanceInfo:
    """Couple another guide: the case data (``begeleider``, which the diagrams use as the
    assignee of guide tasks), the guide assignment (the guides' load) and the open tasks of the
    previous guide change together, in one step of the instance with an audit event; the new
    guide gets a mail per task they take over."""
    if guide_id is None:
        raise InvalidInput({"begeleider": "unknown_guide"})
    with loket.reading() as session:
        instance_id = viewable_case(session, principal, case_ref).id

    def decide(session: Session, ref: str) -> Reassignment:
        guide = session.get(Guide, guide_id)
        if guide is None or not guide.active:
            raise InvalidInput({"begeleider": "unknown_guide"})
        current = open_assignments(session, ref)
        previous = [assignment.guide.email for assignment in current]
        if not previous:
            raise NotAllowedHere("no_guide_yet")
        if previous == [guide.email]:
            raise NotAllowedHere("same_guide")
        for assignment in current:
            assignment.closed_at = clock.now()
        session.add(GuideAssignment(case_ref=ref, guide_id=guide.id, assigned_at=clock.now()))
        for task in tasks_of_people(session, instance_id, previous):
            mail_assigned(session, task, Recipient(guide.email, guide.name))
        return Reassignment(
            previous=previous, new=guide.email,
            data={GUIDE_FIELD: guide.email, GUIDE_INFO_FIELD: {"assigned": True, "email": guide.email,
                                                               "naam": guide.name}},
            detail={"van": previous, "naar": guide.email, "naam": guide.name, "reden": reason.strip()[:500]},
        )

    info: InstanceInfo = loket.engine.reassign(instance_id, actor=principal.email, kind="guide_reassigned",
                                               decide=decide)
    return info


def ask_information(loket: Loket, principal: Principal, case_ref: str, task_id: str, question: str) -> InstanceInfo:
    """Ask the initiator for more information from the case file, through one of its open tasks
    (:func:`processes.taskwork.ask_information`)."""
    with loket.reading() as session:
        viewable_case(session, principal, case_ref)
    return ask_on_task(loket, principal, task_id, question)
