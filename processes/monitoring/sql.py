"""What the monitoring queries share: the filters of the dashboard as conditions on the cases,
day and month keys per database, and the working-day calendar as a small table in the query.

A step's or a case's lead time in working days is the difference of two calendar ordinals: the
calendar (one row per day of the period, with the number of working days up to that day; Dutch
holidays by the engine's ``is_working_day``, the calendar of its service-norm timers) is sent
along as a ``VALUES`` list in a ``WITH`` and joined twice, so every lead time is counted in the
database, grouped, never per case here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, and_, cast, column, func, true, values
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CTE

from engine import ProcessInstance, is_working_day
from processes.vocabulary import DISTRICT_FIELD, INITIATIVE_PROCESS

CATEGORY = ProcessInstance.case_data["categorie"].as_string()
DISTRICT = ProcessInstance.case_data[DISTRICT_FIELD].as_string()
KIND = ProcessInstance.case_data["soort_initiatiefnemer"].as_string()
CHANNEL = ProcessInstance.case_data["kanaal"].as_string()
MAX_DAYS = 4000
"""The longest calendar a query carries (about eleven years)."""


@dataclass(frozen=True)
class Filters:
    """Initiatives that came in from ``since`` up to and including ``until``, of one category
    and one district (None: all)."""

    since: date | None = None
    until: date | None = None
    category: str | None = None
    district: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = [ProcessInstance.process_id == INITIATIVE_PROCESS]
        if self.since is not None:
            found.append(ProcessInstance.created_at >= datetime.combine(self.since, time.min))
        if self.until is not None:
            found.append(ProcessInstance.created_at < datetime.combine(self.until + timedelta(days=1), time.min))
        if self.category:
            found.append(CATEGORY == self.category)
        if self.district:
            found.append(DISTRICT == self.district)
        return found

    def condition(self) -> ColumnElement[bool]:
        return and_(true(), *self.conditions())


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def day_of(session: Session, moment: Any) -> Any:
    """The (UTC) calendar day of a timestamp column, comparable with the calendar's days."""
    if is_postgres(session):
        return cast(func.timezone("UTC", moment), Date)
    return func.date(moment)


def day_before(session: Session, moment: Any, seconds: Any) -> Any:
    """The (UTC) day ``seconds`` before a timestamp column (when a completed task was opened)."""
    if is_postgres(session):
        return cast(func.timezone("UTC", moment - func.make_interval(0, 0, 0, 0, 0, 0, seconds)), Date)
    return func.date(moment, func.printf("-%d seconds", seconds))


def month_of(session: Session, moment: Any) -> Any:
    """``YYYY-MM`` of a timestamp column (UTC)."""
    if is_postgres(session):
        return func.to_char(func.timezone("UTC", moment), "YYYY-MM")
    return func.strftime("%Y-%m", moment)


def calendar(first: date, last: date) -> CTE:
    """One row per day from ``first`` to ``last``: ``day``, ``work`` (working days from
    ``first`` up to and including the day) and ``ordinal`` (days since ``first``)."""
    last = min(last, first + timedelta(days=MAX_DAYS))
    rows = []
    work = 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        work += is_working_day(day) and offset > 0
        rows.append((day, work, offset))
    return values(column("day", Date), column("work", Integer), column("ordinal", Integer),
                  name="werkkalender").data(rows).cte("werkkalender")


def percentile(counts: dict[int, int], fraction: float) -> float | None:
    """As PostgreSQL's ``percentile_cont`` over the values ``counts`` holds (value → how many):
    linear between the two values around the position ``fraction × (n − 1)``."""
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
