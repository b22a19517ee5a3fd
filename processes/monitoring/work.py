"""Open work now: per team how many tasks are open and how many of those are past their norm;
and the questions to initiators (requests for more information): how many were asked, answered
and left unanswered, and how many working days initiators took to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, true
from sqlalchemy.orm import Session

from engine import OpenTask, OpenTaskGroup
from processes.monitoring.grouped import Counts
from processes.monitoring.leadtime import LeadTime
from processes.monitoring.sql import Filters
from processes.monitoring.tally import Tallied, Wanted, tallied
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


def _from_facts(session: Session, filters: Filters, teams: frozenset[str] | None) -> list[TeamWork]:
    """The open tasks of the initiatives in the filters (a few days' worth: :meth:`Filters.edges`),
    found per initiative. On PostgreSQL a lateral subquery (``OFFSET 0`` keeps it one) looks up
    each initiative's tasks by the index: a plain join let the planner hash every open task,
    a read that grows with all of them."""
    if session.get_bind().dialect.name == "postgresql":
        tasks = (select(OpenTask.task_id, OpenTask.overdue, OpenTask.assignee)
                 .where(OpenTask.instance_id == CaseFact.instance_id).offset(0).lateral("t"))
        task: tuple[Any, ...] = (tasks.c.task_id, tasks.c.overdue, tasks.c.assignee)
        joined: Any = tasks
        on: ColumnElement[bool] = true()
    else:
        task, joined, on = (OpenTask.task_id, OpenTask.overdue, OpenTask.assignee), OpenTask, (
            OpenTask.instance_id == CaseFact.instance_id)
    task_id, overdue, assignee = task
    query = (select(OpenTaskGroup.group_code, func.count(), func.sum(case((overdue.is_(True), 1), else_=0)),
                    func.sum(case((assignee.is_(None), 1), else_=0)))
             .select_from(CaseFact).join(joined, on).join(OpenTaskGroup, OpenTaskGroup.task_id == task_id)
             .where(OpenTaskGroup.group_code != INITIATOR_GROUP, filters.condition())
             .group_by(OpenTaskGroup.group_code))
    if teams is not None:
        query = query.where(OpenTaskGroup.group_code.in_(sorted(teams)))
    return [TeamWork(str(team), int(count), int(overdue or 0), int(free or 0))
            for team, count, overdue, free in session.execute(query)]


def open_work(session: Session, filters: Filters, teams: frozenset[str] | None = None,
              read: Tallied | None = None) -> list[TeamWork]:
    """Per team (candidate group) the open tasks of the initiatives in the filters (the tallies
    of whole months, ``read`` when the caller read them already; the open tasks of some days
    added or taken away: :meth:`Filters.edges`)."""
    if read is None:
        read = tallied(session, filters, Wanted(cases=False, steps=(), teams=teams, leave_out=INITIATOR_GROUP))
    found: dict[str, list[int]] = {}
    for team, flags, count in read.work:
        row = found.setdefault(team, [0, 0, 0])
        row[0] += count
        row[1] += count if flags & 2 else 0
        row[2] += count if flags & 1 else 0
    for edge, sign in filters.edges():
        for work in _from_facts(session, edge, teams):
            row = found.setdefault(work.team, [0, 0, 0])
            row[0] += sign * work.open
            row[1] += sign * work.overdue
            row[2] += sign * work.unassigned
    return [TeamWork(team, *row) for team, row in sorted(found.items()) if row[0] > 0]


def questions(counted: Counts) -> Questions:
    """Requests for more information (a step completed with ``aanvulling_nodig``), the answers
    (the initiator's messages) and the initiatives withdrawn for lack of an answer, of the
    initiatives that were asked; the answer time is from the first question to the first answer
    of an initiative, in working days (the sets of :mod:`processes.monitoring.grouped`)."""
    found = Questions()
    found.asked, found.answered, found.withdrawn = (sum(count for _, count in counted[name])
                                                    for name in ("asked", "answered", "withdrawn"))
    if not found.answered:
        return found
    for (days_taken,), count in counted["answer"]:
        found.answer_time.counts[int(days_taken)] = count
    return found
