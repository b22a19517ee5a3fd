"""What a case costs in round trips to PostgreSQL, counted at the driver (psycopg), so the
statements the engine sends past SQLAlchemy and the BEGIN/COMMIT/ROLLBACK psycopg sends by itself
count too; and that a claim's commit, which is not waited for on disk, leaves every other commit
durable (on both databases)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from engine import clock
from engine.handlers import HandlerContext, HandlerRegistry
from engine.mail import Mail
from engine.service import Engine
from tests.factories import create_deployed_engine

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
POSTGRES_ONLY = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


class _Mailer:
    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


def _queue_mail(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    ctx.send_mail("registratie", to="bewoner@example.nl", context={})
    return {}


@pytest.fixture(autouse=True)
def _monday() -> Iterator[None]:
    clock.set_time(MONDAY)
    yield


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message psycopg sends and waits for an answer to: a query (several statements sent
    as one count once) or a command of its own (BEGIN, COMMIT, ROLLBACK)."""
    sent: list[str] = []
    execute, command = psycopg.Cursor.execute, psycopg.Connection._exec_command

    def counted_execute(self: Any, query: Any, params: Any = None, **kwargs: Any) -> Any:
        sent.append(str(query)[:60])
        return execute(self, query, params, **kwargs)

    def counted_command(self: Any, cmd: Any, result_format: Any = 0) -> Generator[Any, Any, Any]:
        sent.append(f"[{bytes(cmd).decode()[:40]}]" if isinstance(cmd, bytes) else f"[{cmd}]")
        return (yield from command(self, cmd, result_format))

    monkeypatch.setattr(psycopg.Cursor, "execute", counted_execute)
    monkeypatch.setattr(psycopg.Connection, "_exec_command", counted_command)
    return sent


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    templates = tmp_path / "mail"
    templates.mkdir()
    (templates / "registratie.nl.txt").write_text("Onderwerp: Registratie\n\nGeregistreerd.\n", encoding="utf-8")
    registry = HandlerRegistry()
    registry.register("registreer", database_only=True)(_queue_mail)
    engine = create_deployed_engine(database_url, "two_steps.bpmn", "service_after_task.bpmn", handlers=registry,
                                    mailer=_Mailer(), mail_templates=templates)
    yield engine
    engine.db.dispose()


@POSTGRES_ONLY
def test_a_human_step_as_the_task_list_and_the_worker_take_it_is_three_round_trips(
    engine: Engine, round_trips: list[str]
) -> None:
    info = engine.start("twee_stappen_test", {}, actor="a")
    engine.run_due_jobs("w")
    round_trips.clear()

    task = engine.open_tasks(instance_id=info.id)[0]
    engine.complete_task(info.id, task.task_id, {"x": 1}, actor="a")
    engine.run_due_jobs("w")  # nothing is due: one claim that finds nothing

    assert len(round_trips) <= 3, round_trips
    assert not [sent for sent in round_trips if sent.startswith("[")]  # no BEGIN/ROLLBACK of their own


@POSTGRES_ONLY
def test_a_mail_job_is_its_claim_and_its_send(engine: Engine, round_trips: list[str]) -> None:
    for _case in range(2):  # the first reads the version's mail texts once
        info = engine.start("service_after_task", {"titel": "Bankje", "email": "b@example.nl"}, actor="b")
        task = engine.open_tasks(instance_id=info.id)[0]
        engine.complete_task(info.id, task.task_id, {"bedrag": 30}, actor="m")  # queues the mail inline
        round_trips.clear()
        assert engine.run_due_jobs("w") == 1

    # The claim (BEGIN … COMMIT in one), then BEGIN with the job marked done, the send, COMMIT.
    assert len(round_trips) <= 3, round_trips


def test_a_claim_leaves_the_connection_committing_durably(engine: Engine) -> None:
    info = engine.start("service_after_task", {"titel": "Bankje", "email": "b@example.nl"}, actor="b")
    task = engine.open_tasks(instance_id=info.id)[0]
    engine.complete_task(info.id, task.task_id, {"bedrag": 30}, actor="m")
    assert engine.jobs().claim("w")

    # The pool hands the claim's connection out again; it must wait for the disk as before.
    with engine.db.connection() as conn:
        if engine.db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        else:
            assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
