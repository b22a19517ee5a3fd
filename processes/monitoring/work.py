"""Open work now: per team how many tasks are open and how many of those are past their norm;
and the questions to initiators (requests for more information): how many were asked, answered
and left unanswered, and how many working days initiators took to answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine import OpenTask, OpenTaskGroup
from processes.monitoring.leadtime import LeadTime
from processes.monitoring.sql import Filters
from processes.tables.facts import CaseFact
from processes.vocabulary import INITIATOR_GROUP


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
    """Per team (candidate group) the open tasks of the initiatives in the filters (the open
    tasks, not the history: as many rows as there is work now)."""
    query = (select(OpenTaskGroup.group_code, func.count(),
                    func.sum(case((OpenTask.overdue.is_(True), 1), else_=0)),
                    func.sum(case((OpenTask.assignee.is_(None), 1), else_=0)))
             .join(OpenTask, OpenTask.task_id == OpenTaskGroup.task_id)
             .join(CaseFact, CaseFact.instance_id == OpenTask.instance_id)
             .where(OpenTaskGroup.group_code != INITIATOR_GROUP, filters.condition())
             .group_by(OpenTaskGroup.group_code).order_by(OpenTaskGroup.group_code))
    if teams is not None:
        query = query.where(OpenTaskGroup.group_code.in_(sorted(teams)))
    return [TeamWork(str(team), int(count), int(overdue or 0), int(free or 0))
            for team, count, overdue, free in session.execute(query)]


def questions(session: Session, filters: Filters) -> Questions:
    """Requests for more information (a step completed with ``aanvulling_nodig``), the answers
    (the initiator's messages) and the initiatives withdrawn for lack of an answer, of the
    initiatives that were asked; the answer time is from the first question to the first answer
    of an initiative, in working days."""
    found = Questions()
    asked = [filters.condition(), CaseFact.asked > 0]
    totals = session.execute(
        select(func.coalesce(func.sum(CaseFact.asked), 0), func.coalesce(func.sum(CaseFact.answered), 0),
               func.coalesce(func.sum(case((CaseFact.withdrawn.is_(True), 1), else_=0)), 0)).where(*asked)).one()
    found.asked, found.answered, found.withdrawn = int(totals[0]), int(totals[1]), int(totals[2])
    if not found.answered:
        return found
    days = CaseFact.answered_work - CaseFact.asked_work
    for days_taken, count in session.execute(
            select(days, func.count()).where(*asked, CaseFact.answered > 0,
                                             CaseFact.first_answered_at >= CaseFact.first_asked_at).group_by(days)):
        found.answer_time.counts[int(days_taken or 0)] = int(count)  # never None: both were there
    return found
