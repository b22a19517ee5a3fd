"""A row per candidate group of an open task (what a team's queue reads), written and removed
with the task by the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from engine.service import Engine
from engine.tables import OpenTask, OpenTaskGroup
from tests.factories import FIXTURES, create_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The two-step model, its first task for two groups (a list, as a diagram may give it)."""
    made = create_engine(database_url)
    model = (FIXTURES / "engine" / "two_steps.bpmn").read_text(encoding="utf-8")
    model = model.replace('value="\'intake\'"', 'value="[\'intake\', \'team-groen\']"', 1)
    made.deploy_files({"two_steps.bpmn": model.encode("utf-8")})
    yield made
    made.db.dispose()


def group_rows(engine: Engine) -> list[tuple[str, str]]:
    with engine.db.reading() as session:
        rows = session.execute(select(OpenTask.task_name, OpenTaskGroup.group_code)
                               .join(OpenTask, OpenTask.task_id == OpenTaskGroup.task_id)
                               .order_by(OpenTask.task_name, OpenTaskGroup.group_code)).all()
    return [(name, group) for name, group in rows]


def test_each_group_of_a_task_gets_a_row_and_they_go_with_the_task(engine: Engine) -> None:
    info = engine.start("twee_stappen_test", {}, actor="a")
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.candidate_group == "intake,team-groen"
    assert group_rows(engine) == [("eerste", "intake"), ("eerste", "team-groen")]
    assert [t.task_id for t in engine.open_tasks(candidate_groups=["team-groen"])] == [task.task_id]
    with engine.db.reading() as session:
        due, created = session.execute(select(OpenTaskGroup.due_at, OpenTaskGroup.created_at)
                                       .where(OpenTaskGroup.group_code == "intake")).one()
    assert (due, created) == (task.due_at, task.created_at)  # the queue's order, kept with the group

    engine.complete_task(info.id, task.task_id, {}, actor="a")
    assert group_rows(engine) == [("tweede", "intake")]
    assert engine.open_tasks(candidate_groups=["team-groen"]) == []
    [second] = engine.open_tasks(instance_id=info.id)
    engine.complete_task(info.id, second.task_id, {}, actor="a")
    assert group_rows(engine) == []
