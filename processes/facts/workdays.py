"""Working-day numbers: a day's number counts the working days (the engine's calendar: no
weekends, no Dutch public holidays) from a fixed first day, so the working days between two days
are the difference of their numbers — the days after the first up to and including the second,
as the service-norm timers count them. Facts store numbers; lead times are differences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from engine import is_working_day

EPOCH_YEAR = 2000


@lru_cache(maxsize=256)
def _year(year: int) -> tuple[int, ...]:
    """Per day of the year (index: day of the year − 1) the working days from 1 January up to
    and including it."""
    counts = []
    seen = 0
    day = date(year, 1, 1)
    while day.year == year:
        seen += is_working_day(day)
        counts.append(seen)
        day += timedelta(days=1)
    return tuple(counts)


@lru_cache(maxsize=256)
def _before(year: int) -> int:
    """The working days from 1 January of :data:`EPOCH_YEAR` up to the start of ``year``
    (negative before it)."""
    if year >= EPOCH_YEAR:
        return sum(_year(y)[-1] for y in range(EPOCH_YEAR, year))
    return -sum(_year(y)[-1] for y in range(year, EPOCH_YEAR))


def day_number(day: date) -> int:
    """The working days up to and including ``day``, counted from the first day of 2000."""
    return _before(day.year) + _year(day.year)[day.timetuple().tm_yday - 1]


def utc_day(moment: datetime) -> date:
    """The calendar day of a moment in UTC (as the dashboard's queries always counted)."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


def moment_number(moment: datetime) -> int:
    return day_number(utc_day(moment))
