"""Finished jobs do not pile up: done jobs older than the retention period are deleted, in short
batches, by the worker's round and by ``loket jobs purge``; newer done jobs, open and failed
jobs and the jobs of a case with an incident stay. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select, update

from engine import ProcessInstance, clock, purge_done_jobs
from engine.db import Base, Database
from engine.service import Engine
from engine.tables import Job
from processes.housekeeping import purge_old_jobs, worker_rounds
from tests.factories import create_deployed_engine, create_instance, loket_for
from web.cli import cli

DAY = timedelta(days=1)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_deployed_engine(database_url, "simple.bpmn")
    yield engine
    engine.db.dispose()


def _job(engine: Engine, state: str, age: timedelta, instance_id: int | None = None) -> int:
    """A job that was due ``age`` ago and, when done, finished then too."""
    at = clock.now() - age
    with engine.db.transaction() as session:
        return int(session.execute(insert(Job).values(
            kind="mail", instance_id=instance_id, task_id=None, due_at=at, payload={"to": "a@example.org"},
            state=state, attempts=1, max_attempts=3, created_at=at, done_at=at if state == "done" else None,
        ).returning(Job.id)).scalar_one())


def _left(engine: Engine, ids: list[int]) -> set[int]:
    with engine.db.reading() as session:
        return set(session.scalars(select(Job.id).where(Job.id.in_(ids))).all())


def _incident_on(engine: Engine, instance_id: int) -> None:
    with engine.db.transaction() as session:
        session.execute(update(ProcessInstance).where(ProcessInstance.id == instance_id).values(has_incident=True))


def test_only_done_jobs_past_the_period_go(engine: Engine) -> None:
    case, troubled = create_instance(engine), create_instance(engine)
    _incident_on(engine, troubled.id)
    old = 31 * DAY
    gone = [_job(engine, "done", old), _job(engine, "done", 400 * DAY, case.id)]
    kept = [_job(engine, "done", 29 * DAY), _job(engine, "done", old, troubled.id),
            _job(engine, "failed", old, case.id), _job(engine, "ready", old), _job(engine, "running", old, case.id)]
    assert purge_old_jobs(loket_for(engine), 30 * DAY) == 2
    assert _left(engine, gone + kept) == set(kept)
    assert purge_old_jobs(loket_for(engine), 30 * DAY) == 0


def test_a_purge_deletes_in_bounded_batches(engine: Engine) -> None:
    ids = [_job(engine, "done", 40 * DAY) for _ in range(5)]
    before = clock.now() - 30 * DAY
    assert purge_done_jobs(engine.db, before, batch=2, max_batches=2) == 4
    assert len(_left(engine, ids)) == 1
    assert purge_done_jobs(engine.db, before, batch=2, max_batches=None) == 1
    assert _left(engine, ids) == set()


def test_the_workers_round_purges_old_done_jobs(engine: Engine) -> None:
    old, recent = _job(engine, "done", 8 * DAY), _job(engine, "done", 6 * DAY)
    worker_rounds(loket_for(engine), job_retention=7 * DAY)()
    assert _left(engine, [old, recent]) == {recent}


def test_loket_jobs_purge_uses_the_retention_setting(tmp_path: Path) -> None:
    import processes.tables  # noqa: F401 - every table

    url = f"sqlite:///{tmp_path / 'loket.sqlite3'}"
    database = Database(url)
    Base.metadata.create_all(database.engine)
    database.dispose()
    engine = create_deployed_engine(url, "simple.bpmn")
    old, recent = _job(engine, "done", 11 * DAY), _job(engine, "done", 9 * DAY)
    env = {"DATABASE_URL": url, "SECRET_KEY": "test", "JOB_RETENTION_DAYS": "10"}
    result = CliRunner().invoke(cli, ["jobs", "purge"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 afgeronde job(s) verwijderd die ouder waren dan 10 dagen" in result.output
    assert _left(engine, [old, recent]) == {recent}
    result = CliRunner().invoke(cli, ["jobs", "purge", "--days", "1"], env=env)
    assert "1 afgeronde job(s) verwijderd" in result.output
    assert _left(engine, [old, recent]) == set()
    engine.db.dispose()
