"""Mail to staff about work: to a person when a task is given to them, to a team when work
arrives in its queue (per team: a mail per task, a daily overview or nothing), and to the
staff member who asked when the initiator answers the question or sends a message.

New tasks are made known by the worker's round (:func:`notify_new_tasks`), which marks each
announced task (:class:`TaskNotice`) in the same transaction as its mails, so each task is
announced once however many workers run. A task handed over by a colleague, or returned to
the person who asked, is announced by that use case itself. Every mail goes through the
outbox (the engine's mail jobs) in the transaction that decided it; the texts are the models'
(``bpmn_models/texts``), so a process owner may change them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from engine import AuditEvent, OpenTask, OpenTaskGroup, ProcessInstance, queue_mail, set_task_assignee
from processes import clock
from processes.dates import LOCAL_TIME, long_date
from processes.loket import Loket
from processes.tables.organisation import Guide, Team
from processes.tables.staff import StaffUser, TaskNotice, TeamMembership
from processes.vocabulary import (
    INITIATOR_GROUP,
    INITIATOR_REPLY_TEXT,
    TASK_ASSIGNED_TEXT,
    TEAM_DIGEST_TEXT,
    TEAM_TASK_TEXT,
)

WINDOW = timedelta(days=1)
"""Only tasks opened this recently are announced (a worker that was down longer stays quiet)."""
GRACE = timedelta(seconds=10)
"""A task is announced once it is this old: a use case that gives a new task to someone right
away (an answer returning to the person who asked) does so first."""
NOTICES_KEPT = timedelta(days=2)
DIGEST_HOUR = 7
"""The daily overview goes out from this hour (local time)."""
STAFF_LANGUAGE = "nl"
ASK_FIELD = "aanvulling_nodig"
SYSTEM = "systeem"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


# who gets it --------------------------------------------------------------------------------
def person(session: Session, email: str | None) -> Recipient | None:
    """The active colleague (or guide) behind an e-mail address; None for nobody we know."""
    if not email:
        return None
    key = email.strip().lower()
    user = session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == key))
    if user is not None:
        return Recipient(user.email, user.name) if user.active else None
    guide = session.scalar(select(Guide).where(func.lower(Guide.email) == key))
    if guide is not None and guide.active:
        return Recipient(guide.email, guide.name)
    return None


def team_recipients(session: Session, team: Team) -> list[Recipient]:
    """The team's shared mailbox, or else every active member."""
    if team.notify_email:
        return [Recipient(team.notify_email, team.name)]
    members = session.scalars(
        select(StaffUser).join(TeamMembership, TeamMembership.user_id == StaffUser.id)
        .where(TeamMembership.team_code == team.code, StaffUser.active).order_by(StaffUser.name)
    ).all()
    return [Recipient(user.email, user.name) for user in members]


def _task_context(session: Session, task: OpenTask) -> dict[str, Any]:
    title = session.scalar(select(ProcessInstance.title).where(ProcessInstance.id == task.instance_id))
    return {"taak": task.title, "taak_id": task.task_id, "case_ref": task.case_ref, "titel": title or "",
            "uiterlijk": long_date(task.due_at, STAFF_LANGUAGE) if task.due_at else ""}


def _mail(session: Session, template: str, to: Recipient, context: dict[str, Any]) -> None:
    # Without the case: the texts in use, so a case on an older version (without these texts)
    # still gets its staff mails, and a failing mail is no incident of the case.
    queue_mail(session, None, template=template, to=to.email, context=context, lang=STAFF_LANGUAGE)


def mark_noticed(session: Session, task: OpenTask) -> None:
    """The task needs no announcement by the worker's round (a use case made it known)."""
    if session.get(TaskNotice, task.task_id) is None:
        session.add(TaskNotice(task_id=task.task_id, instance_id=task.instance_id, noticed_at=clock.now()))


def mail_assigned(session: Session, task: OpenTask, to: Recipient) -> None:
    """Tell ``to`` that ``task`` is theirs now."""
    _mail(session, TASK_ASSIGNED_TEXT, to, {"naam": to.name, **_task_context(session, task)})
    mark_noticed(session, task)


def tasks_of_people(session: Session, instance_id: int, emails: list[str]) -> list[OpenTask]:
    """The case's open tasks that one of ``emails`` has."""
    lowered = [email.lower() for email in emails]
    return list(session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id,
                                                       func.lower(OpenTask.assignee).in_(lowered))
                                .order_by(OpenTask.created_at, OpenTask.task_id)).all())


# new tasks ----------------------------------------------------------------------------------
def notify_new_tasks(loket: Loket, limit: int = 500) -> int:
    """Announce every task opened since the last round: to its assignee, or to each team of its
    candidate groups that wants a mail per task. Returns how many mails were queued."""
    now = clock.now()
    with loket.transaction() as session:
        noticed = exists().where(TaskNotice.task_id == OpenTask.task_id)
        tasks = session.scalars(
            select(OpenTask).where(OpenTask.created_at >= now - WINDOW, OpenTask.created_at <= now - GRACE, ~noticed)
            .order_by(OpenTask.created_at).limit(limit)
        ).all()
        mails = 0
        for task in tasks:
            session.add(TaskNotice(task_id=task.task_id, instance_id=task.instance_id, noticed_at=now))
            mails += _announce(session, task)
        return mails


def _announce(session: Session, task: OpenTask) -> int:
    if task.candidate_group == INITIATOR_GROUP:
        return 0  # the initiator's own tasks: they hear of them through the status mails
    if task.assignee:
        to = person(session, task.assignee)
        if to is None:
            return 0
        _mail(session, TASK_ASSIGNED_TEXT, to, {"naam": to.name, **_task_context(session, task)})
        return 1
    mails = 0
    for code in _groups(task.candidate_group):
        team = session.get(Team, code)
        if team is None or not team.active or team.notify != "each":
            continue
        context = {"team": team.name, **_task_context(session, task)}
        for to in team_recipients(session, team):
            _mail(session, TEAM_TASK_TEXT, to, context)
            mails += 1
    return mails


def _groups(candidate_group: str | None) -> list[str]:
    return sorted({part.strip() for part in (candidate_group or "").split(",") if part.strip()})


def purge_old_notices(session: Session) -> int:
    """The marks of tasks too old for the round to look at again."""
    old = session.scalars(select(TaskNotice).where(TaskNotice.noticed_at < clock.now() - NOTICES_KEPT)).all()
    for notice in old:
        session.delete(notice)
    return len(old)


# the daily overview -------------------------------------------------------------------------
def digest_due(last: datetime | None, now: datetime) -> bool:
    """Whether today's overview (from ``DIGEST_HOUR`` local time) has not gone out yet."""
    local = now.astimezone(LOCAL_TIME)
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return local >= moment and (last is None or last < moment)


def send_digests(loket: Loket, *, force: bool = False) -> int:
    """The daily overview to every team set to ``daily``: the tasks that arrived in its queue
    since the last overview and nobody has picked up yet (nothing new: no mail). Due once a day
    from ``DIGEST_HOUR``; ``force`` sends now. Returns how many teams got one."""
    now = clock.now()
    sent = 0
    with loket.transaction() as session:
        teams = session.scalars(select(Team).where(Team.active, Team.notify == "daily").order_by(Team.code)).all()
        for team in teams:
            if not force and not digest_due(team.digest_sent_at, now):
                continue
            since = team.digest_sent_at or now - WINDOW
            team.digest_sent_at = now
            tasks = session.scalars(
                select(OpenTask).join(OpenTaskGroup, OpenTaskGroup.task_id == OpenTask.task_id)
                .where(OpenTaskGroup.group_code == team.code, OpenTaskGroup.created_at > since,
                       OpenTask.assignee.is_(None))
                .order_by(OpenTaskGroup.created_at, OpenTask.task_id)
            ).all()
            if not tasks:
                continue
            context = {"team": team.name, "aantal": len(tasks), "overzicht": _overview(session, tasks)}
            for to in team_recipients(session, team):
                _mail(session, TEAM_DIGEST_TEXT, to, context)
            sent += 1
    return sent


def _overview(session: Session, tasks: Sequence[OpenTask]) -> str:
    lines = []
    for task in tasks:
        context = _task_context(session, task)
        line = f'- {task.title} · {task.case_ref} · "{context["titel"]}"'
        lines.append(line + (f" · {context['uiterlijk']}" if context["uiterlijk"] else ""))
    return "\n".join(lines)


# the initiator answered or wrote ------------------------------------------------------------
def _question(session: Session, instance_id: int) -> AuditEvent | None:
    """The completion of the task by which staff last asked the initiator a question."""
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == instance_id, AuditEvent.kind == "task_completed")
        .order_by(AuditEvent.id.desc())
    ).all()
    for event in events:
        if _asked(event):
            return event
    return None


def _asked(event: AuditEvent) -> bool:
    """Whether the task completed in ``event`` asked the initiator a question."""
    changes = (event.detail or {}).get("changes")
    change = changes.get(ASK_FIELD) if isinstance(changes, dict) else None
    return isinstance(change, dict) and change.get("new") is True


def _may_take(session: Session, who: Recipient, task: OpenTask) -> bool:
    if task.assignee and task.assignee.lower() == who.email.lower():
        return True
    teams = set(session.scalars(select(TeamMembership.team_code).join(StaffUser, StaffUser.id == TeamMembership.user_id)
                                .where(func.lower(StaffUser.email) == who.email.lower())).all())
    return bool(teams & set(_groups(task.candidate_group)))


def answer_returned(loket: Loket, instance_id: int) -> str | None:
    """The initiator answered the question: the task that asked it (open again now) goes back to
    the person who asked, not to the team queue, and they get a mail. Returns who, if anyone."""
    with loket.transaction() as session:
        asked = _question(session, instance_id)
        asker = person(session, asked.actor) if asked is not None else None
        if asked is None or asker is None:
            return None
        element = (asked.detail or {}).get("element") or ""
        task = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id,
                                                     OpenTask.task_name == element))
        if task is not None and _may_take(session, asker, task):
            if (task.assignee or "").lower() != asker.email.lower():
                set_task_assignee(session, task, asker.email, actor=SYSTEM, kind="task_returned",
                                  detail={"naam": asker.name})
            mark_noticed(session, task)
        else:
            task = None
        context = {"naam": asker.name, "soort": "antwoord", "taak": task.title if task is not None else "",
                   **_case_context(session, instance_id)}
        _mail(session, INITIATOR_REPLY_TEXT, asker, context)
        return asker.email


def _case_context(session: Session, instance_id: int) -> dict[str, Any]:
    case = session.get(ProcessInstance, instance_id)
    return {"case_ref": case.case_ref if case else "", "titel": (case.title if case else "") or ""}


def initiator_wrote(session: Session, instance_id: int) -> list[str]:
    """In the unit of work of the initiator's message: mail the staff member who last wrote to
    them or asked them a question; if nobody did, whoever has the case's open tasks now."""
    recipients = _last_writer(session, instance_id)
    if not recipients:
        assignees = session.scalars(
            select(OpenTask.assignee).where(OpenTask.instance_id == instance_id, OpenTask.assignee.is_not(None),
                                            OpenTask.candidate_group != INITIATOR_GROUP)
        ).all()
        found = (person(session, email) for email in sorted({str(email).lower() for email in assignees}))
        recipients = [who for who in found if who is not None]
    for to in recipients:
        _mail(session, INITIATOR_REPLY_TEXT, to,
              {"naam": to.name, "soort": "bericht", "taak": "", **_case_context(session, instance_id)})
    return [to.email for to in recipients]


def _last_writer(session: Session, instance_id: int) -> list[Recipient]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.instance_id == instance_id,
                                 AuditEvent.kind.in_(("staff_message", "task_completed")))
        .order_by(AuditEvent.id.desc())
    ).all()
    for event in events:
        if event.kind == "staff_message" or _asked(event):
            who = person(session, event.actor)
            if who is not None:
                return [who]
    return []
