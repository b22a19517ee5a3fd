"""Optimistic locking under a real race, on PostgreSQL: two threads, each with its own Engine
(no shared in-memory cache, like two web workers), complete the same task at the same moment,
200 rounds. Each round exactly one wins; the other gets a domain error; no instance is corrupted.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select, text

import engine.tables  # noqa: F401 - registers the tables on Base.metadata
from engine.db import Base, Database
from engine.errors import ConcurrentUpdate, EngineError, TaskAlreadyCompleted
from engine.service import Engine
from engine.tables import AuditEvent
from tests.factories import FIXTURES

ROUNDS = 200


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """The run's PostgreSQL database with a fresh schema holding the engine's tables."""
    database = Database(postgres_url)
    with database.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    Base.metadata.create_all(database.engine)
    database.dispose()
    yield postgres_url


def test_two_threads_complete_the_same_task(pg_url: str) -> None:
    starter = Engine(pg_url)
    starter.deploy_files({"two_steps.bpmn": (FIXTURES / "engine" / "two_steps.bpmn").read_bytes()})
    anna, bram = Engine(pg_url), Engine(pg_url)
    engines = [starter, anna, bram]
    barrier = threading.Barrier(2)

    def attempt(engine: Engine, instance_id: int, task_id: str, actor: str) -> tuple[str, Any]:
        barrier.wait(timeout=30)
        try:
            return actor, engine.complete_task(instance_id, task_id, {"door": actor}, actor=actor)
        except (TaskAlreadyCompleted, ConcurrentUpdate) as exc:
            return actor, exc

    winners: dict[int, str] = {}
    start_versions: dict[int, int] = {}
    losses: Counter[str] = Counter()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for round_no in range(ROUNDS):
                # vary which engine has the instance cached: the starter, anna's or bram's
                info = engines[round_no % 3].start("twee_stappen_test", {"ronde": round_no}, actor="starter")
                start_versions[info.id] = info.version
                [task] = starter.open_tasks(instance_id=info.id)
                futures = [
                    pool.submit(attempt, anna, info.id, task.task_id, "anna"),
                    pool.submit(attempt, bram, info.id, task.task_id, "bram"),
                ]
                outcomes = [future.result(timeout=60) for future in futures]

                won = [(actor, r) for actor, r in outcomes if not isinstance(r, EngineError)]
                lost = [(actor, r) for actor, r in outcomes if isinstance(r, EngineError)]
                assert len(won) == 1 and len(lost) == 1, f"round {round_no}: {outcomes}"
                winner, result = won[0]
                loser_error = lost[0][1]
                winners[info.id] = winner
                losses[type(loser_error).__name__] += 1
                assert result.version == info.version + 1
                assert result.data["door"] == winner
                if isinstance(loser_error, TaskAlreadyCompleted):
                    assert loser_error.completed_by == winner  # "al afgehandeld door <winner>"

        assert len(winners) == ROUNDS
        print(f"losers' errors over {ROUNDS} rounds: {dict(losses)}")

        # exactly one task_completed event per instance, by the winner
        with starter.db.transaction() as session:
            rows = session.execute(
                select(AuditEvent.instance_id, func.count(), func.min(AuditEvent.actor))
                .where(AuditEvent.kind == "task_completed", AuditEvent.instance_id.in_(winners))
                .group_by(AuditEvent.instance_id)
            ).all()
        assert {instance_id: (count, actor) for instance_id, count, actor in rows} == {
            instance_id: (1, winner) for instance_id, winner in winners.items()
        }

        # every instance is intact: one step further, and it can still be finished
        checker = Engine(pg_url)
        engines.append(checker)
        for instance_id, winner in winners.items():
            current = checker.instance(instance_id)
            assert current.state == "running"
            assert current.version == start_versions[instance_id] + 1
            assert current.data["door"] == winner
            [task] = checker.open_tasks(instance_id=instance_id)
            assert task.task_name == "tweede"
            done = checker.complete_task(instance_id, task.task_id, {"klaar": True}, actor="checker")
            assert done.state == "completed"
            assert checker.open_tasks(instance_id=instance_id) == []
    finally:
        for engine in engines:
            engine.db.dispose()
