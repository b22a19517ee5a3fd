"""Business calendar: service norms in working days skip weekends and Dutch public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def day_in_words(day: date, lang: str = "nl") -> str:
    """``4 december 2026`` (Dutch, also for an unknown language) or ``4 December 2026`` (English)."""
    return f"{day.day} {_MONTHS.get(lang, _MONTHS['nl'])[day.month - 1]} {day.year}"


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> frozenset[date]:
    days = set(holidays.country_holidays("NL", years=year).keys())
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment ``days`` working days after ``start`` (same time of day).

    Counting starts the next day, so a request on Friday with a norm of 1 working day is due
    on Monday (or the first working day after a holiday).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current.date()):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
