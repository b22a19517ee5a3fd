"""The access log of personal data for the privacyfunctionaris: who searched for initiatives
and who opened which case when (``staff_kcc_access``, written by :mod:`processes.kcc`), with
filters for a case reference, a staff member and a period, one page at a time or as CSV.

The privacy officer reads the log only: nothing here opens a case file or shows case data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from engine import ProcessInstance
from processes import clock
from processes.access import Principal
from processes.loket import Loket, reads
from processes.paging import clamp_page, page_count, page_numbers
from processes.tables.staff import KccAccess, StaffUser

PAGE_SIZE = 50
CSV_LIMIT = 100_000
"""At most this many rows in one CSV file (narrow the filters for more)."""
LOCAL = ZoneInfo("Europe/Amsterdam")
_REFERENCE = re.compile(r"^[A-Z0-9-]{1,40}$")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LogFilter:
    """A case reference, a staff member's e-mail address and a period (local days, both included)."""

    case_ref: str = ""
    staff: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1

    @classmethod
    def of(cls, args: Mapping[str, str]) -> tuple[LogFilter, dict[str, str]]:
        """The filter from the page's fields (``dossier``, ``medewerker``, ``van``, ``tot``,
        ``pagina``) and the problems with them (field → reason code); a wrong field is left out."""
        problems: dict[str, str] = {}
        case_ref = (args.get("dossier") or "").strip().upper()[:40]
        if case_ref and not _REFERENCE.match(case_ref):
            problems["dossier"] = "reference_invalid"
            case_ref = ""
        since, until = _day(args.get("van"), "van", problems), _day(args.get("tot"), "tot", problems)
        if since and until and since > until:
            problems["tot"] = "period_reversed"
            until = None
        page_text = (args.get("pagina") or "").strip()
        page = int(page_text) if page_text.isdigit() and len(page_text) < 7 else 1
        return cls(case_ref, (args.get("medewerker") or "").strip().lower()[:254], since, until, page), problems

    def args(self, **changes: Any) -> dict[str, str]:
        """The filter as the page's query string (for the page links and the CSV link)."""
        shown = replace(self, **changes)
        found = {"dossier": shown.case_ref, "medewerker": shown.staff,
                 "van": shown.since.isoformat() if shown.since else "",
                 "tot": shown.until.isoformat() if shown.until else "", "pagina": str(shown.page)}
        return {key: value for key, value in found.items() if value and value != "1"}


def _day(text: str | None, field: str, problems: dict[str, str]) -> date | None:
    value = (text or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        problems[field] = "date_invalid"
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL)


def _conditions(session: Session, flt: LogFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if flt.case_ref:
        instance_id = session.scalar(select(ProcessInstance.id).where(ProcessInstance.case_ref == flt.case_ref))
        found.append(KccAccess.instance_id == (instance_id if instance_id is not None else -1))
    if flt.staff:
        found.append(func.lower(KccAccess.user_email) == flt.staff)
    if flt.since:
        found.append(KccAccess.at >= _start_of(flt.since))
    if flt.until:
        found.append(KccAccess.at < _start_of(flt.until + timedelta(days=1)))
    return found


@dataclass(frozen=True)
class Entry:
    at: datetime
    name: str | None
    email: str
    action: str
    """``search`` or ``view``."""
    case_ref: str | None
    query: str | None
    result_count: int | None


LogQuery = Select[datetime, str, str, str, str, str | None, int | None]
"""When, who (name, e-mail), what, which case, the search and its number of results."""


def _rows(conditions: list[ColumnElement[bool]]) -> LogQuery:
    return (select(KccAccess.at, StaffUser.name, KccAccess.user_email, KccAccess.action, ProcessInstance.case_ref,
                   KccAccess.query, KccAccess.result_count)
            .outerjoin(StaffUser, StaffUser.id == KccAccess.user_id)
            .outerjoin(ProcessInstance, ProcessInstance.id == KccAccess.instance_id)
            .where(*conditions).order_by(KccAccess.at.desc(), KccAccess.id.desc()))


@dataclass(frozen=True)
class LogPage:
    entries: list[Entry]
    total: int
    page: int
    staff: list[tuple[str, str]]
    """Every staff member (e-mail, name) to filter on."""
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)

    @property
    def numbers(self) -> list[int | None]:
        return page_numbers(self.page, self.pages)


@reads
def log_page(session: Session, flt: LogFilter) -> LogPage:
    """One page of the entries that match, newest first (a page past the last gives the last)."""
    conditions = _conditions(session, flt)
    total = int(session.scalar(select(func.count()).select_from(KccAccess).where(*conditions)) or 0)
    page = clamp_page(flt.page, total, PAGE_SIZE)
    rows = session.execute(_rows(conditions).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    staff = [(email, name) for email, name in
             session.execute(select(StaffUser.email, StaffUser.name).order_by(StaffUser.name)).all()]
    return LogPage([Entry(*row) for row in rows], total, page, staff)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S")
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text  # never a formula in a spreadsheet


COLUMNS = ("tijdstip", "medewerker", "e-mailadres", "handeling", "initiatief", "zoekopdracht", "resultaten")
ACTIONS = {"search": "zocht", "view": "bekeek initiatief (KCC)", "dossier": "opende het dossier",
           "taak": "opende een taak"}


@reads
def log_csv(session: Session, flt: LogFilter) -> bytes:
    """Every entry that matches (up to :data:`CSV_LIMIT`), newest first, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what Excel in a Dutch locale opens in columns
    writer.writerow(COLUMNS)
    for at, name, email, action, case_ref, query, count in session.execute(
            _rows(_conditions(session, flt)).limit(CSV_LIMIT)):
        writer.writerow([_cell(value) for value in (at, name, email, ACTIONS.get(action, action), case_ref, query,
                                                     count)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


VIEW_ACTIONS = ("dossier", "taak")
"""What staff outside the contact centre open that shows personal data: the case file, a task page."""


def log_view(loket: Loket, principal: Principal, instance_id: int, action: str) -> None:
    """Write down that ``principal`` opened a case file or a task page of ``instance_id`` now,
    in a unit of work of its own: the site calls this after the page is sent, so a reader
    never waits for the write lock."""
    with loket.transaction() as session:
        session.add(KccAccess(user_id=principal.id, user_email=principal.email, action=action[:20],
                              instance_id=instance_id, at=clock.now()))
