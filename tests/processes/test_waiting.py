"""Where cases wait: the counts per element equal the task lists, overdue ones are counted, and
the time spent (median, 80th percentile) comes from the completed tasks of a period, the same
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from engine.service import Engine
from processes import MODELS_DIR
from processes.demo.organisation import load_organisation
from processes.loket import Loket
from processes.waiting import cases_waiting_at, where_cases_wait
from tests.processes.factories import Case, intake_data
from tests.web.staff.support import ACCEPT, INTAKE
from web import create_app, loket_of


@pytest.fixture
def either(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    """The application on SQLite and on PostgreSQL (the percentiles are counted differently)."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    loket = loket_of(app)
    loket.engine.deploy_directory(MODELS_DIR, actor="test")
    with loket.transaction() as session:
        load_organisation(session)
    yield loket
    loket.engine.db.dispose()


def test_waiting_now_equals_the_task_lists_and_time_spent_is_measured(either: Loket) -> None:
    loket, engine = either, either.engine
    cases = [Case.start(engine, intake_data(titel=f"Geveltuin {number}")) for number in range(5)]
    for hours, case in zip((1, 2, 3, 10), cases, strict=False):
        case.advance(hours=hours)
        case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    overview = where_cases_wait(loket, "initiatief")
    row = overview.elements["categorie_bevestigen"]
    assert (row.waiting, row.overdue, row.completed) == (1, 0, 4)
    # opened at 0, completed after 1, 3, 6 and 16 hours of the moving clock
    assert row.median_seconds == pytest.approx(4.5 * 3600)
    assert row.p80_seconds == pytest.approx(10 * 3600)
    green = where_cases_wait(loket, "eenvoudig").elements["groen_beoordelen"]
    assert (green.waiting, green.completed) == (4, 0)
    assert [case.case_ref for case in cases_waiting_at(loket, "eenvoudig", "groen_beoordelen")] == [
        case.info.case_ref for case in cases[:4]]
    cases[0].advance(working_days=11)
    assert where_cases_wait(loket, "eenvoudig").elements["groen_beoordelen"].overdue == 4
    assert set(overview.heat()["staff-warm-1"]) == {"categorie_bevestigen"}


def test_a_period_counts_only_its_completions(loket: Loket, engine: Engine) -> None:
    case = Case.start(engine, intake_data())
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    overview = where_cases_wait(loket, "initiatief", since=date(2000, 1, 1), until=date(2000, 1, 2))
    assert "categorie_bevestigen" not in overview.elements


def test_the_waiting_bench_reports_its_figures() -> None:
    from processes.bench_waiting import format_waiting_report, run_waiting_bench

    found = run_waiting_bench(cases=300, postgres_url="none")
    assert found["sqlite"]["cases"] == 300 and found["sqlite"]["waiting_in_complex"] > 0
    assert "sqlite" in format_waiting_report(found)
