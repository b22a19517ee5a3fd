"""A worker killed with SIGKILL while it holds a job, on PostgreSQL.

The worker is a real separate process: it claims the service job of service.bpmn with a 2 s
lease, its handler writes a row and then sleeps. We kill it. Another worker (this test process)
cannot take the job while the lease holds, takes it once the lease has expired (the engine
clock is moved past ``locked_until``), and the handler's effect is stored exactly once.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

import engine.tables  # noqa: F401 - registers the tables on Base.metadata
from engine import clock
from engine.db import Base, Database
from engine.handlers import HandlerContext, HandlerRegistry
from engine.jobs import JobRunner
from engine.service import Engine
from engine.tables import Job
from tests.factories import FIXTURES

REPO = Path(__file__).resolve().parents[2]

# The crashing worker. Its handler's row is written in the job's transaction, which never commits.
WORKER = """
import sys, time
from datetime import timedelta
from sqlalchemy import text
from engine.handlers import HandlerRegistry
from engine.jobs import JobRunner
from engine.service import Engine

handlers = HandlerRegistry()

@handlers.register("registreer")
def registreer(ctx, params):
    ctx.session.execute(text("INSERT INTO crash_effect (case_ref, worker) VALUES (:c, 'crasher')"),
                        {"c": ctx.case_ref})
    ctx.session.flush()
    backend = ctx.session.execute(text("SELECT pg_backend_pid()")).scalar()
    print(f"HOLDING {backend}", flush=True)
    time.sleep(60)
    return {"door": "crasher"}

engine = Engine(sys.argv[1], handlers=handlers)
JobRunner(engine, lease=timedelta(seconds=2)).run_due("crasher", limit=1)
print("FINISHED", flush=True)
"""


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    database = Database(postgres_url)
    with database.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    Base.metadata.create_all(database.engine)
    with database.engine.begin() as conn:
        conn.execute(text(
            "CREATE TABLE crash_effect (id SERIAL PRIMARY KEY, case_ref VARCHAR(40) NOT NULL, worker VARCHAR(40))"
        ))
    database.dispose()
    yield postgres_url


def effects(engine: Engine) -> list[tuple[str, str]]:
    with engine.db.transaction() as session:
        rows = session.execute(text("SELECT case_ref, worker FROM crash_effect ORDER BY id")).all()
    return [(row[0], row[1]) for row in rows]


def service_job(engine: Engine, instance_id: int) -> Job:
    with engine.db.transaction() as session:
        job = session.scalar(select(Job).where(Job.instance_id == instance_id, Job.kind == "service"))
    assert job is not None
    return job


def read_line(stream: Any, timeout: float) -> str | None:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


def wait_until_backend_gone(engine: Engine, backend: int) -> None:
    """PostgreSQL ends the dead worker's session (and its locks) once it sees the socket close."""
    for _ in range(600):
        with engine.db.transaction() as session:
            alive = session.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"), {"p": backend})
        if not alive:
            return
        time.sleep(0.05)
    pytest.fail(f"PostgreSQL backend {backend} of the killed worker is still there")


def test_killed_workers_job_runs_once_after_its_lease_expires(pg_url: str) -> None:
    handlers = HandlerRegistry()

    @handlers.register("registreer")
    def registreer(ctx: HandlerContext, params: dict[str, Any]) -> Any:
        ctx.session.execute(
            text("INSERT INTO crash_effect (case_ref, worker) VALUES (:c, 'rescuer')"), {"c": ctx.case_ref}
        )
        return {"door": "rescuer"}

    engine = Engine(pg_url, handlers=handlers)
    worker = None
    try:
        engine.deploy_files({"service.bpmn": (FIXTURES / "engine" / "service.bpmn").read_bytes()})
        info = engine.start("service_test", {"titel": "Bankje", "bedrag": 1, "email": ""}, actor="bewoner")

        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, pg_url],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = read_line(worker.stdout, timeout=60)
        if not line or not line.startswith("HOLDING "):
            worker.kill()
            pytest.fail(f"the worker did not reach its handler: {line!r}\n{worker.communicate()[1]}")
        backend = int(line.split()[1])

        held = service_job(engine, info.id)
        assert (held.state, held.locked_by, held.attempts) == ("running", "crasher", 1)
        assert held.locked_until is not None

        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
        wait_until_backend_gone(engine, backend)
        assert effects(engine) == []  # the killed worker's write died with its transaction

        rescuer = JobRunner(engine, lease=timedelta(seconds=2))
        clock.set_time(held.locked_until - timedelta(seconds=1))
        assert rescuer.claim("rescuer") == []  # the lease still holds
        assert rescuer.run_due("rescuer") == 0

        clock.set_time(held.locked_until + timedelta(seconds=1))
        assert rescuer.run_due("rescuer") == 1

        assert effects(engine) == [(info.case_ref, "rescuer")]
        done = service_job(engine, info.id)
        assert (done.state, done.locked_by, done.attempts) == ("done", "rescuer", 2)
        assert engine.instance(info.id).data["registratie"] == {"door": "rescuer"}
        assert [t.task_name for t in engine.open_tasks(instance_id=info.id)] == ["controleren"]

        clock.advance(timedelta(minutes=5))
        assert rescuer.run_due("rescuer") == 0
        assert len(effects(engine)) == 1
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        engine.db.dispose()
