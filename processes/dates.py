"""Dates the way people read them in a mail, in the initiator's language (local time)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from engine import day_in_words

LOCAL_TIME = ZoneInfo("Europe/Amsterdam")


def long_date(moment: datetime | date, lang: str) -> str:
    """``4 december 2026`` (Dutch) or ``4 December 2026`` (English)."""
    day = moment.astimezone(LOCAL_TIME).date() if isinstance(moment, datetime) else moment
    return day_in_words(day, lang)
