"""Stored workflow state stays loadable.

SpiffWorkflow's serialized state is forward-compatible only (a newer library reads older JSON),
so a state written by the pinned version is kept as a fixture and must keep loading and
completing: ``tests/fixtures/engine/state_v1.json``.

How the fixture was made (once, with SpiffWorkflow 3.2.0 installed)::

    PYTHONPATH=. .venv/bin/python -m tests.engine.test_serialization

:func:`build_state_v1` parses ``tests/fixtures/engine/simple.bpmn``, starts ``eenvoudig_test``
with the engine clock frozen at Monday 6 January 2025 09:00 UTC, runs it to its first wait
state (user task 'Beoordelen' open, its ``werkdagen(2)`` norm timer waiting) and stores the
spec JSON and the compressed state (base64), as the engine stored them in
``model_version.spec`` and ``process_instance.workflow_state`` (then with zlib; states are
now written with Zstandard, and zlib ones still read). Do not regenerate it after upgrading
SpiffWorkflow: the point is that the *old* state keeps loading.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine import clock
from engine.compression import decompress
from engine.scripting import make_engine_script_engine
from engine.serialization import StateSerializer
from engine.service import Engine
from engine.tables import ModelBundle, ModelVersion, ProcessInstance
from tests.factories import create_engine, json_keys

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "engine"
STATE_V1 = FIXTURES / "state_v1.json"
MADE_AT = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DATA = {"team": "groen", "titel": "Geveltuin Lange Geldersekade", "email": "a@example.nl"}


def build_state_v1() -> dict[str, Any]:
    """Produce the fixture's content with the installed SpiffWorkflow (see module docstring)."""
    from engine.parsing import load_parser
    from engine.task_tree import run_to_wait_state

    parser = load_parser({"simple.bpmn": (FIXTURES / "simple.bpmn").read_bytes()})
    spec = parser.get_spec("eenvoudig_test")
    subprocess_specs = parser.get_subprocess_specs("eenvoudig_test")
    serializer = StateSerializer()
    with clock.frozen_at(MADE_AT):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=make_engine_script_engine())
        workflow.task_tree.data.update(DATA)
        run_to_wait_state(workflow)
        blob = serializer.dumps(workflow)
    return {
        "about": "Workflow state stored by the engine; made by build_state_v1() in "
        "tests/engine/test_serialization.py. Never regenerate after an upgrade.",
        "spiffworkflow": version("SpiffWorkflow"),
        "format": json.loads(decompress(blob))["format"],
        "process_id": "eenvoudig_test",
        "made_at": MADE_AT.isoformat(),
        "spec": serializer.spec_to_json(spec, subprocess_specs),
        "state": base64.b64encode(blob).decode("ascii"),
    }


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    content: dict[str, Any] = json.loads(STATE_V1.read_text(encoding="utf-8"))
    return content


def blob_of(fixture: dict[str, Any]) -> bytes:
    return base64.b64decode(fixture["state"])


def load(fixture: dict[str, Any]) -> BpmnWorkflow:
    serializer = StateSerializer()
    spec, subs = serializer.spec_from_json(fixture["spec"])
    workflow = serializer.loads(blob_of(fixture), spec, subs)
    workflow.script_engine = make_engine_script_engine()
    return workflow


def test_fixture_was_made_by_the_pinned_version(fixture: dict[str, Any]) -> None:
    assert fixture["spiffworkflow"] == "3.2.0"
    assert fixture["format"] == "loket-1"
    major_minor = tuple(int(part) for part in version("SpiffWorkflow").split(".")[:2])
    assert major_minor >= (3, 2)  # the library only reads state of its own or older versions


def test_state_v1_loads_and_completes(fixture: dict[str, Any]) -> None:
    workflow = load(fixture)

    [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert task.task_spec.bpmn_id == "beoordelen"
    assert task.data == DATA
    waiting = [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.WAITING)]
    assert "norm" in waiting  # the norm timer survived the round trip

    task.set_data(akkoord=True)
    task.run()
    workflow.do_engine_steps()
    assert workflow.completed
    assert workflow.last_task is not None
    assert workflow.last_task.data["akkoord"] is True


def test_state_v1_round_trips_unchanged(fixture: dict[str, Any]) -> None:
    workflow = load(fixture)
    again = StateSerializer().dumps(workflow)
    assert json.loads(decompress(again)) == json.loads(decompress(blob_of(fixture)))


def test_stored_state_holds_no_spec(fixture: dict[str, Any]) -> None:
    state = json.loads(decompress(blob_of(fixture)))
    keys = set(json_keys(state))
    assert "task_specs" not in keys
    assert "spec" not in keys and "subprocess_specs" not in keys
    assert "task_specs" in fixture["spec"]  # the spec lives next to it, stored once per version


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    yield engine
    engine.db.dispose()


def test_state_v1_completes_through_the_engine(engine: Engine, fixture: dict[str, Any]) -> None:
    """The fixture stored as if an older deployment wrote it: the engine loads and finishes it."""
    [task] = load(fixture).get_tasks(state=TaskState.READY, manual=True)
    with engine.db.transaction() as session:
        bundle = ModelBundle(content_hash="f" * 64, files={}, deployed_at=MADE_AT, deployed_by="fixture")
        session.add(bundle)
        session.flush()
        model = ModelVersion(process_id="eenvoudig_test", name="Eenvoudig (test)", version_no=1,
                             content_hash="e" * 64, bundle_id=bundle.id, spec=fixture["spec"],
                             deployed_at=MADE_AT)
        session.add(model)
        session.flush()
        row = ProcessInstance(case_ref="INI-2025-000042", model_version_id=model.id, process_id="eenvoudig_test",
                              state="running", has_incident=False, title=DATA["titel"], case_data=DATA,
                              workflow_state=blob_of(fixture), row_version=7, created_at=MADE_AT,
                              updated_at=MADE_AT, started_by="fixture")
        session.add(row)
        session.flush()
        instance_id = row.id

    done = engine.complete_task(instance_id, str(task.id), {"akkoord": True}, actor="medewerker")

    assert done.state == "completed"
    assert done.status_text == "Toegekend"
    assert done.data["akkoord"] is True
    with engine.db.transaction() as session:
        stored = session.scalar(select(ProcessInstance.workflow_state).where(ProcessInstance.id == instance_id))
    assert stored is not None
    assert json.loads(decompress(stored)) == {"format": "loket-final-1", "process": "eenvoudig_test",
                                              "success": True, "last": "End"}  # finished: its final form


if __name__ == "__main__":  # pragma: no cover - run once to create the fixture
    if STATE_V1.exists():
        raise SystemExit(f"{STATE_V1} exists; it must stay as the pinned version wrote it")
    STATE_V1.write_text(json.dumps(build_state_v1(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {STATE_V1}")
