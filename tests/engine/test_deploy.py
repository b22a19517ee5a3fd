"""Deploying models: immutable, content-hashed versions. Unchanged files make no new version,
a changed file makes version 2; running instances stay on their version and still complete,
new instances take the latest; the spec is stored once per version, never per instance."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.compression import decompress
from engine.errors import ModelInvalid
from engine.handlers import HandlerRegistry
from engine.service import Engine
from engine.tables import ModelBundle, ModelVersion, ProcessInstance
from tests.factories import create_engine, create_instance, json_keys

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "engine"
SIMPLE = (FIXTURES / "simple.bpmn").read_bytes()
SIMPLE_V2 = SIMPLE.replace(b'name="Beoordelen"', b'name="Beoordelen en besluiten"')
TWO_STEPS = (FIXTURES / "two_steps.bpmn").read_bytes()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.db.dispose()


def versions(engine: Engine, process_id: str = "eenvoudig_test") -> list[ModelVersion]:
    with engine.db.transaction() as session:
        query = select(ModelVersion).where(ModelVersion.process_id == process_id).order_by(ModelVersion.version_no)
        return list(session.scalars(query).all())


def bundle_count(engine: Engine) -> int:
    with engine.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(ModelBundle)) or 0)


def stored_blob(engine: Engine, instance_id: int) -> bytes:
    with engine.db.transaction() as session:
        blob = session.scalar(select(ProcessInstance.workflow_state).where(ProcessInstance.id == instance_id))
    assert blob is not None
    return bytes(blob)


def task_title(engine: Engine, instance_id: int) -> str:
    [task] = engine.open_tasks(instance_id=instance_id)
    return task.title


def test_deploying_unchanged_files_makes_no_new_version(engine: Engine) -> None:
    first = engine.deploy_files({"simple.bpmn": SIMPLE}, actor="procesbeheerder")
    again = engine.deploy_files({"simple.bpmn": SIMPLE}, actor="procesbeheerder")

    assert first.changed and first.new_bundle
    assert [(v.process_id, v.version_no) for v in first.versions] == [("eenvoudig_test", 1)]
    assert not again.changed and not again.new_bundle
    assert again.bundle_id == first.bundle_id
    assert [v.version_id for v in again.versions] == [v.version_id for v in first.versions]
    assert len(versions(engine)) == 1
    assert bundle_count(engine) == 1


def test_unchanged_process_keeps_its_version_in_a_new_bundle(engine: Engine) -> None:
    engine.deploy_files({"simple.bpmn": SIMPLE})
    # another file joins, and simple.bpmn only gains a comment: its process is the same
    result = engine.deploy_files({"simple.bpmn": SIMPLE + b"\n<!-- opmerking -->\n", "two_steps.bpmn": TWO_STEPS})

    by_process = {v.process_id: v for v in result.versions}
    assert result.new_bundle
    assert (by_process["eenvoudig_test"].version_no, by_process["eenvoudig_test"].new) == (1, False)
    assert (by_process["twee_stappen_test"].version_no, by_process["twee_stappen_test"].new) == (1, True)
    assert len(versions(engine)) == 1


def test_changed_file_makes_version_2_and_running_instances_keep_theirs(engine: Engine, database_url: str) -> None:
    v1 = engine.deploy_files({"simple.bpmn": SIMPLE}).versions[0]
    old = create_instance(engine)
    assert old.model_version_id == v1.version_id
    old_spec = versions(engine)[0].spec

    result = engine.deploy_files({"simple.bpmn": SIMPLE_V2}, actor="procesbeheerder")

    [v2] = result.versions
    assert result.changed
    assert (v2.version_no, v2.new) == (2, True)
    assert [v.version_no for v in versions(engine)] == [1, 2]
    assert versions(engine)[0].spec == old_spec  # version 1 is immutable

    new = create_instance(engine)
    assert new.model_version_id == v2.version_id
    assert task_title(engine, new.id) == "Beoordelen en besluiten"
    assert engine.instance(old.id).model_version_id == v1.version_id
    assert task_title(engine, old.id) == "Beoordelen"

    # a fresh engine (nothing cached) completes both, each on its own version
    other = create_engine(database_url)
    try:
        for info in (old, new):
            [task] = other.open_tasks(instance_id=info.id)
            done = other.complete_task(info.id, task.task_id, {"akkoord": True}, actor="medewerker")
            assert done.state == "completed"
        assert other.instance(old.id).model_version_id == v1.version_id
        assert other.instance(new.id).model_version_id == v2.version_id
    finally:
        other.db.dispose()


def test_redeploying_earlier_files_makes_them_current_again(engine: Engine) -> None:
    """A rollback: the process owner deploys the previous files again after a bad change.
    New instances must run what was deployed last, not the change that was rolled back."""
    engine.deploy_files({"simple.bpmn": SIMPLE})
    engine.deploy_files({"simple.bpmn": SIMPLE_V2})
    assert task_title(engine, create_instance(engine).id) == "Beoordelen en besluiten"

    rollback = engine.deploy_files({"simple.bpmn": SIMPLE}, actor="procesbeheerder")

    assert rollback.changed
    assert [v.version_no for v in versions(engine)] == [1, 2, 3]  # history is kept, 3 is current
    assert task_title(engine, create_instance(engine).id) == "Beoordelen"


def test_spec_is_stored_once_per_version_not_per_instance(engine: Engine) -> None:
    engine.deploy_files({"simple.bpmn": SIMPLE})
    infos = [create_instance(engine) for _ in range(3)]
    [model] = versions(engine)
    assert "task_specs" in json.loads(model.spec)["spec"]

    for info in infos:
        blob = stored_blob(engine, info.id)
        state = json.loads(decompress(blob))
        keys = set(json_keys(state))
        assert "task_specs" not in keys
        assert "spec" not in keys and "subprocess_specs" not in keys
        assert len(blob) < len(model.spec) / 2  # the instance carries tasks and data only
        assert len(blob) < 4000

    with engine.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ModelVersion)) == 1


def test_invalid_files_deploy_nothing(engine: Engine) -> None:
    engine.deploy_files({"simple.bpmn": SIMPLE})
    with pytest.raises(ModelInvalid) as caught:
        engine.deploy_files({"simple.bpmn": SIMPLE_V2, "kapot.bpmn": b"<bpmn:definitions"})
    assert any(p.file == "kapot.bpmn" for p in caught.value.problems)
    assert [v.version_no for v in versions(engine)] == [1]
    assert bundle_count(engine) == 1


def test_service_task_with_unregistered_handler_is_rejected(database_url: str) -> None:
    engine = create_engine(database_url, handlers=HandlerRegistry())
    try:
        with pytest.raises(ModelInvalid) as caught:
            engine.deploy_files({"service.bpmn": (FIXTURES / "service.bpmn").read_bytes()})
        assert any(p.element_id == "registreren" and "registreer" in p.message_nl for p in caught.value.problems)
        assert bundle_count(engine) == 0
    finally:
        engine.db.dispose()
