"""``loket bench replay``: a pilot's worth of past intakes (100,000 by default) in a fresh
database, and the changed categorisation table replayed on all of them, timed. Target: at most
10 seconds on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import psycopg
from sqlalchemy import insert

from engine import Base, ProcessInstance, compile_decision, read_bundle_files
from processes import MODELS_DIR
from processes.loket import build_loket
from processes.replay import replay
from processes.vocabulary import CATEGORY_DECISION, INITIATIVE_PROCESS

TARGET_SECONDS = 10.0
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DISCIPLINES = ["groen", "verkeer", "sociaal", "cultuur", "sport", "veiligheid", "vastgoed", "evenementen"]
CHANGE = (b"&lt;= 2500", b"&lt;= 1000")
"""The change replayed: wijkwensen only up to 1,000 euro instead of 2,500."""


def _answers(rng: random.Random) -> dict[str, Any]:
    return {
        "titel": "Initiatief", "vergunning_nodig": rng.random() < 0.2, "locatie_nodig": rng.random() < 0.2,
        "reikwijdte": rng.choice(["straat", "buurt", "wijk", "stad"]),
        "disciplines": rng.sample(DISCIPLINES, rng.randint(1, 3)),
        "soort_initiatief": rng.choice(["groen", "activiteit", "voorziening", "anders"]),
        "gevraagd_bedrag": rng.choice([0, 250, 750, 1500, 2400, 3000]),
    }


def _history(cases: int, version_id: int, seed: int = 7) -> Iterator[list[dict[str, Any]]]:
    decision = compile_decision(read_bundle_files(MODELS_DIR), CATEGORY_DECISION)
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch: list[dict[str, Any]] = []
    for number in range(1, cases + 1):
        data = _answers(rng)
        hit = decision.decide(data)
        data.update(hit.outputs if hit else {})
        moment = start + timedelta(minutes=5 * number)
        batch.append({"case_ref": f"BENCH-{number:07d}", "model_version_id": version_id, "process_id":
                      INITIATIVE_PROCESS, "state": "completed", "has_incident": False, "title": f"Initiatief {number}",
                      "case_data": data, "workflow_state": b"", "row_version": 1, "created_at": moment,
                      "updated_at": moment, "started_by": "bench"})
        if len(batch) == 5000:
            yield batch
            batch = []
    if batch:
        yield batch


def bench_replay(database_url: str, cases: int) -> dict[str, Any]:
    loket = build_loket(database_url)
    Base.metadata.create_all(loket.engine.db.engine)
    deployed = loket.engine.deploy_directory(MODELS_DIR, actor="bench")
    version_id = next(v.version_id for v in deployed.versions if v.process_id == INITIATIVE_PROCESS)
    for batch in _history(cases, version_id):
        with loket.transaction() as session:
            session.execute(insert(ProcessInstance), batch)
    files = read_bundle_files(MODELS_DIR)
    changed = {**files, "categorisatie.dmn": files["categorisatie.dmn"].replace(*CHANGE)}
    started = perf_counter()
    report = replay(loket, changed, files)
    seconds = perf_counter() - started
    loket.engine.db.dispose()
    return {"cases": report.total, "switched": report.switched, "seconds": round(seconds, 2),
            "decide_seconds": round(report.seconds, 2), "cases_per_second": round(report.total / seconds)}


def run_replay_bench(cases: int = 100_000, postgres_url: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        found["sqlite"] = bench_replay(f"sqlite:///{Path(folder) / 'replay.sqlite3'}", cases)
    if postgres_url != "none":
        server = (postgres_url or os.environ.get("LOKET_TEST_POSTGRES_URL") or DEFAULT_POSTGRES).replace(
            "postgresql+psycopg://", "postgresql://")
        name = f"loket_replay_{random.randrange(16**8):08x}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            found["postgresql"] = bench_replay(f"{server.rpartition('/')[0]}/{name}", cases)
        finally:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return found


def format_replay_report(found: dict[str, Any]) -> str:
    lines = ["database     cases  switched  total s  decide s  cases/s"]
    for name, row in found.items():
        lines.append(f"{name:<12} {row['cases']:>6} {row['switched']:>9} {row['seconds']:>8.2f} "
                     f"{row['decide_seconds']:>9.2f} {row['cases_per_second']:>8}")
    lines.append(f"Doel: {TARGET_SECONDS:.0f} s of minder voor 100.000 initiatieven (lezen en beslissen samen).")
    return "\n".join(lines)
