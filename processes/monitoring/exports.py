"""CSV and XLSX of the initiatives (one row per initiative) and of the steps (one row per task,
completed or open, with its times), for the filters of the dashboard. No names, e-mail
addresses or answers of initiators: what the monitoring needs, not more (AVG)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import Workbook
from sqlalchemy import literal, null, select, union_all
from sqlalchemy.orm import Session

from engine import AuditEvent, OpenTask, ProcessInstance
from processes import clock
from processes.loket import Loket
from processes.monitoring.feedback import OUTCOME, RULE, SCORE, SUGGESTED
from processes.monitoring.leadtime import COMPLETED, ELEMENT, PROCESS, SECONDS, first_day
from processes.monitoring.sql import CATEGORY, CHANNEL, DISTRICT, KIND, Filters, calendar, day_before, day_of

WHAT = ("initiatieven", "stappen")
FORMATS = ("csv", "xlsx")
CASE_COLUMNS = ("nummer", "titel", "binnengekomen", "status", "categorie", "voorgestelde_categorie", "regel", "wijk",
                "soort_initiatiefnemer", "kanaal", "uitkomst", "tevredenheid", "laatst_gewijzigd")
STEP_COLUMNS = ("nummer", "proces", "stap", "geopend", "afgerond", "seconden_open", "werkdagen_open", "door",
                "team", "uiterlijk", "te_laat")
BATCH = 2000


def _cases(session: Session, filters: Filters) -> Iterator[tuple[Any, ...]]:
    query = (select(ProcessInstance.case_ref, ProcessInstance.title, ProcessInstance.created_at, ProcessInstance.state,
                    CATEGORY, SUGGESTED, RULE, DISTRICT, KIND, CHANNEL, OUTCOME, SCORE, ProcessInstance.updated_at)
             .where(filters.condition()).order_by(ProcessInstance.created_at, ProcessInstance.id))
    yield from (tuple(row) for row in session.execute(query.execution_options(yield_per=BATCH)))


def _steps(session: Session, filters: Filters) -> Iterator[tuple[Any, ...]]:
    start = first_day(session, filters)
    if start is None:
        return
    days = calendar(start, clock.now().date())
    opened, done = days.alias("geopend"), days.alias("klaar")
    completed = (select(ProcessInstance.case_ref.label("ref"), PROCESS.label("proces"), ELEMENT.label("stap"),
                        AuditEvent.at.label("at"), SECONDS.label("seconds"),
                        (done.c.work - opened.c.work).label("work"), AuditEvent.actor.label("actor"),
                        null().label("team"), null().label("due"), literal(False).label("overdue"),
                        literal(1).label("done"))
                 .join(ProcessInstance, ProcessInstance.id == AuditEvent.instance_id)
                 .join(opened, opened.c.day == day_before(session, AuditEvent.at, SECONDS))
                 .join(done, done.c.day == day_of(session, AuditEvent.at))
                 .where(AuditEvent.kind == COMPLETED, SECONDS.is_not(None), filters.condition()))
    still_open = (select(ProcessInstance.case_ref, OpenTask.process_id, OpenTask.task_name, OpenTask.created_at,
                         null(), null(), OpenTask.assignee, OpenTask.candidate_group, OpenTask.due_at,
                         OpenTask.overdue, literal(0))
                  .join(ProcessInstance, ProcessInstance.id == OpenTask.instance_id).where(filters.condition()))
    both = union_all(completed, still_open).subquery("taken")
    query = select(both).order_by(both.c.ref, both.c.at)
    for ref, process, element, at, seconds, work, actor, team, due, overdue, done_flag in session.execute(
            query.execution_options(yield_per=BATCH)):
        moment = _aware(at)
        if done_flag:
            opened_at = moment - timedelta(seconds=int(seconds)) if moment is not None else None
            yield (ref, process, element, opened_at, moment, seconds, work, actor, "", None, "")
        else:
            yield (ref, process, element, moment, None, None, None, actor or "", team or "", _aware(due),
                   "ja" if overdue else "nee")


def _aware(value: Any) -> datetime | None:
    """Timestamps read through a union come back as stored (SQLite: text, without zone)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else value


def _csv(columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # what Excel in a Dutch locale opens in columns
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(sheets: Iterable[tuple[str, tuple[str, ...], Iterable[tuple[Any, ...]]]]) -> bytes:
    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(loket: Loket, what: str, fmt: str, filters: Filters) -> bytes:
    """The file's content; ValueError for a kind or format that does not exist."""
    if what not in WHAT or fmt not in FORMATS:
        raise ValueError(f"unknown export {what}.{fmt}")
    with loket.reading() as session:
        columns, rows = ((CASE_COLUMNS, _cases(session, filters)) if what == "initiatieven"
                         else (STEP_COLUMNS, _steps(session, filters)))
        return _csv(columns, rows) if fmt == "csv" else _xlsx([(what, columns, rows)])


def workbook(loket: Loket, filters: Filters) -> bytes:
    """One XLSX file with two sheets: the initiatives and the steps."""
    with loket.reading() as session:
        return _xlsx([("initiatieven", CASE_COLUMNS, _cases(session, filters)),
                      ("stappen", STEP_COLUMNS, _steps(session, filters))])
