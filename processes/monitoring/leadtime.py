"""Lead times in working days: per step (the completed tasks, the same events the overview of
where cases wait counts) and end to end per category (from the day an initiative came in to the
day its outcome was set), each with the share handled within the service norm the diagrams set,
the median and the 80th percentile. Counted by grouped queries on the facts, which hold each
lead time in working days: per step and number of days how many, never per case."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from processes.monitoring.grouped import Counts
from processes.monitoring.sql import Filters, percentile
from processes.monitoring.tally import Tallied, Wanted, tallied
from processes.procedure import Norm
from processes.tables.facts import StepFact

CALENDAR_UNITS = {"dagen": 1, "weken": 7}
"""Norms that count calendar days: the days in one unit."""


@dataclass
class LeadTime:
    """How long something took, in working days: ``counts`` maps working days → how many."""

    key: str
    name: str = ""
    norm: Norm | None = None
    counts: dict[int, int] = field(default_factory=dict)
    calendar_counts: dict[int, int] = field(default_factory=dict)
    """Calendar days → how many, for a norm in days or weeks (:data:`CALENDAR_UNITS`)."""

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
        limit = CALENDAR_UNITS.get(self.norm.unit)
        if limit is None:
            return None
        return sum(count for days, count in self.calendar_counts.items() if days <= self.norm.amount * limit)

    @property
    def within_norm_share(self) -> float | None:
        within = self.within_norm
        return None if within is None or not self.total else within / self.total


def _of_steps(keys: Collection[str]) -> list[tuple[str, str]]:
    """``process/element`` keys as (process, element)."""
    return sorted((process, element) for process, _, element in (key.partition("/") for key in keys))


def _from_facts(session: Session, filters: Filters,
                steps: list[tuple[str, str]] | None) -> list[tuple[str, str, int, int, int]]:
    query = select(StepFact.process, StepFact.element, StepFact.work_days, StepFact.calendar_days, func.count())
    if steps is not None:
        query = query.where(or_(*(and_(StepFact.process == process, StepFact.element == element)
                                  for process, element in steps)))
    query = filters.on_steps(query).group_by(StepFact.process, StepFact.element, StepFact.work_days,
                                             StepFact.calendar_days)
    return [(str(process), str(element), int(work), int(days), int(count))
            for process, element, work, days, count in session.execute(query)]


def step_keys(norms: dict[str, Norm], only: Collection[str] | None) -> tuple[list[tuple[str, str]] | None,
                                                                            set[tuple[str, str]]]:
    """The steps to read (None: all; ``only``: just these) and those of them whose norm counts
    calendar days."""
    steps = _of_steps(only) if only is not None else None
    in_days = set(_of_steps([key for key, norm in norms.items() if norm.unit in CALENDAR_UNITS
                             and (only is None or key in only)]))
    return steps, in_days


def step_times(session: Session, filters: Filters, norms: dict[str, Norm], names: dict[str, str],
               only: Collection[str] | None = None, read: Tallied | None = None) -> dict[str, LeadTime]:
    """Per step (``process/element``) of the initiatives in the filters: the working days each
    completed task was open (the tallies of whole months, ``read`` when the caller read them
    already; the facts add or take away some days: :meth:`Filters.edges`), and the calendar
    days for a step whose norm counts them. A step's norm is the one the diagrams in use set.
    ``only``: just these steps (a team lead's)."""
    steps, in_days = step_keys(norms, only)
    if steps is not None and not steps:
        return {}
    if read is None:
        read = tallied(session, filters, Wanted(cases=False, steps=steps, in_days=in_days, teams=()))
    work = list(read.steps)
    calendar = list(read.step_days)
    for edge, sign in filters.edges():
        for process, element, work_days, calendar_days, count in _from_facts(session, edge, steps):
            work.append((process, element, work_days, sign * count))
            if (process, element) in in_days:
                calendar.append((process, element, calendar_days, sign * count))
    return _lead_times(_added(work), _added(calendar), norms, names)


def _added(rows: list[tuple[str, str, int, int]]) -> dict[tuple[str, str, int], int]:
    """Per step and days how many, what the parts add up to (days none is left of dropped)."""
    found: dict[tuple[str, str, int], int] = {}
    for process, element, days, count in rows:
        found[(process, element, days)] = found.get((process, element, days), 0) + count
    return {key: count for key, count in sorted(found.items()) if count > 0}


def _lead_times(work: dict[tuple[str, str, int], int], calendar: dict[tuple[str, str, int], int],
                norms: dict[str, Norm], names: dict[str, str]) -> dict[str, LeadTime]:
    found: dict[str, LeadTime] = {}
    for counts_of, rows in (("counts", work), ("calendar_counts", calendar)):
        for (process, element, days), count in rows.items():
            key = f"{process}/{element}"
            row = found.get(key)
            if row is None:
                row = found[key] = LeadTime(key, names.get(key, element), norms.get(key))
            getattr(row, counts_of)[days] = count
    return found


def case_times(counted: Counts, norms: dict[str, Norm]) -> dict[str, LeadTime]:
    """Per category, end to end: working days from the day an initiative came in to the day a
    step set its outcome (the decision), for the initiatives in the filters that have one."""
    found: dict[str, LeadTime] = {}
    for (category, days_taken), count in counted["decision"]:
        key = str(category or "onbekend")
        row = found.setdefault(key, LeadTime(key, key, norms.get(key)))
        row.counts[int(days_taken)] = row.counts.get(int(days_taken), 0) + count
    return found


def slowest(steps: dict[str, LeadTime], how_many: int = 5) -> list[LeadTime]:
    """The steps with the longest median lead time."""
    timed = [row for row in steps.values() if row.median is not None]
    return sorted(timed, key=lambda row: (-(row.median or 0.0), row.key))[:how_many]
