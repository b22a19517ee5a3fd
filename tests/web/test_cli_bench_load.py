"""``loket bench load``: a tiny load (3 users, short think times, a few seconds) against the site
served as in production on a fresh PostgreSQL database. Every journey ran, nothing went wrong,
and the figures have their structure (no timing asserts: the machine is shared)."""

from __future__ import annotations

import json

import psycopg
from click.testing import CliRunner

from tests.conftest import POSTGRES_URL
from web.cli import cli


def _bench_databases() -> set[str]:
    with psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        return {row[0] for row in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'loket_load_%'")}


def test_a_tiny_load_runs_every_journey_without_errors() -> None:
    before = _bench_databases()
    result = CliRunner().invoke(cli, ["bench", "load", "--users", "3", "--seconds", "10", "--think", "0.05-0.2",
                                      "--workers", "2", "--json", "--postgres-url", POSTGRES_URL])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["errors"] == 0, found["error_samples"]
    assert set(found["journeys"]) == {"aanmelden", "status_bekijken", "taak_afronden", "kcc_zoeken"}
    assert all(count > 0 for count in found["journeys"].values())
    assert found["confirmed_submissions"] >= found["journeys"]["aanmelden"]
    steps = {step["step"]: step for step in found["steps"]}
    for name in ("aanmelden.stap_opslaan", "aanmelden.versturen", "portaal.status", "medewerker.inloggen",
                 "medewerker.afronden", "kcc.zoeken"):
        assert steps[name]["count"] > 0, name
    for step in steps.values():
        assert step["p50_ms"] <= step["p95_ms"] <= step["p99_ms"] <= step["max_ms"]
        assert set(step) == {"step", "count", "errors", "conflicts", "p50_ms", "p95_ms", "p99_ms", "max_ms"}
    assert found["requests"] == sum(step["count"] for step in steps.values())
    assert found["requests_per_second"] > 0
    steady = found["steady"]
    assert 0 < steady["requests"] <= found["requests"] and steady["worst_step"] in steps
    assert steady["p50_ms"] <= steady["p95_ms"] <= steady["p99_ms"]
    assert set(found["target"]) == {"p95_ms", "errors", "worst_step_p95_ms", "met",
                                    "worst_step_p95_ms_without_password_check", "met_without_password_check"}
    assert found["site"]["workers"] == 2
    assert _bench_databases() == before  # the bench dropped its database
