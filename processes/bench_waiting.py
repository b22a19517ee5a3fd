"""``loket bench waiting``: a pilot's worth of history (100,000 initiatives, each with its
completed tasks and other audit events; a third still waiting somewhere) in a fresh database,
and the overview of where cases wait counted on it. Target: within 1 second on PostgreSQL."""

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
from sqlalchemy import insert, select

from engine import AuditEvent, Base, OpenTask, ProcessInstance
from processes import MODELS_DIR
from processes.loket import build_loket
from processes.vocabulary import INITIATIVE_PROCESS
from processes.waiting import where_cases_wait

TARGET_SECONDS = 1.0
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
PATH = [("initiatief", "categorie_bevestigen"), ("complex", "intakegesprek"), ("complex", "begeleider_koppelen"),
        ("complex", "toets_regels"), ("complex", "advies_besluit")]
OTHER_EVENTS = ("status", "status", "timer", "message", "started")


def _instances(cases: int, version_id: int) -> Iterator[list[dict[str, Any]]]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = []
    for number in range(1, cases + 1):
        moment = start + timedelta(minutes=5 * number)
        batch.append({"id": number, "case_ref": f"BENCH-{number:07d}", "model_version_id": version_id,
                      "process_id": INITIATIVE_PROCESS, "state": "running" if number % 3 == 0 else "completed",
                      "has_incident": False, "title": f"Initiatief {number}", "case_data": {}, "workflow_state": b"",
                      "row_version": 1, "created_at": moment, "updated_at": moment, "started_by": "bench"})
        if len(batch) == 5000:
            yield batch
            batch = []
    if batch:
        yield batch


def _events(cases: int, rng: random.Random) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    events: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    for number in range(1, cases + 1):
        moment = start + timedelta(minutes=5 * number)
        steps = rng.randint(1, len(PATH))
        for process, element in PATH[:steps - (number % 3 == 0)]:
            seconds = rng.randint(600, 20 * 86400)
            moment += timedelta(seconds=seconds)
            events.append({"instance_id": number, "at": moment, "actor": "bench", "kind": "task_completed",
                           "task_id": None, "task_name": element,
                           "detail": {"element": element, "process": process, "seconds": seconds}})
        events.extend({"instance_id": number, "at": moment, "actor": "systeem", "kind": kind, "task_id": None,
                       "task_name": None, "detail": None} for kind in OTHER_EVENTS)
        if number % 3 == 0:
            process, element = PATH[steps - 1]
            tasks.append({"task_id": f"{number:036d}", "instance_id": number, "case_ref": f"BENCH-{number:07d}",
                          "process_id": process, "task_name": element, "title": element, "form_id": None,
                          "candidate_group": "initiatieventeam", "assignee": None, "due_at": moment,
                          "overdue": rng.random() < 0.2, "created_at": moment})
        if len(events) >= 20000:
            yield events, tasks
            events, tasks = [], []
    yield events, tasks


def bench_waiting(database_url: str, cases: int) -> dict[str, Any]:
    loket = build_loket(database_url)
    Base.metadata.create_all(loket.engine.db.engine)
    deployed = loket.engine.deploy_directory(MODELS_DIR, actor="bench")
    version_id = next(v.version_id for v in deployed.versions if v.process_id == INITIATIVE_PROCESS)
    for batch in _instances(cases, version_id):
        with loket.transaction() as session:
            session.execute(insert(ProcessInstance), batch)
    for events, tasks in _events(cases, random.Random(5)):
        with loket.transaction() as session:
            session.execute(insert(AuditEvent), events)
            if tasks:
                session.execute(insert(OpenTask), tasks)
    if not loket.engine.db.is_sqlite:
        with loket.engine.db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    timings = {}
    for process in ("initiatief", "complex"):
        started = perf_counter()
        overview = where_cases_wait(loket, process)
        timings[process] = round(perf_counter() - started, 3)
    with loket.reading() as session:
        events_total = len(session.scalars(select(AuditEvent.id)).all())
    loket.engine.db.dispose()
    waiting = sum(row.waiting for row in overview.elements.values())
    return {"cases": cases, "audit_events": events_total, "waiting_in_complex": waiting,
            "seconds_initiatief": timings["initiatief"], "seconds_complex": timings["complex"]}


def run_waiting_bench(cases: int = 100_000, postgres_url: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        found["sqlite"] = bench_waiting(f"sqlite:///{Path(folder) / 'waiting.sqlite3'}", cases)
    if postgres_url != "none":
        server = (postgres_url or os.environ.get("LOKET_TEST_POSTGRES_URL") or DEFAULT_POSTGRES).replace(
            "postgresql+psycopg://", "postgresql://")
        name = f"loket_waiting_{random.randrange(16**8):08x}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            found["postgresql"] = bench_waiting(f"{server.rpartition('/')[0]}/{name}", cases)
        finally:
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return found


def format_waiting_report(found: dict[str, Any]) -> str:
    lines = ["database     cases  audit events  initiatief s  complex s"]
    for name, row in found.items():
        lines.append(f"{name:<12} {row['cases']:>6} {row['audit_events']:>13} {row['seconds_initiatief']:>13.3f} "
                     f"{row['seconds_complex']:>10.3f}")
    lines.append(f"Doel: {TARGET_SECONDS:.0f} s of minder per overzicht met 100.000 initiatieven op PostgreSQL.")
    return "\n".join(lines)
