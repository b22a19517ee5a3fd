"""Service tasks whose handler only touches the database run inline, in the transaction of the step
that made them due; one that fails there undoes nothing of the step but becomes a job with its
retries; other handlers stay jobs. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from engine import clock
from engine.handlers import HandlerRegistry
from engine.service import Engine
from engine.tables import AuditEvent, Job
from tests.engine.test_jobs import EFFECTS, MONDAY, FakeMailer, Registreer, effects
from tests.factories import create_deployed_engine

DATA = {"titel": "Bankje", "bedrag": 21, "email": "bewoner@example.nl"}


def _engine(database_url: str, handler: Registreer, *, database_only: bool, tmp_path: Any) -> Engine:
    templates = tmp_path / "mail"
    templates.mkdir(exist_ok=True)
    (templates / "registratie.nl.txt").write_text("Onderwerp: Registratie\n\nGeregistreerd.\n", encoding="utf-8")
    registry = HandlerRegistry()
    registry.register("registreer", database_only=database_only)(handler)
    engine = create_deployed_engine(database_url, "service_after_task.bpmn", handlers=registry,
                                    mailer=FakeMailer(), mail_templates=templates)
    EFFECTS.create_all(engine.db.engine)
    return engine


@pytest.fixture(autouse=True)
def _monday() -> Iterator[None]:
    clock.set_time(MONDAY)
    yield


def _complete_first(engine: Engine) -> int:
    info = engine.start("service_after_task", DATA, actor="bewoner")
    task = engine.open_tasks(instance_id=info.id)[0]
    engine.complete_task(info.id, task.task_id, {"bedrag": 30}, actor="medewerker")
    return info.id


def _jobs(engine: Engine, instance_id: int) -> list[tuple[str, str]]:
    with engine.db.transaction() as session:
        return [(job.kind, job.state) for job in session.scalars(
            select(Job).where(Job.instance_id == instance_id).order_by(Job.id))]


def _kinds(engine: Engine, instance_id: int) -> list[str]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(AuditEvent.kind).where(AuditEvent.instance_id == instance_id)
                                    .order_by(AuditEvent.id)))


def test_a_database_only_handler_runs_in_the_step_that_made_it_due(database_url: str, tmp_path: Any) -> None:
    handler = Registreer()
    engine = _engine(database_url, handler, database_only=True, tmp_path=tmp_path)
    try:
        instance_id = _complete_first(engine)
        assert len(handler.calls) == 1 and handler.calls[0][1]["dubbel"] == 60
        assert [row["note"] for row in effects(engine)] == ["Bankje"]
        assert _jobs(engine, instance_id) == [("mail", "ready")]  # no service job: only its mail
        assert [task.task_name for task in engine.open_tasks(instance_id=instance_id)] == ["controleren"]
        assert "service" in _kinds(engine, instance_id)
        assert engine.run_due_jobs() == 1  # the mail
    finally:
        engine.db.dispose()


def test_an_inline_handler_that_fails_becomes_a_job_with_retries(database_url: str, tmp_path: Any) -> None:
    handler = Registreer(fail_times=1)
    engine = _engine(database_url, handler, database_only=True, tmp_path=tmp_path)
    try:
        instance_id = _complete_first(engine)
        # the failed inline run wrote nothing; the completion itself is stored, the task is a job
        assert effects(engine) == []
        assert _jobs(engine, instance_id) == [("service", "ready")]
        assert engine.open_tasks(instance_id=instance_id) == []
        assert engine.run_due_jobs() == 2  # the service job, then its mail
        assert [row["note"] for row in effects(engine)] == ["Bankje"]
        assert [task.task_name for task in engine.open_tasks(instance_id=instance_id)] == ["controleren"]
    finally:
        engine.db.dispose()


def test_other_handlers_stay_jobs(database_url: str, tmp_path: Any) -> None:
    handler = Registreer()
    engine = _engine(database_url, handler, database_only=False, tmp_path=tmp_path)
    try:
        instance_id = _complete_first(engine)
        assert handler.calls == []
        assert _jobs(engine, instance_id) == [("service", "ready")]
        engine.run_due_jobs()
        assert [task.task_name for task in engine.open_tasks(instance_id=instance_id)] == ["controleren"]
    finally:
        engine.db.dispose()
