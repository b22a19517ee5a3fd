"""Open work now: per team how many tasks are open and how many of those are past their norm;
and the questions to initiators (requests for more information): how many were asked, answered
and left unanswered, and how many working days initiators took to answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine import AuditEvent, OpenTask, OpenTaskGroup, ProcessInstance
from processes import clock
from processes.monitoring.leadtime import COMPLETED, LeadTime, first_day
from processes.monitoring.sql import Filters, calendar, day_of
from processes.vocabulary import INITIATOR_GROUP

ASKED = AuditEvent.detail[("changes", "aanvulling_nodig", "new")].as_boolean()
ANSWER_MESSAGE = "aanvulling_ontvangen"
GAVE_UP = ProcessInstance.case_data["aanvulling_ingetrokken"].as_boolean()


@dataclass(frozen=True)
class TeamWork:
    team: str
    open: int
    overdue: int
    unassigned: int


@dataclass
class Questions:
    asked: int = 0
    answered: int = 0
    withdrawn: int = 0
    answer_time: LeadTime = field(default_factory=lambda: LeadTime("antwoord"))


def open_work(session: Session, filters: Filters, teams: frozenset[str] | None = None) -> list[TeamWork]:
    """Per team (candidate group) the open tasks of the initiatives in the filters."""
    query = (select(OpenTaskGroup.group_code, func.count(),
                    func.sum(case((OpenTask.overdue.is_(True), 1), else_=0)),
                    func.sum(case((OpenTask.assignee.is_(None), 1), else_=0)))
             .join(OpenTask, OpenTask.task_id == OpenTaskGroup.task_id)
             .join(ProcessInstance, ProcessInstance.id == OpenTask.instance_id)
             .where(OpenTaskGroup.group_code != INITIATOR_GROUP, filters.condition())
             .group_by(OpenTaskGroup.group_code).order_by(OpenTaskGroup.group_code))
    if teams is not None:
        query = query.where(OpenTaskGroup.group_code.in_(sorted(teams)))
    return [TeamWork(str(team), int(count), int(overdue or 0), int(free or 0))
            for team, count, overdue, free in session.execute(query)]


def questions(session: Session, filters: Filters) -> Questions:
    """Requests for more information (a step completed with ``aanvulling_nodig``), the answers
    (the initiator's message) and the initiatives withdrawn for lack of an answer; the answer
    time is from the first question to the first answer of an initiative, in working days."""
    found = Questions()
    cases = AuditEvent.instance_id.in_(select(ProcessInstance.id).where(filters.condition()))
    asked = (select(AuditEvent.instance_id, func.min(AuditEvent.at).label("at"), func.count().label("times"))
             .where(AuditEvent.kind == COMPLETED, ASKED.is_(True), cases).group_by(AuditEvent.instance_id)
             .subquery("gevraagd"))
    answered = (select(AuditEvent.instance_id, func.min(AuditEvent.at).label("at"), func.count().label("times"))
                .where(AuditEvent.kind == "message", AuditEvent.detail["message"].as_string() == ANSWER_MESSAGE, cases)
                .group_by(AuditEvent.instance_id).subquery("beantwoord"))
    totals = session.execute(
        select(func.coalesce(func.sum(asked.c.times), 0), func.coalesce(func.sum(answered.c.times), 0),
               func.coalesce(func.sum(case((GAVE_UP.is_(True), 1), else_=0)), 0))
        .select_from(ProcessInstance).join(asked, asked.c.instance_id == ProcessInstance.id)
        .outerjoin(answered, answered.c.instance_id == ProcessInstance.id).where(filters.condition())).one()
    found.asked, found.answered, found.withdrawn = int(totals[0]), int(totals[1]), int(totals[2])
    start = first_day(session, filters)
    if start is None or not found.answered:
        return found
    days = calendar(start, clock.now().date())
    one, two = days.alias("vraag"), days.alias("antwoord")
    work = two.c.work - one.c.work
    rows = session.execute(
        select(work, func.count()).select_from(ProcessInstance)
        .join(asked, asked.c.instance_id == ProcessInstance.id)
        .join(answered, answered.c.instance_id == ProcessInstance.id)
        .join(one, one.c.day == day_of(session, asked.c.at)).join(two, two.c.day == day_of(session, answered.c.at))
        .where(filters.condition(), answered.c.at >= asked.c.at).group_by(work))
    for days_taken, count in rows:
        found.answer_time.counts[int(days_taken)] = int(count)
    return found
