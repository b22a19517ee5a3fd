"""What a step costs the database: each page it changes is written and synced at commit, so
the engine's tables carry only the indexes a query uses, and those queries do use them."""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.models import COMPLETED_EVENT, AuditEvent
from engine.service import Engine
from tests.factories import create_deployed_engine
from web.migrate import upgrade_database

WAL_HEADER, FRAME_HEADER = 32, 24


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "cost.sqlite3"
    upgrade_database(f"sqlite:///{path}")  # the schema a deployment has: migrated, not created
    engine = create_deployed_engine(f"sqlite:///{path}", "two_steps.bpmn")
    yield engine, path
    engine.db.dispose()


def _empty_wal(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.close()


def _pages_written(path: Path) -> int:
    """Pages in the write-ahead log since it was last emptied (one frame per changed page)."""
    wal = path.with_name(path.name + "-wal")
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    return (wal.stat().st_size - WAL_HEADER) // (page_size + FRAME_HEADER)


def test_a_step_changes_few_pages(sqlite_engine: tuple[Engine, Path]) -> None:
    engine, path = sqlite_engine
    for _ in range(30):  # grow the indexes past their first page
        engine.start("twee_stappen_test", {}, actor="a")
    starts, completions = [], []
    for _ in range(9):
        _empty_wal(path)
        info = engine.start("twee_stappen_test", {}, actor="a")
        starts.append(_pages_written(path))
        task = engine.open_tasks(instance_id=info.id)[0].task_id
        _empty_wal(path)
        engine.complete_task(info.id, task, {}, actor="a")
        completions.append(_pages_written(path))
    # Table and index pages of the instance, its open task and an audit event: 12 for a
    # start and 8 for a completion with the indexes as they are; the five indexes no query
    # used made that 17 and 12.
    assert statistics.median(starts) <= 13
    assert statistics.median(completions) <= 9


def _completion_plan(engine: Engine) -> str:
    query = select(AuditEvent.id).where(AuditEvent.task_id == "t", COMPLETED_EVENT)
    with engine.db.transaction() as session:
        if engine.db.is_sqlite:
            compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        else:
            session.connection().exec_driver_sql("SET LOCAL enable_seqscan = off")
            compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            rows = session.connection().exec_driver_sql(f"EXPLAIN {compiled}").all()
    return " ".join(str(value) for row in rows for value in row)


def test_who_completed_a_task_is_found_through_the_completion_index(database_url: str) -> None:
    engine = create_deployed_engine(database_url, "two_steps.bpmn")
    try:
        assert "ix_audit_event_completed_task" in _completion_plan(engine)
    finally:
        engine.db.dispose()
