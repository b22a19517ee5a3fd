"""Workflow state without its spec: specs are stored once per model version.

The instance blob holds only tasks and data (compressed JSON, see :mod:`engine.compression`);
the spec objects come from a per-version cache, so loading an instance never re-parses or
re-restores a spec.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from types import ModuleType
from typing import Any
from uuid import UUID

import orjson
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task

from engine import compression
from engine.final_state import FinishedCase, final_form, is_final

STATE_FORMAT = "loket-1"

_specs: ContextVar[tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]] | None] = ContextVar(
    "_specs", default=None
)


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any]) -> BpmnWorkflow:
        specs = _specs.get()
        if specs is None:
            raise RuntimeError("specs must be supplied when restoring a workflow")
        spec, subprocess_specs = specs
        dct = dict(dct)
        dct["spec"] = spec
        dct["subprocess_specs"] = subprocess_specs
        workflow = BpmnWorkflow(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_LEAVES = frozenset({str, bool, type(None)})
_INT_RANGE = range(-(1 << 63), 1 << 64)  # what orjson writes as a number


def _values_of(state: dict[str, Any]) -> Iterator[Any]:
    """What in a state dict did not come from the dump itself: workflow and task data."""
    yield state["bpmn_events"]
    for workflow in (state, *state["subprocesses"].values()):
        yield workflow["data"]
        yield workflow["correlations"]
        for task in workflow["tasks"].values():
            if task.get("typename") == "Task":
                yield task["data"]
                yield task["delta"]
                yield task["internal_data"]
            else:  # written by SpiffWorkflow's registry: check all of it
                yield task


def _plain(values: Iterable[Any]) -> bool:
    """True when every value is JSON as json and orjson both write it: str, bool, None,
    a 64-bit int, a finite float, and lists and str-keyed dicts of those."""
    pending = list(values)
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind in _LEAVES or (kind is int and value in _INT_RANGE) or (kind is float and value - value == 0):
            continue
        if kind is dict:
            for key in value:
                if type(key) is not str:
                    return False
            pending.extend(value.values())
        elif kind is list:
            pending.extend(value)
        else:
            return False
    return True


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    # As the registry's clean(): functions and modules a script left behind are not state.
    return {k: v for k, v in data.items() if not callable(v) and not isinstance(v, ModuleType)}


class StateSerializer:
    """Converts workflows to compact bytes and back, and specs to JSON and back."""

    def __init__(self) -> None:
        self.registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        _SpeclessWorkflowConverter(BpmnWorkflow, self.registry)
        self._full = BpmnWorkflowSerializer(self.registry)

    # specs -----------------------------------------------------------------------------
    def spec_to_json(self, spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]) -> str:
        return json.dumps(
            {
                "spec": self.registry.convert(spec),
                "subprocess_specs": {k: self.registry.convert(v) for k, v in subprocess_specs.items()},
            },
            separators=(",", ":"),
            sort_keys=True,
        )

    def spec_from_json(self, text: str) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
        dct = json.loads(text)
        spec = self.registry.restore(dct["spec"])
        subs = {k: self.registry.restore(v) for k, v in dct["subprocess_specs"].items()}
        return spec, subs

    # state -----------------------------------------------------------------------------
    def dumps(self, workflow: BpmnWorkflow, case_data: dict[str, Any] | None = None) -> bytes:
        """The state to store; a finished workflow is stored in its final form (see
        :mod:`engine.final_state`), without what ``case_data`` (stored beside it) holds."""
        if workflow.completed:
            return self.dumps_final(workflow, case_data)
        return self.dumps_full(workflow)

    def dumps_full(self, workflow: BpmnWorkflow) -> bytes:
        """The whole state, as a running workflow is stored."""
        dct = self._workflow_dict(workflow, "BpmnWorkflow")
        dct["subprocesses"] = {
            str(key): self._workflow_dict(sub, "BpmnSubWorkflow") | {
                "parent_task_id": str(sub.parent_task_id), "spec": sub.spec.name,
            }
            for key, sub in workflow.subprocesses.items()
        }
        dct["bpmn_events"] = list(workflow.bpmn_events)
        dct["format"] = STATE_FORMAT
        return compression.compress(self._encode(dct))

    def dumps_final(self, workflow: BpmnWorkflow, case_data: dict[str, Any] | None = None) -> bytes:
        final = final_form(workflow, case_data)
        if "data" in final:
            final["data"] = _clean(final["data"])
        if _plain(final.values()):
            text = orjson.dumps(final)
        else:
            text = json.dumps(final, separators=(",", ":"), cls=self._full._encoder_cls).encode("utf-8")
        return compression.compress(text, final=True)

    def _encode(self, dct: dict[str, Any]) -> bytes:
        """orjson writes plain JSON values so that they read back equal to what json writes,
        in a tenth of the time; anything else (dates, UUIDs, NaN, text that is not valid
        Unicode) keeps SpiffWorkflow's own encoding, which knows how to store and restore it."""
        if _plain(_values_of(dct)):
            try:
                return orjson.dumps(dct)
            except orjson.JSONEncodeError:
                pass
        return json.dumps(dct, separators=(",", ":"), cls=self._full._encoder_cls).encode("utf-8")

    def _workflow_dict(self, workflow: BpmnWorkflow | BpmnSubWorkflow, typename: str) -> dict[str, Any]:
        """What SpiffWorkflow's own converters make of a (sub)workflow in encoder mode, written
        out for the types a BPMN workflow holds: the generic registry walk costs more than
        the engine step itself. ``tests/engine/test_state_dump.py`` holds the two equal."""
        # Every id appears up to four times (key, id, parent, child): format each once.
        text = {key: str(key) for key in workflow.tasks}
        last = workflow.last_task
        return {
            "data": _clean(workflow.data),
            "correlations": workflow.correlations,
            "last_task": str(last.id) if last is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "tasks": {text[key]: self._task_dict(task, text) for key, task in workflow.tasks.items()},
            "root": str(workflow.task_tree.id),
            "typename": typename,
        }

    def _task_dict(self, task: Task, text: dict[UUID, str]) -> dict[str, Any]:
        if type(task) is not Task:
            return self._generic(task)
        parent = task.parent
        data: dict[str, Any]
        delta: dict[str, Any]
        if parent is None:
            data, delta = task.data, {}
        else:
            # Only what differs from the parent, as SpiffWorkflow's TaskConverter stores it.
            before, after = parent.data, task.data
            data = {}
            delta = {
                "updates": {k: v for k, v in after.items() if k not in before or v != before[k]},
                "deletions": [k for k in before if k not in after],
            }
        return {
            "id": text[task.id],
            "parent": text[task._parent] if parent is not None else None,
            "children": [text.get(child) or str(child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task.state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": _clean(task.internal_data),
            "data": data,
            "delta": delta,
            "typename": "Task",
        }

    def _generic(self, obj: Any) -> Any:
        self.registry._encoder_mode = True
        try:
            return self.registry.convert(obj)
        finally:
            self.registry._encoder_mode = False

    def loads(
        self, blob: bytes, spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]
    ) -> BpmnWorkflow:
        dct = json.loads(compression.decompress(blob))
        if is_final(dct):
            raise FinishedCase(dct)
        dct.pop("format", None)
        token = _specs.set((spec, subprocess_specs))
        try:
            return self.registry.restore(dct)
        finally:
            _specs.reset(token)
