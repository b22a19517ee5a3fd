"""The hot path's SQL: a step's writes go out together, guarded by the row version, and on
PostgreSQL the engine opens and commits its transaction itself (BEGIN and COMMIT travel with
the statements). What is sent together must still be stored all or nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg import ClientCursor
from sqlalchemy import event, func, select

import engine.rawsql as rawsql_module
from engine import clock
from engine.errors import ConcurrentUpdate
from engine.instance_store import InstanceRow, load_row, saving
from engine.rawsql import RawSql
from engine.service import Engine
from engine.tables import AuditEvent, OpenTask
from tests.factories import create_deployed_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_deployed_engine(database_url, "two_steps.bpmn")
    yield engine
    engine.db.dispose()


def _count(engine: Engine, model: Any, instance_id: int) -> int:
    with engine.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(model.instance_id == instance_id)))


def _first_task(engine: Engine, instance_id: int) -> str:
    return engine.open_tasks(instance_id=instance_id)[0].task_id


def test_a_stale_save_stores_nothing_of_its_batch(engine: Engine) -> None:
    info = engine.start("twee_stappen_test", {}, actor="a")
    audits = _count(engine, AuditEvent, info.id)
    with engine.db.connection() as conn:
        row = load_row(RawSql(conn), info.id)
    stale = InstanceRow(**{**row.__dict__, "row_version": row.row_version - 1})

    with pytest.raises(ConcurrentUpdate), engine.db.connection() as conn:
        raw = RawSql(conn)
        with saving(raw, stale, b"", clock.now(), commit=True):
            raw.run("INSERT INTO audit_event (instance_id, at, actor, kind) VALUES (?, ?, 'x', 'test')",
                    (info.id, raw.time(clock.now())))

    assert _count(engine, AuditEvent, info.id) == audits
    assert engine.instance(info.id).version == row.row_version


def test_a_batch_stores_nothing_when_a_later_statement_fails(engine: Engine) -> None:
    info = engine.start("twee_stappen_test", {}, actor="a")
    before = engine.instance(info.id)
    task = _first_task(engine, info.id)  # already open: inserting it again must fail
    with engine.db.connection() as conn:
        row = load_row(RawSql(conn), info.id)

    with pytest.raises(Exception, match="(?i)unique|duplicate"), engine.db.connection() as conn:
        raw = RawSql(conn)
        with saving(raw, row, b"", clock.now(), commit=True):
            raw.many("INSERT INTO open_task (task_id, instance_id, case_ref, process_id, task_name, title, "
                     "overdue, created_at) VALUES (?, ?, 'x', 'x', 'x', 'x', ?, ?)",
                     [(task, info.id, raw.flag(False), raw.time(clock.now()))])

    assert engine.instance(info.id).version == before.version  # the row write went too
    assert _count(engine, OpenTask, info.id) == 1


def test_writes_through_the_steps_connection_are_part_of_its_transaction(engine: Engine) -> None:
    info = engine.start("twee_stappen_test", {}, actor="a")
    audits = _count(engine, AuditEvent, info.id)

    def act(ctx: Any, row: Any, workflow: Any, record: Any) -> None:
        ctx.conn.exec_driver_sql(
            "INSERT INTO audit_event (instance_id, at, actor, kind) VALUES (%(id)s, CURRENT_TIMESTAMP, 'x', 'x')"
            if not engine.db.is_sqlite else
            "INSERT INTO audit_event (instance_id, at, actor, kind) VALUES (:id, CURRENT_TIMESTAMP, 'x', 'x')",
            {"id": row.id},
        )
        raise RuntimeError("the step fails after writing")

    with pytest.raises(RuntimeError):
        engine.step(info.id, "a", act)
    assert _count(engine, AuditEvent, info.id) == audits


class _Counting(ClientCursor):  # type: ignore[type-arg]
    sent: list[str] = []

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        _Counting.sent.append(str(query))
        return super().execute(query, params, **kwargs)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_gets_a_cached_step_in_one_round_trip_and_a_start_in_two(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    other: list[str] = []
    event.listen(engine.db.engine, "before_cursor_execute", lambda *args: other.append(args[2]))
    monkeypatch.setattr(rawsql_module, "ClientCursor", _Counting)
    _Counting.sent = []
    info = engine.start("twee_stappen_test", {}, actor="a")
    started, _Counting.sent = _Counting.sent, []
    task = _first_task(engine, info.id)
    other.clear()
    engine.complete_task(info.id, task, {"x": 1}, actor="a")

    # The id and model version first (a read), then the row, written once, with the rest of the step.
    assert len(started) == 2 and started[0].startswith("BEGIN; SELECT nextval(")
    assert started[1].startswith("INSERT INTO process_instance (id,") and started[1].endswith("; COMMIT")
    assert "UPDATE process_instance" not in started[1]
    [step] = _Counting.sent
    assert step.startswith("BEGIN; WITH saved AS (UPDATE process_instance") and step.endswith("; COMMIT")
    assert other == []  # nothing else went to the database


def test_instances_started_at_once_by_two_processes_get_their_own_ids(database_url: str) -> None:
    engines = [create_deployed_engine(database_url, "two_steps.bpmn") for _ in range(2)]
    started: list[Any] = []

    def start_many(engine: Engine) -> None:
        for _ in range(15):
            started.append(engine.start("twee_stappen_test", {}, actor="a"))

    threads = [threading.Thread(target=start_many, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len({info.id for info in started}) == len({info.case_ref for info in started}) == 30
        assert all(engines[0].instance(info.id).case_ref == info.case_ref for info in started)
    finally:
        for engine in engines:
            engine.db.dispose()
