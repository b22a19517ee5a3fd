"""``loket demo --cases N`` adds a history to the demo; ``loket bench dashboard --json`` prints one
object per view with p50/p95 per size and the ratio."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from engine import ProcessInstance
from processes import MODELS_DIR
from web import create_app, loket_of
from web.cli import cli


def test_demo_with_a_history(database_url: str, tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    loket = loket_of(app)
    loket.engine.deploy_directory(MODELS_DIR, actor="test")
    with loket.reading() as session:
        before = session.scalar(select(func.count()).select_from(ProcessInstance))
    loket.engine.db.dispose()
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "test", "MAIL_FOLDER": str(tmp_path / "mail")}
    result = CliRunner().invoke(cli, ["demo", "--cases", "60"], env=env)
    assert result.exit_code == 0, result.output
    assert "60 initiatieven met een geschiedenis gemaakt." in result.output
    with loket.reading() as session:
        after = session.scalar(select(func.count()).select_from(ProcessInstance))
    loket.engine.db.dispose()
    assert after - before > 60  # the demo's own initiatives and the history
    refused = CliRunner().invoke(cli, ["demo", "--cases", "-5"], env=env)
    assert refused.exit_code == 2


def test_bench_dashboard_json() -> None:
    result = CliRunner().invoke(cli, ["bench", "dashboard", "--sizes", "30,60", "--rounds", "1", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {"overview", "filtered", "team_lead", "export_cases_csv", "export_steps_csv", "export_xlsx"} == set(found)
    for row in found.values():
        assert set(row) == {"30", "60", "ratio"} and row["30"]["p50_ms"] > 0 and row["60"]["p95_ms"] > 0
    assert CliRunner().invoke(cli, ["bench", "dashboard", "--sizes", "veel"]).exit_code == 2
