"""Each process keeps recently used instances in memory; another process writing in between
must never make this one act on old state."""

from __future__ import annotations

from engine.errors import TaskAlreadyCompleted
from tests.factories import create_deployed_engine, create_engine


def _task(engine, instance_id: int, name: str) -> str:  # type: ignore[no-untyped-def]
    [task] = [t for t in engine.open_tasks(instance_id=instance_id) if t.task_name == name]
    return task.task_id


def test_a_step_on_a_stale_cached_instance_is_decided_on_the_stored_state(database_url: str) -> None:
    web = create_deployed_engine(database_url, "two_steps.bpmn")
    worker = create_engine(database_url)  # another process: its own cache
    info = web.start("twee_stappen_test", {}, actor="a")  # web now caches the instance
    first = _task(web, info.id, "eerste")

    worker.complete_task(info.id, first, {"x": 1}, actor="collega")  # web's copy is now stale
    second = _task(web, info.id, "tweede")
    done = web.complete_task(info.id, second, {"y": 2}, actor="ik")  # must not be refused
    assert done.state == "completed"
    assert [e.actor for e in web.audit_trail(info.id) if e.kind == "task_completed"] == ["collega", "ik"]


def test_a_stale_cache_never_completes_a_task_twice(database_url: str) -> None:
    web = create_deployed_engine(database_url, "two_steps.bpmn")
    worker = create_engine(database_url)
    info = web.start("twee_stappen_test", {}, actor="a")
    first = _task(web, info.id, "eerste")
    worker.complete_task(info.id, first, {"x": 1}, actor="collega")
    try:
        web.complete_task(info.id, first, {"x": 2}, actor="ik")
    except TaskAlreadyCompleted as refused:
        assert refused.completed_by == "collega"
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("a completed task was completed again from a stale cache")
    assert web.instance(info.id).data["x"] == 1
