"""Lead times in working days: per step (from the completed tasks in the audit trail, the same
events the overview of where cases wait counts) and end to end per category (from the day an
initiative came in to the day its outcome was set), each with the share handled within the
service norm the diagrams set, the median and the 80th percentile. Counted by grouped queries:
per step and number of working days how many, never per case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import AuditEvent, ProcessInstance
from processes import clock
from processes.monitoring.sql import CATEGORY, Filters, calendar, day_before, day_of, percentile
from processes.procedure import Norm
from processes.waiting import COMPLETED

ELEMENT = AuditEvent.detail["element"].as_string()
PROCESS = AuditEvent.detail["process"].as_string()
SECONDS = AuditEvent.detail["seconds"].as_integer()
OUTCOME_SET = AuditEvent.detail[("changes", "uitkomst", "new")].as_string()


@dataclass
class LeadTime:
    """How long something took, in working days: ``counts`` maps working days → how many."""

    key: str
    name: str = ""
    norm: Norm | None = None
    counts: dict[int, int] = field(default_factory=dict)
    calendar_counts: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def median(self) -> float | None:
        return percentile(self.counts, 0.5)

    @property
    def p80(self) -> float | None:
        return percentile(self.counts, 0.8)

    @property
    def within_norm(self) -> int | None:
        """How many were done within the norm (None: no norm to measure against)."""
        if self.norm is None:
            return None
        if self.norm.unit == "werkdagen":
            return sum(count for days, count in self.counts.items() if days <= self.norm.amount)
        limit = {"dagen": 1, "weken": 7}.get(self.norm.unit)
        if limit is None:
            return None
        return sum(count for days, count in self.calendar_counts.items() if days <= self.norm.amount * limit)

    @property
    def within_norm_share(self) -> float | None:
        within = self.within_norm
        return None if within is None or not self.total else within / self.total


def first_day(session: Session, filters: Filters) -> date | None:
    """The first day the figures can reach back to: the oldest initiative in the filters."""
    oldest = session.scalar(select(func.min(ProcessInstance.created_at)).where(filters.condition()))
    return oldest.date() if oldest is not None else None


def step_times(session: Session, filters: Filters, norms: dict[str, Norm], names: dict[str, str],
               ) -> dict[str, LeadTime]:
    """Per step (``process/element``) of the initiatives in the filters: the working days each
    completed task was open. A step's norm is the one the diagrams in use set."""
    start = first_day(session, filters)
    if start is None:
        return {}
    days = calendar(start, clock.now().date())
    opened, done = days.alias("geopend"), days.alias("klaar")
    opened_day = day_before(session, AuditEvent.at, SECONDS)
    query = (select(PROCESS, ELEMENT, done.c.work - opened.c.work, done.c.ordinal - opened.c.ordinal, func.count())
             .join(ProcessInstance, ProcessInstance.id == AuditEvent.instance_id)
             .join(opened, opened.c.day == opened_day)
             .join(done, done.c.day == day_of(session, AuditEvent.at))
             .where(AuditEvent.kind == COMPLETED, SECONDS.is_not(None), filters.condition())
             .group_by(PROCESS, ELEMENT, done.c.work - opened.c.work, done.c.ordinal - opened.c.ordinal))
    found: dict[str, LeadTime] = {}
    for process, element, work, ordinal, count in session.execute(query):
        key = f"{process}/{element}"
        row = found.setdefault(key, LeadTime(key, names.get(key, str(element)), norms.get(key)))
        row.counts[int(work)] = row.counts.get(int(work), 0) + int(count)
        row.calendar_counts[int(ordinal)] = row.calendar_counts.get(int(ordinal), 0) + int(count)
    return found


def case_times(session: Session, filters: Filters, norms: dict[str, Norm]) -> dict[str, LeadTime]:
    """Per category, end to end: working days from the day an initiative came in to the day a
    step set its outcome (the decision), for the initiatives in the filters that have one."""
    start = first_day(session, filters)
    if start is None:
        return {}
    days = calendar(start, clock.now().date())
    came, decided = days.alias("binnen"), days.alias("besluit")
    outcome = (select(AuditEvent.instance_id, func.min(AuditEvent.at).label("at"))
               .where(AuditEvent.kind == COMPLETED, OUTCOME_SET.is_not(None),
                      AuditEvent.instance_id.in_(select(ProcessInstance.id).where(filters.condition())))
               .group_by(AuditEvent.instance_id).subquery("uitkomst"))
    work = decided.c.work - came.c.work
    query = (select(CATEGORY, work, func.count())
             .join(outcome, outcome.c.instance_id == ProcessInstance.id)
             .join(came, came.c.day == day_of(session, ProcessInstance.created_at))
             .join(decided, decided.c.day == day_of(session, outcome.c.at))
             .where(filters.condition()).group_by(CATEGORY, work))
    found: dict[str, LeadTime] = {}
    for category, days_taken, count in session.execute(query):
        key = str(category or "onbekend")
        row = found.setdefault(key, LeadTime(key, key, norms.get(key)))
        row.counts[int(days_taken)] = row.counts.get(int(days_taken), 0) + int(count)
    return found


def slowest(steps: dict[str, LeadTime], how_many: int = 5) -> list[LeadTime]:
    """The steps with the longest median lead time."""
    timed = [row for row in steps.values() if row.median is not None]
    return sorted(timed, key=lambda row: (-(row.median or 0.0), row.key))[:how_many]
