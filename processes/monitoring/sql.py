"""What the monitoring queries share: the filters of the dashboard as conditions on the facts
(:mod:`processes.tables.facts`) and the percentiles of a lead time.

Every figure is a grouped query on the fact tables, whose lead times are stored in working days
(and calendar days) by every step: no case data or audit detail is read, no calendar is joined.
The filters have indexes: the period (``created_at`` on both tables), the category and the
district (each with the period)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, true

from processes.tables.facts import CaseFact, StepFact

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Filters:
    """Initiatives that came in from ``since`` up to and including ``until`` (UTC days), of one
    category and one district (None: all)."""

    since: date | None = None
    until: date | None = None
    category: str | None = None
    district: str | None = None

    def period(self, column: Any) -> list[ColumnElement[bool]]:
        """The period as conditions on a ``created_at`` column."""
        found: list[ColumnElement[bool]] = []
        if self.since is not None:
            found.append(column >= _start_of(self.since))
        if self.until is not None:
            found.append(column < _start_of(self.until + timedelta(days=1)))
        return found

    def of_the_case(self) -> list[ColumnElement[bool]]:
        """Category and district, as conditions on :class:`CaseFact`."""
        found: list[ColumnElement[bool]] = []
        if self.category:
            found.append(CaseFact.category == self.category)
        if self.district:
            found.append(CaseFact.district == self.district)
        return found

    def conditions(self) -> list[ColumnElement[bool]]:
        """On :class:`CaseFact`."""
        return [*self.period(CaseFact.created_at), *self.of_the_case()]

    def condition(self) -> ColumnElement[bool]:
        return and_(true(), *self.conditions())

    def on_steps(self, query: Query) -> Query:
        """``query`` over :class:`StepFact` narrowed to the steps of the initiatives in the
        filters: the period every step carries, the category and district of its case's facts."""
        query = query.where(*self.period(StepFact.created_at))
        of_the_case = self.of_the_case()
        if not of_the_case:
            return query
        return query.join(CaseFact, CaseFact.instance_id == StepFact.instance_id).where(*of_the_case)


def percentile(counts: dict[int, int], fraction: float) -> float | None:
    """As PostgreSQL's ``percentile_cont`` over the values ``counts`` holds (value → how many):
    linear between the two values around the position ``fraction × (n − 1)``. ``counts`` has
    one entry per distinct number of days, so this reads a few hundred entries at most, however
    many initiatives were counted."""
    total = sum(counts.values())
    if total == 0:
        return None
    position = fraction * (total - 1)
    below, above = int(position), min(int(position) + 1, total - 1)
    ordered = sorted(counts.items())

    def value_at(index: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if index < seen:
                return value
        return ordered[-1][0]

    low, high = value_at(below), value_at(above)
    return float(low + (high - low) * (position - below))
