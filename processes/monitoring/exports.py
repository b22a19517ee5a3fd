"""CSV and XLSX of the initiatives (one row per initiative) and of the steps (one row per task,
completed or open, with its times), for the filters of the dashboard. No names, e-mail
addresses or answers of initiators: what the monitoring needs, not more (AVG).

The rows come from the facts (no case data or audit detail is read) with their times written
as text by the database, and go into the file as they come (streamed in batches). On PostgreSQL
the database writes the file's rows itself and sends them with ``COPY``: a CSV's lines, and an
XLSX sheet's rows as SpreadsheetML (:mod:`processes.monitoring.xlsx_sql`). The time an export
takes grows with the rows it holds, not more."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, case, func, null, select, union_all
from sqlalchemy.orm import Session

from engine import OpenTask, ProcessInstance
from processes.loket import Loket
from processes.monitoring.sql import Filters
from processes.monitoring.xlsx import Sheet, WrittenRows, write_xlsx
from processes.monitoring.xlsx_sql import copied_rows
from processes.tables.facts import CaseFact, StepFact

WHAT = ("initiatieven", "stappen")
FORMATS = ("csv", "xlsx")
CASE_COLUMNS = ("nummer", "titel", "binnengekomen", "status", "categorie", "voorgestelde_categorie", "regel", "wijk",
                "soort_initiatiefnemer", "kanaal", "uitkomst", "tevredenheid", "laatst_gewijzigd")
STEP_COLUMNS = ("nummer", "proces", "stap", "geopend", "afgerond", "seconden_open", "werkdagen_open", "door",
                "team", "uiterlijk", "te_laat")
BATCH = 5000
BOM = "\ufeff"
DELIMITER = ";"  # what Excel in a Dutch locale opens in columns
# The whole result is read: plan for all of it (not the first rows) and sort it in memory.
POSTGRES_SETTINGS = ("SET LOCAL cursor_tuple_fraction = 1", "SET LOCAL work_mem = '64MB'")


def _postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _time(conn: Connection, moment: Any, seconds_before: Any = None) -> Any:
    """A timestamp as ``YYYY-MM-DD HH:MM:SS`` (UTC), written by the database."""
    if _postgres(conn):
        if seconds_before is not None:
            moment = moment - func.make_interval(0, 0, 0, 0, 0, 0, seconds_before)
        return func.to_char(func.timezone("UTC", moment), "YYYY-MM-DD HH24:MI:SS")
    if seconds_before is not None:
        return func.strftime("%Y-%m-%d %H:%M:%S", moment, func.printf("-%d seconds", seconds_before))
    return func.strftime("%Y-%m-%d %H:%M:%S", moment)


def _cases(conn: Connection, filters: Filters) -> Select[Any]:
    return (select(CaseFact.case_ref, ProcessInstance.title, _time(conn, CaseFact.created_at), CaseFact.state,
                   CaseFact.category, CaseFact.suggested, CaseFact.rule, CaseFact.district, CaseFact.kind,
                   CaseFact.channel, CaseFact.outcome, CaseFact.score, _time(conn, ProcessInstance.updated_at))
            .join(ProcessInstance, ProcessInstance.id == CaseFact.instance_id)
            .where(filters.condition()).order_by(CaseFact.created_at, CaseFact.instance_id))


def _steps(conn: Connection, filters: Filters) -> Select[Any]:
    """Completed and open tasks, per initiative in the order of their times."""
    done = _time(conn, StepFact.done_at)
    completed = filters.on_steps(select(
        StepFact.case_ref.label("ref"), done.label("at"), StepFact.process.label("process"),
        StepFact.element.label("element"), _time(conn, StepFact.done_at, StepFact.seconds).label("opened"),
        done.label("done"), StepFact.seconds.label("seconds"), StepFact.work_days.label("work"),
        StepFact.actor.label("actor"), null().label("team"), null().label("due"), null().label("late")))
    opened = _time(conn, OpenTask.created_at)
    still_open = (select(CaseFact.case_ref, opened, OpenTask.process_id, OpenTask.task_name, opened, null(), null(),
                         null(), OpenTask.assignee, OpenTask.candidate_group, _time(conn, OpenTask.due_at),
                         case((OpenTask.overdue.is_(True), "ja"), else_="nee"))
                  .join(CaseFact, CaseFact.instance_id == OpenTask.instance_id).where(filters.condition()))
    both = union_all(completed, still_open).subquery("taken")
    columns = [column for column in both.c if column.key != "at"]
    return select(*columns).order_by(both.c.ref, both.c.at)


def _prepared(session: Session) -> Connection:
    conn = session.connection()
    if _postgres(conn):
        for setting in POSTGRES_SETTINGS:
            conn.exec_driver_sql(setting)
    return conn


def _streamed(conn: Connection, query: Select[Any]) -> Iterator[tuple[Any, ...]]:
    yield from conn.execute(query.execution_options(yield_per=BATCH))


def _sheet_rows(conn: Connection, query: Select[Any]) -> Iterable[tuple[Any, ...]] | WrittenRows:
    """A sheet's rows: on PostgreSQL written as SpreadsheetML by the database."""
    if _postgres(conn):
        return WrittenRows(copied_rows(conn, query))
    return _streamed(conn, query)


def _csv(conn: Connection, columns: tuple[str, ...], query: Select[Any]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\n")
    writer.writerow(columns)
    if not _postgres(conn):
        writer.writerows(_streamed(conn, query))  # an empty value (None) is an empty field
        return out.getvalue().encode("utf-8")
    found = io.BytesIO()
    found.write(out.getvalue().encode("utf-8"))
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    copy_sql = f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv, DELIMITER '{DELIMITER}')"
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(copy_sql, compiled.params) as copy:
        for block in copy:
            found.write(block)
    return found.getvalue()


def _xlsx(sheets: list[Sheet]) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, sheets)
    return out.getvalue()


def export(loket: Loket, what: str, fmt: str, filters: Filters) -> bytes:
    """The file's content; ValueError for a kind or format that does not exist."""
    if what not in WHAT or fmt not in FORMATS:
        raise ValueError(f"unknown export {what}.{fmt}")
    with loket.reading() as session:
        conn = _prepared(session)
        columns, query = ((CASE_COLUMNS, _cases(conn, filters)) if what == "initiatieven"
                          else (STEP_COLUMNS, _steps(conn, filters)))
        if fmt == "csv":
            return _csv(conn, columns, query)
        return _xlsx([(what, columns, _sheet_rows(conn, query))])


def workbook(loket: Loket, filters: Filters) -> bytes:
    """One XLSX file with two sheets: the initiatives and the steps."""
    with loket.reading() as session:
        conn = _prepared(session)
        return _xlsx([("initiatieven", CASE_COLUMNS, _sheet_rows(conn, _cases(conn, filters))),
                      ("stappen", STEP_COLUMNS, _sheet_rows(conn, _steps(conn, filters)))])
