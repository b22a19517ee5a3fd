"""``loket bench engine`` runs both databases in one run and prints every figure."""

from __future__ import annotations

import json

from click.testing import CliRunner

from web.cli import cli

KEYS = {
    "raw_start_ms", "engine_start_ms", "raw_complete_ms", "engine_complete_ms",
    "instances_per_s", "stored_bytes_per_instance", "commit_floor_ms",
}


def test_bench_engine_prints_json_for_both_databases(postgres_url: str) -> None:
    result = CliRunner().invoke(cli, ["bench", "engine", "--json", "--rounds", "15", "--postgres-url", postgres_url])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"sqlite", "postgresql"}
    for figures in report.values():
        assert KEYS <= set(figures)
        assert figures["engine_start_ms"] > 0 and figures["raw_start_ms"] > 0
        # A finished instance keeps its state, audit trail and no open tasks: well under 10 KB.
        assert 0 < figures["stored_bytes_per_instance"] < 10_000
        # A persisted step includes at least one durable commit.
        assert figures["engine_complete_ms"] > figures["commit_floor_ms"] > 0


def test_bench_engine_table_names_the_targets() -> None:
    result = CliRunner().invoke(cli, ["bench", "engine", "--rounds", "5", "--no-postgres"])
    assert result.exit_code == 0, result.output
    assert "sqlite" in result.output and "Doelen" in result.output
