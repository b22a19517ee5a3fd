"""What a step costs the database: each page it changes is written and synced at commit, so
the engine's tables carry only the indexes a query uses, and those queries do use them."""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.db import SQLITE_PAGE_SIZE
from engine.service import Engine
from engine.tables import COMPLETED_EVENT, AuditEvent
from processes.schema import upgrade_database
from tests.factories import create_deployed_engine

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


def _kib_written(path: Path) -> float:
    """KiB of pages in the write-ahead log since it was last emptied (a frame per changed page)."""
    wal = path.with_name(path.name + "-wal")
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    return (wal.stat().st_size - WAL_HEADER) // (page_size + FRAME_HEADER) * page_size / 1024


def test_a_step_writes_little(sqlite_engine: tuple[Engine, Path]) -> None:
    engine, path = sqlite_engine
    for _ in range(30):  # grow the indexes past their first page
        engine.start("twee_stappen_test", {}, actor="a")
    starts, completions = [], []
    for _ in range(9):
        _empty_wal(path)
        info = engine.start("twee_stappen_test", {}, actor="a")
        starts.append(_kib_written(path))
        task = engine.open_tasks(instance_id=info.id)[0].task_id
        _empty_wal(path)
        engine.complete_task(info.id, task, {}, actor="a")
        completions.append(_kib_written(path))
    # Table and index pages of the instance, its open task and an audit event: 15 KiB for a
    # start and 11 for a completion before the lists had to scale; with 4 KiB pages and the
    # five indexes no query used it was 68 and 48. Since migration 0005 the task's group row,
    # the queue and assignee indexes (≈ 2-3 KiB) and, on a start only, the contact centre's
    # search text (≈ 4 KiB of FTS5 index) come with it: ≈ 22 and 14.
    assert statistics.median(starts) <= 24
    assert statistics.median(completions) <= 16


def test_a_new_sqlite_database_has_small_pages(sqlite_engine: tuple[Engine, Path]) -> None:
    _, path = sqlite_engine
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == SQLITE_PAGE_SIZE == 1024
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _completion_plan(engine: Engine) -> str:
    query = select(AuditEvent.id).where(AuditEvent.task_id == "t", COMPLETED_EVENT)
    with engine.db.transaction() as session:
        conn = session.connection()
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        if engine.db.is_sqlite:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        else:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # small tables: ask whether it can
            rows = conn.exec_driver_sql(f"EXPLAIN {compiled}").all()
    return " ".join(str(value) for row in rows for value in row)


def test_who_completed_a_task_is_found_through_the_completion_index(database_url: str) -> None:
    engine = create_deployed_engine(database_url, "two_steps.bpmn")
    try:
        assert "ix_audit_event_completed_task" in _completion_plan(engine)
    finally:
        engine.db.dispose()
