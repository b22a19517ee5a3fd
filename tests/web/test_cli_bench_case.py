"""``loket bench case``: whole cases of the three paths, engine against raw SpiffWorkflow, on SQLite
and PostgreSQL; the figures are there and positive and every engine case really finished (timings
themselves are never asserted)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from processes.bench_case import PATHS, format_case_report
from tests.conftest import POSTGRES_URL
from web.cli import cli


def test_bench_case_runs_every_path_on_both_databases() -> None:
    result = CliRunner().invoke(cli, ["bench", "case", "--json", "--rounds", "1", "--postgres-url", POSTGRES_URL],
                                env={"SECRET_KEY": "test"})
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"sqlite", "postgresql"}
    for database, paths in report.items():
        assert set(paths) == set(PATHS), database
        for path, figures in paths.items():
            assert figures["state"] == "completed", (database, path)
            assert figures["decision"] == "toegekend", (database, path)
            assert figures["raw_ms"] > 0 and figures["engine_ms"] > 0 and figures["ratio"] > 0
            assert figures["human_steps"] >= 3 and figures["jobs"] >= 1 and figures["service_tasks"] >= 1
            assert figures["stored_bytes"] > 0
            assert figures["stored_bytes_by_table"]["process_instance"] > 0
            assert figures["stored_bytes_by_table"]["audit_event"] > 0
            assert isinstance(figures["ratio_met"], bool) and isinstance(figures["bytes_met"], bool)
    assert report["sqlite"]["complex"]["human_steps"] == 11
    text = format_case_report(report)
    assert "complex" in text and "wijkwens" in text and "eenvoudig" in text and "postgresql" in text
