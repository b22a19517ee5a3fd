"""CSV and XLSX of the initiatives (one row per initiative) and of the steps (one row per task,
completed or open, with its times), for the filters of the dashboard. No names, e-mail
addresses or answers of initiators: what the monitoring needs, not more (AVG)."""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import OpenTask, ProcessInstance
from processes.loket import Loket
from processes.monitoring.sql import Filters
from processes.tables.facts import CaseFact, StepFact

WHAT = ("initiatieven", "stappen")
FORMATS = ("csv", "xlsx")
CASE_COLUMNS = ("nummer", "titel", "binnengekomen", "status", "categorie", "voorgestelde_categorie", "regel", "wijk",
                "soort_initiatiefnemer", "kanaal", "uitkomst", "tevredenheid", "laatst_gewijzigd")
STEP_COLUMNS = ("nummer", "proces", "stap", "geopend", "afgerond", "seconden_open", "werkdagen_open", "door",
                "team", "uiterlijk", "te_laat")
BATCH = 2000


def _cases(session: Session, filters: Filters) -> Iterator[tuple[Any, ...]]:
    query = (select(CaseFact.case_ref, ProcessInstance.title, CaseFact.created_at, CaseFact.state, CaseFact.category,
                    CaseFact.suggested, CaseFact.rule, CaseFact.district, CaseFact.kind, CaseFact.channel,
                    CaseFact.outcome, CaseFact.score, ProcessInstance.updated_at)
             .join(ProcessInstance, ProcessInstance.id == CaseFact.instance_id)
             .where(filters.condition()).order_by(CaseFact.created_at, CaseFact.instance_id))
    yield from session.execute(query.execution_options(yield_per=BATCH))


def _completed(session: Session, filters: Filters) -> Iterator[tuple[Any, ...]]:
    query = filters.on_steps(select(StepFact.case_ref, StepFact.done_at, StepFact.process, StepFact.element,
                                    StepFact.seconds, StepFact.work_days, StepFact.actor)
                             ).order_by(StepFact.case_ref, StepFact.done_at, StepFact.id)
    for ref, done, process, element, seconds, work, actor in session.execute(
            query.execution_options(yield_per=BATCH)):
        yield (ref, done, process, element, done - timedelta(seconds=seconds), done, seconds, work, actor, "", None,
               "")


def _still_open(session: Session, filters: Filters) -> list[tuple[Any, ...]]:
    """The open tasks (as many as there is work now, read at once)."""
    query = (select(CaseFact.case_ref, OpenTask.created_at, OpenTask.process_id, OpenTask.task_name,
                    OpenTask.assignee, OpenTask.candidate_group, OpenTask.due_at, OpenTask.overdue)
             .join(CaseFact, CaseFact.instance_id == OpenTask.instance_id).where(filters.condition())
             .order_by(CaseFact.case_ref, OpenTask.created_at, OpenTask.task_id))
    return [(ref, opened, process, element, opened, None, None, None, actor or "", team or "", due,
             "ja" if overdue else "nee")
            for ref, opened, process, element, actor, team, due, overdue in session.execute(query)]


def _steps(session: Session, filters: Filters) -> Iterator[tuple[Any, ...]]:
    """Completed and open tasks, per initiative in the order of their times: the completed ones
    streamed in the order of their index, merged with the open ones."""
    for row in heapq.merge(_completed(session, filters), _still_open(session, filters), key=lambda row: row[:2]):
        yield (row[0], *row[2:])


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(" ", "seconds")[:19]
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
