"""``loket bench dashboard``: the dashboard's views and exports timed on PostgreSQL at 1,000 and
100,000 initiatives of generated history (:mod:`processes.monitoring.history`), each size in a
fresh database: p50 and p95 per view and size, and each view's time at the largest size
divided by its time at the smallest. Target: every view at most 1 s at 100,000 and at most
1.3× its time at 1,000."""

from __future__ import annotations

import os
import random
import statistics
from collections.abc import Callable
from datetime import timedelta
from time import perf_counter
from typing import Any

import psycopg

import processes.tables  # noqa: F401 - every table on the metadata
from engine import Base
from processes import MODELS_DIR, clock
from processes.loket import Loket, build_loket
from processes.monitoring.dashboard import Scope, dashboard
from processes.monitoring.exports import export, workbook
from processes.monitoring.history import generate
from processes.monitoring.sql import Filters

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_SIZES = (1_000, 100_000)
TARGET_SECONDS = 1.0
TARGET_RATIO = 1.3


def views() -> dict[str, Callable[[Loket], Any]]:
    year_ago = clock.now().date() - timedelta(days=365)
    return {
        "overview": lambda loket: dashboard(loket, Filters(), Scope()),
        "filtered": lambda loket: dashboard(loket, Filters(year_ago, None, "wijkwens", "oost"), Scope()),
        "team_lead": lambda loket: dashboard(loket, Filters(), Scope(frozenset({"team-groen"}))),
        "export_cases_csv": lambda loket: export(loket, "initiatieven", "csv", Filters()),
        "export_steps_csv": lambda loket: export(loket, "stappen", "csv", Filters()),
        "export_xlsx": lambda loket: workbook(loket, Filters()),
    }


def _server(postgres_url: str | None) -> str:
    return (postgres_url or os.environ.get("LOKET_TEST_POSTGRES_URL") or DEFAULT_POSTGRES).replace(
        "postgresql+psycopg://", "postgresql://")


def time_size(server: str, size: int, rounds: int) -> dict[str, dict[str, float]]:
    name = f"loket_dashboard_{random.randrange(16**8):08x}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        loket = build_loket(f"{server.rpartition('/')[0]}/{name}")
        Base.metadata.create_all(loket.engine.db.engine)
        loket.engine.deploy_directory(MODELS_DIR, actor="bench")
        generate(loket, size)
        found: dict[str, dict[str, float]] = {}
        for view, run in views().items():
            run(loket)  # warm: plans and the outline cache
            times = []
            for _ in range(rounds):
                started = perf_counter()
                run(loket)
                times.append((perf_counter() - started) * 1000)
            times.sort()
            found[view] = {"p50_ms": round(statistics.median(times), 1),
                           "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)}
        loket.engine.db.dispose()
        return found
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_dashboard_bench(sizes: tuple[int, ...] = DEFAULT_SIZES, *, rounds: int = 5,
                        postgres_url: str | None = None) -> dict[str, dict[str, Any]]:
    """Per view: per size its p50 and p95 in ms, and ``ratio`` (largest size's p50 / smallest's)."""
    server = _server(postgres_url)
    measured = {size: time_size(server, size, rounds) for size in sizes}
    found: dict[str, dict[str, Any]] = {}
    for view in views():
        row: dict[str, Any] = {str(size): measured[size][view] for size in sizes}
        smallest, largest = measured[min(sizes)][view]["p50_ms"], measured[max(sizes)][view]["p50_ms"]
        row["ratio"] = round(largest / smallest, 2) if smallest else None
        found[view] = row
    return found


def format_dashboard_report(found: dict[str, dict[str, Any]]) -> str:
    sizes = sorted({key for row in found.values() for key in row if key != "ratio"}, key=int)
    lines = ["view               " + "".join(f"{size + ' p50/p95 ms':>26}" for size in sizes) + "   ratio"]
    for view, row in found.items():
        cells = "".join(f"{row[size]['p50_ms']:>15.1f} / {row[size]['p95_ms']:>8.1f}" for size in sizes)
        lines.append(f"{view:<19}{cells}   {row['ratio']}")
    lines.append(f"Doel: elke weergave hoogstens {TARGET_SECONDS:.0f} s bij 100.000 initiatieven en hoogstens "
                 f"{TARGET_RATIO}× de tijd bij 1.000.")
    return "\n".join(lines)
