"""Dates the way people read them in a mail, in the initiator's language (local time)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def long_date(moment: datetime | date, lang: str) -> str:
    """``4 december 2026`` (Dutch) or ``4 December 2026`` (English)."""
    day = moment.astimezone(LOCAL_TIME).date() if isinstance(moment, datetime) else moment
    months = _MONTHS.get(lang, _MONTHS["nl"])
    return f"{day.day} {months[day.month - 1]} {day.year}"
