"""One step = one transaction: on any error nothing of the step is stored. Audit events record
who did what and which data changed. Status texts update the instance; ``informInitiator``
queues a mail in the outbox in the same transaction. A stale completion is a domain error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from engine import clock
from engine.errors import InvalidTaskData, TaskAlreadyCompleted
from engine.service import Engine
from engine.tables import AuditEvent, Job, OpenTask, ProcessInstance
from tests.factories import create_deployed_engine, create_engine, create_instance

MakeEngine = Callable[..., Engine]


@pytest.fixture
def make_engine(database_url: str) -> Iterator[MakeEngine]:
    made: list[Engine] = []

    def make(*files: str, **kwargs: Any) -> Engine:
        engine = create_deployed_engine(database_url, *files, **kwargs) if files else create_engine(
            database_url, **kwargs
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.db.dispose()


def stored_state(engine: Engine, instance_id: int) -> dict[str, Any]:
    """Everything a step may write for one instance, read straight from the tables."""
    with engine.db.transaction() as session:
        row = session.get(ProcessInstance, instance_id)
        assert row is not None
        tasks = session.scalars(select(OpenTask.task_id).where(OpenTask.instance_id == instance_id)).all()
        return {
            "row_version": row.row_version,
            "case_data": dict(row.case_data),
            "blob": bytes(row.workflow_state),
            "state": row.state,
            "status_text": row.status_text,
            "open_tasks": sorted(tasks),
            "audit": session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.instance_id == instance_id)
            ),
            "jobs": session.scalar(select(func.count()).select_from(Job).where(Job.instance_id == instance_id)),
        }


# atomic steps ---------------------------------------------------------------------------------
def test_a_model_failing_after_a_task_keeps_the_completion_and_raises_an_incident(make_engine: MakeEngine) -> None:
    """A completed task is never lost to a mistake in the model after it: the case waits at the
    failing gateway, with an incident saying where and why, in one transaction with the completion."""
    engine = make_engine("gateways.bpmn")
    info = engine.start("gateways_test", {"wijk": "West"}, actor="initiatiefnemer")
    task = engine.open_tasks(instance_id=info.id)[0]
    before = stored_state(engine, info.id)

    # 'veel' > 2500 raises TypeError while the gateway evaluates its conditions, after the
    # user task itself already ran
    done = engine.complete_task(info.id, task.task_id, {"bedrag": "veel"}, actor="intake")

    after = stored_state(engine, info.id)
    assert done.has_incident and after["row_version"] == before["row_version"] + 1
    assert after["open_tasks"] == [] and after["audit"] > before["audit"]
    [incident] = engine.incidents()
    assert incident.instance_id == info.id and incident.kind == "step"
    assert "liep vast" in (incident.last_error or "") and incident.payload["error"]
    completed = [e for e in engine.audit_trail(info.id) if e.kind == "task_completed"]
    assert [e.actor for e in completed] == ["intake"]

    # another engine (nothing cached) reads the same stored case
    assert make_engine().instance(info.id).has_incident


def test_rejected_task_data_stores_nothing(make_engine: MakeEngine) -> None:
    def check(form_id: str, data: dict[str, Any]) -> list[Any]:
        return [] if isinstance(data.get("akkoord"), bool) else [f"{form_id}: akkoord is verplicht"]

    engine = make_engine("simple.bpmn", check_task_data=check)
    info = create_instance(engine)
    task = engine.open_tasks(instance_id=info.id)[0]
    before = stored_state(engine, info.id)

    with pytest.raises(InvalidTaskData) as caught:
        engine.complete_task(info.id, task.task_id, {"opmerking": "vergeten"}, actor="medewerker")
    assert caught.value.errors == ["beoordeling: akkoord is verplicht"]
    assert stored_state(engine, info.id) == before
    assert engine.complete_task(info.id, task.task_id, {"akkoord": False}, actor="medewerker").state == "completed"


# audit ----------------------------------------------------------------------------------------
def test_audit_records_actor_task_and_data_changes(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine)
    task = engine.open_tasks(instance_id=info.id)[0]

    engine.complete_task(
        info.id,
        task.task_id,
        {"akkoord": True, "team": "verkeer", "toelichting": "Mooi plan"},
        actor="medewerker@gemeente.nl",
    )

    events = engine.audit_trail(info.id)
    assert [e.kind for e in events] == ["started", "status", "status", "task_completed", "status", "completed"]
    started = events[0]
    assert started.actor == "initiatiefnemer@example.nl"
    assert started.detail == {"data": {"team": "groen", "titel": "Geveltuin Lange Geldersekade",
                                       "email": "a@example.nl"}}
    completed = events[3]
    assert completed.actor == "medewerker@gemeente.nl"
    assert completed.task_id == task.task_id
    assert completed.task_name == "Beoordelen"
    assert completed.detail == {
        "changes": {
            "akkoord": {"new": True},
            "team": {"old": "groen", "new": "verkeer"},
            "toelichting": {"new": "Mooi plan"},
        },
        "element": "beoordelen", "process": "eenvoudig_test", "seconds": 0,
    }
    assert all(e.at is not None for e in events)
    assert [e.actor for e in events if e.kind in ("status", "completed")] == ["systeem"] * 4


def test_a_completed_task_says_how_long_it_was_open(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    with clock.frozen_at(datetime(2026, 3, 2, 9, tzinfo=UTC)):
        info = create_instance(engine)
        task = engine.open_tasks(instance_id=info.id)[0]
        clock.advance(timedelta(hours=26, minutes=1))
        engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="medewerker@gemeente.nl")
    [completed] = [event for event in engine.audit_trail(info.id) if event.kind == "task_completed"]
    assert completed.detail is not None
    assert (completed.detail["element"], completed.detail["seconds"]) == ("beoordelen", 26 * 3600 + 60)


# status texts and the outbox ------------------------------------------------------------------
def test_status_texts_follow_the_process_and_inform_the_initiator(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine, email="bewoner@example.nl")

    assert (info.status_text, info.status_text_en) == ("In behandeling", "Being handled")
    statuses = [e.detail for e in engine.audit_trail(info.id) if e.kind == "status"]
    assert [s["text"] for s in statuses if s] == ["Ontvangen", "In behandeling"]
    mails = engine.outbox(info.id)
    assert len(mails) == 1  # only 'Ontvangen' has informInitiator=true
    assert mails[0].state == "ready"
    assert mails[0].payload["to"] == "bewoner@example.nl"
    assert mails[0].payload["template"] == "status_gewijzigd"
    assert mails[0].payload["context"]["case_ref"] == info.case_ref

    task = engine.open_tasks(instance_id=info.id)[0]
    done = engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="medewerker")

    assert done.status_text == "Toegekend"
    assert done.status_text_en is None
    assert len(engine.outbox(info.id)) == 2  # 'Toegekend' informs the initiator too


def test_status_without_inform_queues_no_mail(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine)
    task = engine.open_tasks(instance_id=info.id)[0]
    done = engine.complete_task(info.id, task.task_id, {"akkoord": False}, actor="medewerker")
    assert done.status_text == "Afgewezen"
    assert len(engine.outbox(info.id)) == 1  # still only the 'Ontvangen' mail


def test_no_mail_without_a_recipient(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine, email="")
    assert info.status_text == "In behandeling"
    assert engine.outbox(info.id) == []


# optimistic locking (sequential; the threaded race is in test_concurrency.py) ------------------
def test_stale_completion_names_who_completed_it(make_engine: MakeEngine) -> None:
    first = make_engine("simple.bpmn")
    second = make_engine()  # a second process/worker: its own cache, same database
    info = create_instance(first)
    task = second.open_tasks(instance_id=info.id)[0]  # both users see the task in their list

    first.complete_task(info.id, task.task_id, {"akkoord": True}, actor="anna@gemeente.nl")
    before = stored_state(second, info.id)

    with pytest.raises(TaskAlreadyCompleted) as caught:
        second.complete_task(info.id, task.task_id, {"akkoord": False}, actor="bram@gemeente.nl")

    assert caught.value.completed_by == "anna@gemeente.nl"
    assert "anna@gemeente.nl" in str(caught.value)
    assert caught.value.task_name == "Beoordelen"
    assert stored_state(second, info.id) == before
    assert second.instance(info.id).data["akkoord"] is True


def test_instance_version_increases_with_every_step(make_engine: MakeEngine) -> None:
    engine = make_engine("two_steps.bpmn")
    info = engine.start("twee_stappen_test", {}, actor="a")
    first = engine.open_tasks(instance_id=info.id)[0]
    after_first = engine.complete_task(info.id, first.task_id, {"x": 1}, actor="b")
    assert after_first.version > info.version
    second = engine.open_tasks(instance_id=info.id)[0]
    after_second = engine.complete_task(info.id, second.task_id, {"y": 2}, actor="c")
    assert after_second.version > after_first.version
    assert after_second.state == "completed"


def test_a_task_whose_group_cannot_be_worked_out_is_opened_for_nobody_with_an_incident(
    make_engine: MakeEngine,
) -> None:
    """The candidate group reads data the case does not have: no crash for anyone, the case is
    stored with its task opened for nobody, and the incident names the task."""
    engine = make_engine("simple.bpmn")
    info = engine.start("eenvoudig_test", {"titel": "Zonder team", "email": "a@example.nl"}, actor="initiatiefnemer")
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.candidate_group is None and task.assignee is None
    [incident] = engine.incidents()
    assert incident.task_id == task.task_id and "niet te bepalen wie deze taak doet" in (incident.last_error or "")
    assert engine.instance(info.id).has_incident

    engine.retry_job(incident.id, actor="procesbeheerder")  # still no team: it stays for nobody
    engine.run_due_jobs()
    [again] = engine.incidents()
    assert again.id != incident.id
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.candidate_group is None
