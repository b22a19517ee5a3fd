"""What a stored workflow itself says is open, for consistency checks (``loket bench chaos``): its
human tasks, service tasks and next timer, read from the stored state (never from the projection
tables), to compare with the open-task projection and the job table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from SpiffWorkflow.bpmn import BpmnWorkflow

from engine.final_state import FinishedCase
from engine.step_writer import Snapshot


class LoadsWorkflows(Protocol):
    def load_workflow(self, instance_id: int) -> BpmnWorkflow: ...


@dataclass(frozen=True)
class OpenParts:
    human_tasks: frozenset[str]
    service_tasks: frozenset[str]
    next_timer: datetime | None
    completed: bool


def open_parts(engine: LoadsWorkflows, instance_id: int) -> OpenParts:
    """Deserialize the instance (raises when its stored state does not load) and say what is open.
    A finished instance keeps only its final form (:mod:`engine.final_state`): nothing is open."""
    try:
        workflow = engine.load_workflow(instance_id)
    except FinishedCase:
        return OpenParts(frozenset(), frozenset(), None, completed=True)
    snapshot = Snapshot.take(workflow)
    return OpenParts(frozenset(snapshot.human), frozenset(snapshot.service), snapshot.next_timer,
                     bool(workflow.is_completed()))
