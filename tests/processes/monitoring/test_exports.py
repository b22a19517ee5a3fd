"""The exports read back: one row per initiative, one row per task (completed with its times in
seconds and working days, open with its team and norm), on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from engine import ProcessInstance
from processes.loket import Loket
from processes.monitoring import Filters
from processes.monitoring.exports import CASE_COLUMNS, STEP_COLUMNS, _cases, _steps, export, workbook
from processes.monitoring.xlsx import write_xlsx


def test_the_steps_csv_has_every_task_with_its_times(history: Loket) -> None:
    text = export(history, "stappen", "csv", Filters()).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    done = [(r["nummer"], r["stap"], r["geopend"], r["afgerond"], r["seconden_open"], r["werkdagen_open"])
            for r in rows if r["afgerond"]]
    assert done == [
        ("MON-A", "categorie_bevestigen", "2025-12-22 10:00:00", "2025-12-29 10:00:00", "604800", "3"),
        ("MON-A", "groen_beoordelen", "2025-12-29 10:00:00", "2026-01-16 10:00:00", "1555200", "13"),
        ("MON-B", "categorie_bevestigen", "2026-01-05 09:00:00", "2026-01-05 15:00:00", "21600", "0"),
        ("MON-B", "categorie_bevestigen", "2026-01-08 12:00:00", "2026-01-09 09:00:00", "75600", "1"),
        ("MON-C", "categorie_bevestigen", "2026-01-07 09:00:00", "2026-01-14 09:00:00", "604800", "5"),
    ]
    still_open = sorted((r["nummer"], r["stap"], r["team"], r["uiterlijk"], r["te_laat"]) for r in rows
                        if not r["afgerond"])
    assert still_open == [("MON-B", "intakegesprek", "initiatieventeam", "2026-01-20 09:00:00", "ja"),
                          ("MON-C", "groen_beoordelen", "team-groen", "2026-01-20 09:00:00", "nee")]


def test_the_cases_xlsx_follows_the_filters(history: Loket) -> None:
    book = load_workbook(io.BytesIO(export(history, "initiatieven", "xlsx", Filters(category="eenvoudig"))),
                         read_only=True)
    table = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert table[0] == list(CASE_COLUMNS)
    assert [(row[0], row[4], row[7], row[10]) for row in table[1:]] == [
        ("MON-A", "eenvoudig", "oost", "toegekend"), ("MON-C", "eenvoudig", "oost", None)]  # an empty cell
    with pytest.raises(ValueError):
        export(history, "stappen", "pdf", Filters())


ODD_TITLE = "  Bankje & boom <Lindenstraat>\r\nregel twee\x01\t"


def _sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_the_workbook_reads_back_the_same_whoever_writes_its_rows(history: Loket) -> None:
    """On PostgreSQL the database writes the rows' XML; on both databases the workbook reads
    back as the plain Python writer writes the same rows, odd text included."""
    with history.transaction() as session:
        session.execute(update(ProcessInstance).where(ProcessInstance.case_ref == "MON-A").values(title=ODD_TITLE))
    content = workbook(history, Filters())
    with history.reading() as session:
        conn = session.connection()
        expected = io.BytesIO()
        write_xlsx(expected, [("initiatieven", CASE_COLUMNS, list(conn.execute(_cases(conn, Filters())))),
                              ("stappen", STEP_COLUMNS, list(conn.execute(_steps(conn, Filters()))))])
    found = _sheets(content)
    assert found == _sheets(expected.getvalue())
    assert found["initiatieven"][1][:2] == ("MON-A", "  Bankje & boom <Lindenstraat>\r\nregel twee\t")
    assert len(found["stappen"]) == 1 + 5 + 2
