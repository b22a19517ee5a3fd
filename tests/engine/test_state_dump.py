"""The engine writes workflow state with its own lean converter (the generic registry walk of
SpiffWorkflow costs more than a step). It must write exactly what SpiffWorkflow's converters
write: this drives every test fixture and bundled model through its wait states and compares
the two at each of them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from engine import clock, serialization
from engine.bench import RawSpiff
from engine.compression import decompress
from engine.parsing import executable_process_ids, load_parser
from engine.scripting import make_engine_script_engine
from engine.serialization import StateSerializer
from engine.task_tree import run_to_wait_state
from tests.processes.factories import complex_data

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "tests" / "fixtures" / "engine", ROOT / "bpmn_models"]
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# Values JSON has no type for, which SpiffWorkflow's encoder converts (and a callable, which
# is not state at all).
ODD_VALUES = {"op": datetime(2025, 3, 4, 12, 0, tzinfo=UTC), "looptijd": timedelta(days=3)}
# Answers for the gateways and decision tables on the way.
ANSWERS = {
    "engine": {"akkoord": True, "besluit": "toekennen", "soort": "groen", "team": "groen", "bedrag": 1200,
               "email": "a@example.nl", "titel": "Buurtmoestuin"},
    "bpmn_models": complex_data(categorie="complex", uitkomst="toegekend", besluit="toegekend",
                                aanvulling_nodig=False, aanvulling_ingetrokken=False, fonds_aanvragen=False),
}


def library_dict(serializer: StateSerializer, workflow: BpmnWorkflow) -> Any:
    """The state as SpiffWorkflow's own registry converts it (what the engine stored before)."""
    registry = serializer.registry
    registry._encoder_mode = True
    try:
        dct = registry.convert(workflow)
    finally:
        registry._encoder_mode = False
    dct["format"] = "loket-1"
    return json.loads(json.dumps(dct, cls=serializer._full._encoder_cls))


def lean_dict(serializer: StateSerializer, workflow: BpmnWorkflow) -> Any:
    return json.loads(decompress(serializer.dumps_full(workflow)))


def drive(folder: Path, process_id: str, serializer: StateSerializer, seen: list[dict[str, Any]],
          odd: dict[str, Any]) -> None:
    answers = ANSWERS[folder.name] | odd
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".bpmn", ".dmn")}
    parser = load_parser(files)
    workflow = BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id),
                            script_engine=make_engine_script_engine())
    workflow.task_tree.data.update(answers)
    now = START
    for _ in range(10):
        with clock.frozen_at(now):
            try:
                run_to_wait_state(workflow)
            except SpiffWorkflowException:
                return  # a path this generic driver has no answer for: compared up to here
            lean = lean_dict(serializer, workflow)
            assert lean == library_dict(serializer, workflow), f"{process_id} differs"
            seen.append(lean)
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready and workflow.completed:
                return
            for task in ready[:1]:
                task.set_data(**answers)
                task.run()
        now += timedelta(days=9)  # past most norms: timers fire on the next run
        with clock.frozen_at(now):
            workflow.refresh_timers()


class CountingOrjson:
    """engine.serialization's orjson, counting the states it wrote."""

    JSONEncodeError = orjson.JSONEncodeError

    def __init__(self) -> None:
        self.written = 0

    def dumps(self, value: Any) -> bytes:
        text = orjson.dumps(value)
        self.written += 1
        return text


@pytest.mark.parametrize("odd", [{}, ODD_VALUES | {"helper": len}], ids=["plain-json", "values-json-has-no-type-for"])
def test_lean_state_equals_spiffworkflows_own(odd: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    spy = CountingOrjson()
    monkeypatch.setattr(serialization, "orjson", spy)
    serializer = StateSerializer()
    seen: list[dict[str, Any]] = []
    for folder in FOLDERS:
        files = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".bpmn", ".dmn")}
        for process_id in executable_process_ids(load_parser(files)):
            drive(folder, process_id, serializer, seen, odd)
    # Plain data goes through the fast encoder; with a date or a function anywhere, none does.
    assert spy.written == (len(seen) if not odd else 0)
    assert len(seen) >= 50
    assert any(state["subprocesses"] for state in seen)  # call activities were compared too
    assert any(state["completed"] for state in seen)
    assert any(task["delta"].get("updates") for state in seen for task in state["tasks"].values())
    assert any(task["internal_data"] for state in seen for task in state["tasks"].values())


class Colour(Enum):
    GREEN = "groen"


EDGE_VALUES = {
    "not a number": float("nan"),
    "infinite": float("inf"),
    "huge": 1 << 70,
    "broken text": "\ud800",
    "uuid": UUID(int=7),
    "enum": Colour.GREEN,
    "number keys": {1: "een"},
}


@pytest.mark.parametrize("name", list(EDGE_VALUES))
def test_a_value_orjson_would_write_differently_keeps_spiffworkflows_encoding(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = CountingOrjson()
    monkeypatch.setattr(serialization, "orjson", spy)
    serializer = StateSerializer()
    workflow = RawSpiff().start()
    workflow.get_tasks(state=TaskState.READY, manual=True)[0].data["waarde"] = {"in": [EDGE_VALUES[name]]}
    try:
        expected = json.dumps(library_dict(serializer, workflow), sort_keys=True)
    except (TypeError, ValueError):
        expected = "not storable"
    try:
        stored = json.dumps(lean_dict(serializer, workflow), sort_keys=True)
    except (TypeError, ValueError):
        stored = "not storable"
    assert stored == expected  # NaN compares unequal to itself: compare the JSON text
    assert spy.written == 0


def test_plain_values_are_recognised_exactly() -> None:
    assert serialization._plain([{"a": [1, -(1 << 63), (1 << 64) - 1, 0.5, "x", True, None]}])
    for odd in ({"a": 1 << 64}, {"a": float("-inf")}, {"a": (1,)}, {2: "b"}, {"a": Colour.GREEN}):
        assert not serialization._plain([odd]), odd
