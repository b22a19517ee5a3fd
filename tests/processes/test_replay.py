"""Replaying a changed categorisation table on past intakes: the counts old → new, the list of
initiatives that switch with the rule then and now, a period, and the same from the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import insert

from engine import ProcessInstance, read_bundle_files
from engine.service import Engine
from processes import MODELS_DIR, replay
from processes.bench_replay import CHANGE, _history
from processes.loket import Loket
from tests.processes.factories import Case, intake_data, wijkwens_data
from web.cli import cli

FILES = read_bundle_files(MODELS_DIR)
CHANGED = {**FILES, "categorisatie.dmn": FILES["categorisatie.dmn"].replace(*CHANGE)}


def add_history(loket: Loket, engine: Engine, cases: int) -> list[dict[str, object]]:
    version_id = Case.start(engine, intake_data()).info.model_version_id
    rows = [row for batch in _history(cases, version_id) for row in batch]
    with loket.transaction() as session:
        session.execute(insert(ProcessInstance), rows)
    return rows


def test_a_lower_wijkwens_limit_switches_exactly_the_wijkwensen_above_it(loket: Loket, engine: Engine) -> None:
    rows = add_history(loket, engine, 400)
    expected = {str(row["case_ref"]) for row in rows
                if row["case_data"]["categorie_voorstel"] == "wijkwens"  # type: ignore[index]
                and row["case_data"]["gevraagd_bedrag"] > 1000}  # type: ignore[index]
    assert expected  # the generated history has such initiatives

    report = replay.replay(loket, CHANGED, FILES)
    assert report.total == 401 and report.unreadable == 0
    assert {switch.case_ref for switch in report.switches} == expected
    assert report.switched == len(expected) == report.changes[("wijkwens", "complex")]
    assert all((s.before, s.after) == ("wijkwens", "complex") for s in report.switches)
    assert {s.before_rule for s in report.switches} == {"R6", "R9", "R10", "R11"}  # every wijkwens rule has the limit
    before, after = report.per_category["wijkwens"]
    assert before - after == len(expected)
    assert sum(count for (old, new), count in report.changes.items() if old == new) == 401 - len(expected)


def test_the_table_in_use_switches_nothing(loket: Loket, engine: Engine) -> None:
    add_history(loket, engine, 50)
    report = replay.replay(loket, FILES, FILES)
    assert report.total == 51 and report.switched == 0 and report.switches == []


def test_a_period_replays_only_its_initiatives(loket: Loket, engine: Engine) -> None:
    rows = add_history(loket, engine, 300)  # every 5 minutes from 1 January 2025
    report = replay.replay(loket, CHANGED, FILES, since=date(2025, 1, 1), until=date(2025, 1, 1))
    assert report.total == sum(1 for row in rows if row["created_at"].date() == date(2025, 1, 1))  # type: ignore[union-attr]


def test_a_real_case_counts_with_what_it_got(loket: Loket, engine: Engine) -> None:
    Case.start(engine, wijkwens_data(gevraagd_bedrag=2000))
    report = replay.replay(loket, CHANGED, FILES)
    assert [(s.before, s.before_rule, s.after, s.after_rule) for s in report.switches] == [
        ("wijkwens", "R6", "complex", "R8")]


def test_models_replay_prints_the_counts_and_the_switches(app: Flask, engine: Engine, tmp_path: Path) -> None:
    case = Case.start(engine, wijkwens_data(gevraagd_bedrag=2000))
    table = tmp_path / "categorisatie.dmn"
    table.write_bytes(CHANGED["categorisatie.dmn"])
    result = app.test_cli_runner().invoke(cli, ["models", "replay", str(table)])
    assert result.exit_code == 0, result.output
    assert "1 krijgen een andere categorie." in result.output
    assert f"{case.info.case_ref}: wijkwens (R6) -> complex (R8)" in result.output

    table.write_bytes(b"<kapot")
    result = app.test_cli_runner().invoke(cli, ["models", "replay", str(table)])
    assert result.exit_code == 1 and "kunnen niet worden gelezen" in result.output


def test_the_replay_bench_reports_its_figures() -> None:
    from processes.bench_replay import format_replay_report, run_replay_bench

    found = run_replay_bench(cases=300, postgres_url="none")
    assert found["sqlite"]["cases"] == 300 and found["sqlite"]["switched"] > 0
    assert "sqlite" in format_replay_report(found)
