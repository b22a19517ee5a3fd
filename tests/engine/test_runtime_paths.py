"""Engine paths with real BPMN/DMN fixtures (tests/fixtures/engine), on SQLite and PostgreSQL.

User task, exclusive gateway (both conditional routes and the default), parallel split/join,
DMN business rule task (hit policy FIRST), call activity, timer boundary events under the
controlled clock (non-interrupting: overdue + escalation; interrupting: task cancelled),
message catch event and cancel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from engine import clock
from engine.errors import EngineError, MessageNotExpected, NotFound
from engine.handlers import HandlerRegistry
from engine.service import Engine
from engine.tables import Job, OpenTask
from tests.factories import create_deployed_engine, create_engine, create_instance

MakeEngine = Callable[..., Engine]
MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def make_engine(database_url: str) -> Iterator[MakeEngine]:
    """Engines with the named fixture files deployed; their connection pools are closed after."""
    made: list[Engine] = []

    def make(*files: str, handlers: HandlerRegistry | None = None, **kwargs: Any) -> Engine:
        engine = (
            create_deployed_engine(database_url, *files, handlers=handlers, **kwargs)
            if files
            else create_engine(database_url, handlers=handlers, **kwargs)
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.db.dispose()


def open_tasks(engine: Engine, instance_id: int) -> dict[str, OpenTask]:
    tasks = engine.open_tasks(instance_id=instance_id)
    by_name = {task.task_name: task for task in tasks}
    assert len(by_name) == len(tasks), f"duplicate open tasks: {[t.task_name for t in tasks]}"
    return by_name


def only_task(engine: Engine, instance_id: int, name: str) -> OpenTask:
    tasks = open_tasks(engine, instance_id)
    assert list(tasks) == [name]
    return tasks[name]


def audit_kinds(engine: Engine, instance_id: int) -> list[str]:
    return [event.kind for event in engine.audit_trail(instance_id)]


def ready_timer_jobs(engine: Engine, instance_id: int) -> list[Job]:
    with engine.db.transaction() as session:
        query = select(Job).where(Job.instance_id == instance_id, Job.kind == "timer", Job.state == "ready")
        return list(session.scalars(query).all())


# user task ------------------------------------------------------------------------------------
def test_user_task_is_projected_and_completes(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine)

    assert info.state == "running"
    assert info.case_ref.startswith("INI-")
    task = only_task(engine, info.id, "beoordelen")
    assert task.title == "Beoordelen"
    assert task.form_id == "beoordeling"
    assert task.candidate_group == "team-groen"  # the expression 'team-' + team
    assert task.case_ref == info.case_ref
    assert engine.open_tasks(candidate_groups=["team-groen"])[0].task_id == task.task_id
    assert engine.open_tasks(candidate_groups=["team-verkeer"]) == []

    done = engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="medewerker@gemeente.nl")

    assert done.state == "completed"
    assert done.data["akkoord"] is True
    assert open_tasks(engine, info.id) == {}
    assert engine.instance(info.id).state == "completed"
    assert audit_kinds(engine, info.id)[-1] == "completed"


def test_unknown_task_id_is_a_domain_error(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine)
    with pytest.raises(NotFound):
        engine.complete_task(info.id, "00000000-0000-0000-0000-000000000000", {}, actor="x")
    with pytest.raises(NotFound):
        engine.complete_task(info.id, "geen-uuid", {}, actor="x")
    with pytest.raises(NotFound):
        engine.complete_task(info.id + 1000, "geen-uuid", {}, actor="x")
    assert list(open_tasks(engine, info.id)) == ["beoordelen"]


# exclusive gateway ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("bedrag", "route", "group"),
    [
        (5000, "taak_groot", "fondsbeheer"),
        (50, "taak_klein", "team-groen"),
        (500, "taak_standaard", "regiegroep-oost"),  # no condition holds: the default flow
        (2500, "taak_standaard", "regiegroep-oost"),  # boundary: not > 2500
    ],
)
def test_exclusive_gateway_routes(make_engine: MakeEngine, bedrag: int, route: str, group: str) -> None:
    engine = make_engine("gateways.bpmn")
    info = engine.start("gateways_test", {"wijk": "Oost"}, actor="initiatiefnemer")
    first = only_task(engine, info.id, "invullen")

    engine.complete_task(info.id, first.task_id, {"bedrag": bedrag}, actor="intake")

    task = only_task(engine, info.id, route)
    assert task.candidate_group == group
    assert engine.complete_task(info.id, task.task_id, {}, actor="behandelaar").state == "completed"


# parallel gateway -----------------------------------------------------------------------------
def test_parallel_gateway_splits_and_joins(make_engine: MakeEngine) -> None:
    engine = make_engine("parallel.bpmn")
    info = engine.start("parallel_test", {"titel": "Buurtfeest"}, actor="initiatiefnemer")

    tasks = open_tasks(engine, info.id)
    assert sorted(tasks) == ["toets_groen", "toets_verkeer"]
    assert tasks["toets_groen"].candidate_group == "team-groen"
    assert tasks["toets_verkeer"].candidate_group == "team-verkeer"
    assert [t.task_name for t in engine.open_tasks(candidate_groups=["team-verkeer"])] == ["toets_verkeer"]

    engine.complete_task(info.id, tasks["toets_groen"].task_id, {"groen_ok": True}, actor="groen")
    assert list(open_tasks(engine, info.id)) == ["toets_verkeer"]  # the join waits for both

    engine.complete_task(info.id, tasks["toets_verkeer"].task_id, {"verkeer_ok": False}, actor="verkeer")
    last = only_task(engine, info.id, "besluiten")
    data = engine.instance(info.id).data
    assert data["groen_ok"] is True and data["verkeer_ok"] is False  # both branches' data joined

    assert engine.complete_task(info.id, last.task_id, {"besluit": "ja"}, actor="team").state == "completed"
    assert open_tasks(engine, info.id) == {}


# DMN business rule task -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("soort", "bedrag", "categorie", "regel"),
    [
        ("groen", 500, "eenvoudig", "R1"),  # R1, R2 and R3 all fit: FIRST takes R1
        ("groen", 2000, "wijkwens", "R2"),
        ("activiteit", 800, "wijkwens", "R2"),
        ("activiteit", 9000, "complex", "R3"),
    ],
)
def test_business_rule_task_uses_first_matching_rule(
    make_engine: MakeEngine, soort: str, bedrag: int, categorie: str, regel: str
) -> None:
    engine = make_engine("beslissing.bpmn", "beslissing.dmn")
    info = engine.start("beslissing_test", {"soort": soort, "bedrag": bedrag}, actor="initiatiefnemer")

    assert info.data["categorie"] == categorie
    assert info.data["regel"] == regel
    task = only_task(engine, info.id, "bevestigen")
    assert task.candidate_group == f"team-{categorie}"


def test_a_failing_decision_at_start_keeps_the_case_waiting_with_an_incident(make_engine: MakeEngine) -> None:
    """The initiative is stored, waiting at the failing element; the incident says where and why."""
    engine = make_engine("beslissing.bpmn", "beslissing.dmn")
    info = engine.start("beslissing_test", {"soort": "groen", "bedrag": "veel"}, actor="initiatiefnemer")
    assert info.has_incident and info.state == "running"
    assert engine.instance(info.id).has_incident
    assert engine.open_tasks() == []
    [incident] = engine.incidents()
    assert incident.kind == "step" and incident.instance_id == info.id and incident.state == "failed"
    assert incident.payload["element"] == "categoriseren" and incident.last_error is not None
    assert incident.last_error.startswith("Het proces liep vast bij")
    kinds = [event.kind for event in engine.audit_trail(info.id)]
    assert kinds[:1] == ["started"] and "incident" in kinds

    engine.retry_job(incident.id, actor="procesbeheerder")  # the data is still wrong: it stops again
    engine.run_due_jobs()
    [again] = engine.incidents()
    assert again.id != incident.id and again.payload["element"] == "categoriseren"
    assert engine.instance(info.id).has_incident
    assert "incident_resumed" in [event.kind for event in engine.audit_trail(info.id)]


# call activity --------------------------------------------------------------------------------
def test_call_activity_runs_the_called_process_and_returns_data(make_engine: MakeEngine) -> None:
    engine = make_engine("call_parent.bpmn", "call_child.bpmn")
    info = engine.start("hoofdproces_test", {"titel": "Bankje"}, actor="initiatiefnemer")

    child_task = only_task(engine, info.id, "advies_geven")  # the called process's user task
    assert child_task.instance_id == info.id
    assert child_task.candidate_group == "adviseurs"
    assert engine.instance(info.id).status_text == "Een adviseur bekijkt uw initiatief"

    other = make_engine()  # another worker: nothing cached, loads the nested state from the table
    other.complete_task(info.id, child_task.task_id, {"advies": "positief"}, actor="adviseur")

    parent_task = only_task(engine, info.id, "afronden")
    data = engine.instance(info.id).data
    assert data["adviesvraag"] == "Advies over Bankje"  # computed in the child from parent data
    assert data["advies"] == "positief"  # entered in the child, returned to the parent
    assert engine.instance(info.id).status_text == "Het advies is binnen"

    done = engine.complete_task(info.id, parent_task.task_id, {}, actor="team")
    assert done.state == "completed"
    assert open_tasks(engine, info.id) == {}


def test_cancel_while_the_called_process_waits(make_engine: MakeEngine) -> None:
    engine = make_engine("call_parent.bpmn", "call_child.bpmn")
    info = engine.start("hoofdproces_test", {"titel": "Bankje"}, actor="initiatiefnemer")
    child_task = only_task(engine, info.id, "advies_geven")

    assert engine.cancel(info.id, actor="kcc", reason="dubbel ingediend").state == "cancelled"

    assert open_tasks(engine, info.id) == {}
    with pytest.raises(EngineError):
        engine.complete_task(info.id, child_task.task_id, {"advies": "te laat"}, actor="adviseur")


# timers ---------------------------------------------------------------------------------------
def test_non_interrupting_timer_marks_task_overdue_and_escalates(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    engine = make_engine("timers.bpmn")
    info = engine.start("timer_test", {}, actor="initiatiefnemer")

    task = only_task(engine, info.id, "beoordelen")
    assert task.due_at == MONDAY + timedelta(days=2)
    assert task.overdue is False
    assert [job.due_at for job in ready_timer_jobs(engine, info.id)] == [MONDAY + timedelta(days=2)]

    clock.advance(timedelta(days=1))
    assert engine.run_due_jobs() == 0  # not due yet
    assert only_task(engine, info.id, "beoordelen").overdue is False

    clock.advance(timedelta(days=1, minutes=1))
    assert engine.run_due_jobs() == 1

    tasks = open_tasks(engine, info.id)
    assert sorted(tasks) == ["beoordelen", "escaleren"]
    assert tasks["beoordelen"].task_id == task.task_id  # the same task, still open
    assert tasks["beoordelen"].overdue is True
    assert tasks["escaleren"].candidate_group == "teamleiders"
    kinds = audit_kinds(engine, info.id)
    assert "timer" in kinds and "overdue" in kinds
    assert ready_timer_jobs(engine, info.id) == []

    engine.complete_task(info.id, tasks["escaleren"].task_id, {}, actor="teamleider")
    assert list(open_tasks(engine, info.id)) == ["beoordelen"]
    done = engine.complete_task(info.id, task.task_id, {}, actor="medewerker")
    assert done.state == "completed"


def test_timer_job_is_removed_when_the_task_is_done_in_time(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    engine = make_engine("timers.bpmn")
    info = engine.start("timer_test", {}, actor="initiatiefnemer")
    task = only_task(engine, info.id, "beoordelen")

    clock.advance(timedelta(hours=20))
    assert engine.complete_task(info.id, task.task_id, {}, actor="medewerker").state == "completed"
    assert ready_timer_jobs(engine, info.id) == []

    clock.advance(timedelta(days=5))
    assert engine.run_due_jobs() == 0
    assert "overdue" not in audit_kinds(engine, info.id)


def test_interrupting_timer_cancels_the_task(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    engine = make_engine("timer_interrupt.bpmn")
    info = engine.start("timer_afbreken_test", {}, actor="initiatiefnemer")
    task = only_task(engine, info.id, "reageren")

    clock.advance(timedelta(days=4))
    assert engine.run_due_jobs() == 0
    assert list(open_tasks(engine, info.id)) == ["reageren"]

    clock.advance(timedelta(days=1, seconds=1))
    assert engine.run_due_jobs() == 1

    assert open_tasks(engine, info.id) == {}
    after = engine.instance(info.id)
    assert after.state == "completed"
    assert after.data["verlopen"] is True
    assert after.status_text == "Verlopen: geen reactie ontvangen"
    with pytest.raises(EngineError):
        engine.complete_task(info.id, task.task_id, {}, actor="te laat")
    assert engine.instance(info.id).version == after.version


# message catch event --------------------------------------------------------------------------
def test_message_payload_lands_in_the_message_variable(make_engine: MakeEngine) -> None:
    engine = make_engine("message.bpmn")
    info = engine.start("bericht_test", {"titel": "Moestuin"}, actor="medewerker")
    assert open_tasks(engine, info.id) == {}
    assert info.status_text == "Wij wachten op uw aanvulling"

    payload = {"tekst": "Hierbij de tekening", "bijlagen": 2}
    after = engine.deliver_message(info.id, "aanvulling_ontvangen", payload, actor="initiatiefnemer@example.nl")

    assert after.data["aanvulling"] == payload
    assert after.data["titel"] == "Moestuin"
    assert list(open_tasks(engine, info.id)) == ["verwerken"]
    event = engine.audit_trail(info.id)[-1]
    assert event.kind == "message"
    assert event.actor == "initiatiefnemer@example.nl"
    assert event.detail == {"message": "aanvulling_ontvangen", "payload": payload}

    with pytest.raises(MessageNotExpected):  # no longer waiting for it
        engine.deliver_message(info.id, "aanvulling_ontvangen", payload, actor="initiatiefnemer@example.nl")


def test_unexpected_message_raises_and_stores_nothing(make_engine: MakeEngine) -> None:
    engine = make_engine("message.bpmn")
    info = engine.start("bericht_test", {}, actor="medewerker")
    events_before = len(engine.audit_trail(info.id))

    with pytest.raises(MessageNotExpected):
        engine.deliver_message(info.id, "iets_anders", {"tekst": "?"}, actor="initiatiefnemer")

    after = engine.instance(info.id)
    assert after.version == info.version
    assert after.data == info.data
    assert len(engine.audit_trail(info.id)) == events_before
    # the instance still waits for the right message
    engine.deliver_message(info.id, "aanvulling_ontvangen", {"tekst": "ok"}, actor="initiatiefnemer")
    assert engine.instance(info.id).data["aanvulling"] == {"tekst": "ok"}


# cancel ---------------------------------------------------------------------------------------
def test_cancel_removes_tasks_and_timers(make_engine: MakeEngine) -> None:
    clock.set_time(MONDAY)
    engine = make_engine("simple.bpmn")
    info = create_instance(engine, email="")  # no e-mail address: no status mail in the outbox
    task = only_task(engine, info.id, "beoordelen")
    assert len(ready_timer_jobs(engine, info.id)) == 1

    cancelled = engine.cancel(info.id, actor="kcc@gemeente.nl", reason="Ingetrokken door initiatiefnemer")

    assert cancelled.state == "cancelled"
    assert open_tasks(engine, info.id) == {}
    assert ready_timer_jobs(engine, info.id) == []
    event = engine.audit_trail(info.id)[-1]
    assert (event.kind, event.actor) == ("cancelled", "kcc@gemeente.nl")
    assert event.detail == {"reason": "Ingetrokken door initiatiefnemer"}

    with pytest.raises(EngineError):
        engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="medewerker")
    with pytest.raises(NotFound):
        engine.cancel(info.id, actor="kcc@gemeente.nl", reason="nog eens")
    clock.advance(timedelta(days=10))
    assert engine.run_due_jobs() == 0  # the norm timer was removed with the task
    assert engine.instance(info.id).state == "cancelled"
    assert "overdue" not in audit_kinds(engine, info.id)
