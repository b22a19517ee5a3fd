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
from processes.procedure import Norm
from processes.tables.facts import StepFact


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


def _of_steps(keys: Collection[str]) -> list[tuple[str, str]]:
    """``process/element`` keys as (process, element)."""
    return sorted((process, element) for process, _, element in (key.partition("/") for key in keys))


def step_times(session: Session, filters: Filters, norms: dict[str, Norm], names: dict[str, str],
               only: Collection[str] | None = None) -> dict[str, LeadTime]:
    """Per step (``process/element``) of the initiatives in the filters: the working days each
    completed task was open. A step's norm is the one the diagrams in use set. ``only``: just
    these steps (a team lead's)."""
    query = select(StepFact.process, StepFact.element, StepFact.work_days, StepFact.calendar_days, func.count())
    if only is not None:
        steps = _of_steps(only)
        if not steps:
            return {}
        query = query.where(or_(*(and_(StepFact.process == process, StepFact.element == element)
                                  for process, element in steps)))
    query = filters.on_steps(query).group_by(StepFact.process, StepFact.element, StepFact.work_days,
                                             StepFact.calendar_days)
    found: dict[str, LeadTime] = {}
    for process, element, work, ordinal, count in session.execute(query):
        key = f"{process}/{element}"
        row = found.setdefault(key, LeadTime(key, names.get(key, str(element)), norms.get(key)))
        row.counts[int(work)] = row.counts.get(int(work), 0) + int(count)
        row.calendar_counts[int(ordinal)] = row.calendar_counts.get(int(ordinal), 0) + int(count)
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
