"""What the monitoring queries share: the filters of the dashboard as conditions on the facts
(:mod:`processes.tables.facts`) and the percentiles of a lead time.

Every figure is a grouped query on the fact tables, whose lead times are stored in working days
(and calendar days) by every step: no case data or audit detail is read, no calendar is joined.
The filters have indexes: the period (``created_at`` on both tables), the category and the
district (each with the period)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, true

from processes.tables.facts import CaseFact, StepFact

Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month(day: date) -> str:
    return day.strftime("%Y-%m")


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

    def whole_months(self) -> tuple[str | None, str | None] | None:
        """The months (``YYYY-MM``, first and last; None: open) read from the tallies, None when
        none is: those the period covers whole, and a month it covers in part whose days outside
        the period are fewer than those inside (:meth:`edges` takes them away again)."""
        first = last = None
        if self.since is not None:
            first = _month(self.since if self._start_taken() else _next_month(self.since))
        if self.until is not None:
            last = _month(self.until if self._end_taken() else self.until.replace(day=1) - timedelta(days=1))
        if first is not None and last is not None and first > last:
            return None
        return first, last

    def _start_taken(self) -> bool:
        """Whether the month of ``since`` is read from the tallies: its days before ``since``
        are fewer than those from ``since`` on."""
        assert self.since is not None
        if self._same_month():
            return self._one_month_taken()
        return self.since.day - 1 < (_next_month(self.since) - self.since).days

    def _end_taken(self) -> bool:
        """The same for the month of ``until``: its days after ``until`` against those up to it."""
        assert self.until is not None
        if self._same_month():
            return self._one_month_taken()
        return (_next_month(self.until) - self.until).days - 1 < self.until.day

    def _same_month(self) -> bool:
        return self.since is not None and self.until is not None and _month(self.since) == _month(self.until)

    def _one_month_taken(self) -> bool:
        """For a period within one month: whether the days outside it are fewer than inside."""
        assert self.since is not None and self.until is not None
        inside = (self.until - self.since).days + 1
        days = (_next_month(self.since) - self.since.replace(day=1)).days
        return inside > 0 and days - inside < inside

    def edges(self) -> list[tuple[Filters, int]]:
        """What to read from the facts besides the tallies (:meth:`whole_months`): these filters
        for some days of a month, to add (1) or take away (−1) — at most half a month at each
        end; or the whole period when no month is read from the tallies."""
        months = self.whole_months()
        if months is None:
            return [(self, 1)] if self.since is None or self.until is None or self.since <= self.until else []
        found: list[tuple[Filters, int]] = []
        first, last = months
        if self.since is not None and self.since.day != 1:
            if first == _month(self.since):
                found.append((replace(self, since=self.since.replace(day=1), until=self.since - timedelta(days=1)), -1))
            else:
                found.append((replace(self, until=_next_month(self.since) - timedelta(days=1)), 1))
        if self.until is not None and _next_month(self.until) != self.until + timedelta(days=1):
            if last == _month(self.until):
                found.append((replace(self, since=self.until + timedelta(days=1),
                                      until=_next_month(self.until) - timedelta(days=1)), -1))
            else:
                found.append((replace(self, since=self.until.replace(day=1)), 1))
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
        # The period on the case too (a step carries its case's ``created_at``): a district's
        # cases of a few weeks are an index range, not all of its cases.
        return query.join(CaseFact, CaseFact.instance_id == StepFact.instance_id).where(
            *of_the_case, *self.period(CaseFact.created_at))


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
