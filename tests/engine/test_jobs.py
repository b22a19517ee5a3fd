"""Jobs: service tasks run as jobs with a HandlerContext whose session is the step's own
transaction; failures are retried and end as incidents that can be retried; leases keep two
workers from running or storing the same job twice. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from engine import clock
from engine.errors import NotFound
from engine.handlers import HandlerContext, HandlerFailed, HandlerRegistry
from engine.jobs import JobRunner
from engine.mail import Mail
from engine.service import Engine
from engine.tables import Job
from tests.factories import create_deployed_engine, create_engine

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

# A table only these tests use: what a handler writes through ctx.session.
EFFECTS = MetaData()
effect = Table(
    "test_effect",
    EFFECTS,
    Column("id", Integer, primary_key=True),
    Column("instance_id", Integer, nullable=False),
    Column("case_ref", String(40), nullable=False),
    Column("worker", String(40)),
    Column("note", String(200)),
)


@dataclass
class FakeMailer:
    sent: list[Mail] = field(default_factory=list)

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


@dataclass
class Registreer:
    """Handler for 'registreer' (service.bpmn): writes a row and queues a mail in the step's
    transaction, then fails the first ``fail_times`` calls."""

    fail_times: int = 0
    calls: list[tuple[HandlerContext, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, ctx: HandlerContext, params: dict[str, Any]) -> Any:
        self.calls.append((ctx, dict(params)))
        ctx.session.execute(
            insert(effect).values(instance_id=ctx.instance_id, case_ref=ctx.case_ref, note=params["titel"])
        )
        ctx.send_mail("registratie", to=str(ctx.data["email"]), context={"case_ref": ctx.case_ref})
        if len(self.calls) <= self.fail_times:
            raise HandlerFailed("het register is niet bereikbaar")
        return {"nummer": f"R-{ctx.case_ref}", "dubbel": params["dubbel"]}


@dataclass
class Koppel:
    """Handler for 'koppel' (service_retry.bpmn): fails while ``broken``."""

    broken: bool = True
    calls: int = 0

    def __call__(self, ctx: HandlerContext, params: dict[str, Any]) -> Any:
        self.calls += 1
        if self.broken:
            raise RuntimeError("geen begeleider beschikbaar")
        return {"begeleider": f"begeleider-{params['wijk'].lower()}"}


MakeEngine = Callable[..., Engine]


@pytest.fixture
def make_engine(database_url: str, tmp_path: Path) -> Iterator[MakeEngine]:
    templates = tmp_path / "mail"
    templates.mkdir()
    (templates / "registratie.nl.txt").write_text(
        "Onderwerp: Registratie {{ case_ref }}\n\nUw initiatief is geregistreerd.\n", encoding="utf-8"
    )
    made: list[Engine] = []

    def make(*files: str, handlers: dict[str, Any] | None = None, **kwargs: Any) -> Engine:
        registry = HandlerRegistry()
        for name, handler in (handlers or {}).items():
            registry.register(name)(handler)
        kwargs.setdefault("mailer", FakeMailer())
        kwargs.setdefault("mail_templates", templates)
        engine = (
            create_deployed_engine(database_url, *files, handlers=registry, **kwargs)
            if files
            else create_engine(database_url, handlers=registry, **kwargs)
        )
        made.append(engine)
        EFFECTS.create_all(engine.db.engine)
        return engine

    yield make
    for engine in made:
        engine.db.dispose()


def effects(engine: Engine) -> list[dict[str, Any]]:
    with engine.db.transaction() as session:
        return [dict(row._mapping) for row in session.execute(select(effect).order_by(effect.c.id))]


def jobs_of(engine: Engine, instance_id: int, kind: str) -> list[Job]:
    with engine.db.transaction() as session:
        query = select(Job).where(Job.instance_id == instance_id, Job.kind == kind).order_by(Job.id)
        return list(session.scalars(query).all())


def start_service(engine: Engine) -> Any:
    return engine.start(
        "service_test", {"titel": "Bankje", "bedrag": 21, "email": "bewoner@example.nl"}, actor="bewoner"
    )


# service tasks --------------------------------------------------------------------------------
def test_service_task_runs_as_job_in_the_steps_transaction(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    handler = Registreer()
    engine = make_engine("service.bpmn", handlers={"registreer": handler})
    info = start_service(engine)

    # starting only queues the job: the handler has not run, nothing is open yet
    assert handler.calls == []
    assert effects(engine) == []
    assert engine.open_tasks(instance_id=info.id) == []
    [job] = jobs_of(engine, info.id, "service")
    assert (job.state, job.attempts, job.max_attempts) == ("ready", 0, engine.service_retries)
    assert job.payload == {"task": "Registreren"}
    assert "registratie" not in info.data

    assert engine.run_due_jobs() == 2  # the service job, then the mail the handler queued

    [(ctx, params)] = handler.calls
    assert params == {"titel": "Bankje", "dubbel": 42}  # parameters are expressions on case data
    assert (ctx.instance_id, ctx.case_ref, ctx.now) == (info.id, info.case_ref, MONDAY)
    assert ctx.data["titel"] == "Bankje"
    assert [(e["instance_id"], e["case_ref"], e["note"]) for e in effects(engine)] == [
        (info.id, info.case_ref, "Bankje")
    ]
    after = engine.instance(info.id)
    assert after.data["registratie"] == {"nummer": f"R-{info.case_ref}", "dubbel": 42}
    assert [t.task_name for t in engine.open_tasks(instance_id=info.id)] == ["controleren"]
    [job] = jobs_of(engine, info.id, "service")
    assert (job.state, job.attempts) == ("done", 1)
    service_events = [e for e in engine.audit_trail(info.id) if e.kind == "service"]
    assert [(e.actor, e.task_name) for e in service_events] == [("systeem", "Registreren")]

    [mail_job] = engine.outbox(info.id)
    assert mail_job.state == "done"
    assert engine.mailer.sent == [  # type: ignore[union-attr]
        Mail(to="bewoner@example.nl", subject=f"Registratie {info.case_ref}", body="Uw initiatief is geregistreerd.\n")
    ]
    assert engine.run_due_jobs() == 0


def test_failed_attempt_rolls_back_the_handlers_writes_and_is_retried(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    handler = Registreer(fail_times=1)
    engine = make_engine("service.bpmn", handlers={"registreer": handler})
    info = start_service(engine)

    assert engine.run_due_jobs() == 1

    assert len(handler.calls) == 1
    assert effects(engine) == []  # the row it wrote went with the failed step
    assert engine.outbox(info.id) == []  # and so did its mail
    [job] = jobs_of(engine, info.id, "service")
    assert (job.state, job.attempts) == ("ready", 1)
    assert "het register is niet bereikbaar" in (job.last_error or "")
    assert job.due_at > MONDAY  # backed off
    after = engine.instance(info.id)
    assert after.version == info.version
    assert after.has_incident is False
    assert engine.open_tasks(instance_id=info.id) == []

    assert engine.run_due_jobs() == 0  # not due again yet
    clock.set_time(job.due_at)
    assert engine.run_due_jobs() == 2

    assert len(effects(engine)) == 1
    [job] = jobs_of(engine, info.id, "service")
    assert (job.state, job.attempts) == ("done", 2)
    assert engine.instance(info.id).data["registratie"]["dubbel"] == 42
    assert [t.task_name for t in engine.open_tasks(instance_id=info.id)] == ["controleren"]


def test_last_failed_retry_becomes_an_incident_that_can_be_retried(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    handler = Koppel()
    engine = make_engine("service_retry.bpmn", handlers={"koppel": handler})
    info = engine.start("service_storing_test", {"wijk": "Oost"}, actor="bewoner")
    [job] = jobs_of(engine, info.id, "service")
    assert job.max_attempts == 2  # spiffworkflow:retry retries="2" in the diagram

    assert engine.run_due_jobs() == 1
    clock.advance(timedelta(minutes=5))
    assert engine.run_due_jobs() == 1
    assert handler.calls == 2

    [incident] = engine.incidents()
    assert (incident.id, incident.state, incident.attempts) == (job.id, "failed", 2)
    assert "geen begeleider beschikbaar" in (incident.last_error or "")
    assert engine.instance(info.id).has_incident is True
    [event] = [e for e in engine.audit_trail(info.id) if e.kind == "incident"]
    assert event.detail is not None
    assert event.detail["job"] == job.id
    assert event.detail["task"] == "Begeleider koppelen"
    assert "geen begeleider beschikbaar" in str(event.detail["error"])
    clock.advance(timedelta(days=1))
    assert engine.run_due_jobs() == 0  # an incident waits for a person
    assert handler.calls == 2

    handler.broken = False
    engine.retry_job(job.id, actor="beheerder@gemeente.nl")

    assert engine.instance(info.id).has_incident is False
    assert engine.incidents() == []
    retry = engine.audit_trail(info.id)[-1]
    assert (retry.kind, retry.actor) == ("incident_retry", "beheerder@gemeente.nl")
    assert engine.run_due_jobs() == 1
    after = engine.instance(info.id)
    assert after.data["koppeling"] == {"begeleider": "begeleider-oost"}
    assert [t.task_name for t in engine.open_tasks(instance_id=info.id)] == ["kennismaken"]
    with pytest.raises(NotFound):
        engine.retry_job(job.id, actor="beheerder@gemeente.nl")  # no longer an incident


def test_default_retry_count_applies_without_retry_in_the_diagram(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    handler = Registreer(fail_times=99)
    engine = make_engine("service.bpmn", handlers={"registreer": handler}, service_retries=3)
    info = start_service(engine)
    for _ in range(3):
        assert engine.run_due_jobs() == 1
        clock.advance(timedelta(hours=1))
    assert engine.run_due_jobs() == 0
    assert len(handler.calls) == 3
    assert [j.id for j in engine.incidents()] == [j.id for j in jobs_of(engine, info.id, "service")]
    assert engine.instance(info.id).has_incident is True
    assert effects(engine) == []


def test_service_task_in_a_called_process_runs_and_the_parent_continues(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    handler = Registreer()
    engine = make_engine("call_service.bpmn", handlers={"registreer": handler})
    info = engine.start(
        "ouder_service_test", {"titel": "Bankje", "bedrag": 5, "email": "bewoner@example.nl"}, actor="bewoner"
    )
    [job] = jobs_of(engine, info.id, "service")
    assert job.state == "ready"
    assert engine.open_tasks(instance_id=info.id) == []

    assert engine.run_due_jobs() == 2

    assert [e["case_ref"] for e in effects(engine)] == [info.case_ref]
    assert engine.instance(info.id).data["registratie"]["dubbel"] == 10  # returned to the parent
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.task_name == "controleren"
    assert engine.complete_task(info.id, task.task_id, {}, actor="intake").state == "completed"


# leases ---------------------------------------------------------------------------------------
def test_worker_that_lost_its_lease_cannot_store_the_effect_again(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    engine = make_engine("service.bpmn", handlers={"registreer": Registreer()})
    info = start_service(engine)
    slow = JobRunner(engine, lease=timedelta(seconds=2))
    fast = JobRunner(engine, lease=timedelta(seconds=2))

    [job_id] = slow.claim("traag")
    clock.advance(timedelta(seconds=1))
    assert fast.claim("snel") == []  # the lease still holds
    clock.advance(timedelta(seconds=2))
    assert fast.run_due("snel") == 2  # lease expired: taken over (service job + its mail)
    assert len(effects(engine)) == 1
    version = engine.instance(info.id).version

    assert slow.run_one(job_id, "traag") is False  # the slow worker wakes up too late

    assert len(effects(engine)) == 1
    assert engine.instance(info.id).version == version
    [job] = jobs_of(engine, info.id, "service")
    assert (job.state, job.locked_by, job.attempts) == ("done", "snel", 2)


def test_two_workers_claiming_at_once_never_get_the_same_job(make_engine: MakeEngine) -> None:
    now = datetime.now(UTC)
    setup = make_engine()
    with setup.db.transaction() as session:
        session.add_all(
            Job(kind="mail", instance_id=None, due_at=now, payload={"n": n}, state="ready",
                attempts=0, max_attempts=3, created_at=now)
            for n in range(300)
        )
    with setup.db.transaction() as session:
        all_ids = set(session.scalars(select(Job.id)).all())
    workers = [make_engine(), make_engine()]  # separate engines: separate pools, like two processes
    barrier = threading.Barrier(2)
    got: dict[str, list[int]] = {"w0": [], "w1": []}
    errors: list[BaseException] = []

    def claim_all(name: str, engine: Engine) -> None:
        runner = JobRunner(engine)
        try:
            barrier.wait(timeout=30)
            while claimed := runner.claim(name, limit=7):
                got[name].extend(claimed)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=claim_all, args=(f"w{i}", e)) for i, e in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(got["w0"]) == len(set(got["w0"])) and len(got["w1"]) == len(set(got["w1"]))
    assert set(got["w0"]).isdisjoint(got["w1"])
    assert set(got["w0"]) | set(got["w1"]) == all_ids
    with setup.db.transaction() as session:
        owners = {job_id: owner for job_id, owner in session.execute(select(Job.id, Job.locked_by))}
        assert session.scalar(select(func.max(Job.attempts))) == 1
    assert all(owners[job_id] == "w0" for job_id in got["w0"])
    assert all(owners[job_id] == "w1" for job_id in got["w1"])
