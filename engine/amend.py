"""Changing who handles a running case: one step of the instance that moves the open tasks of
the previous handler to the new one and changes the case data the diagrams read (so tasks
still to come go to the new handler too), with what the caller writes in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.instance_store import InstanceRow
from engine.plaindata import jsonable
from engine.records import hand_over_tasks
from engine.step_writer import Act, StepContext, StepRecord


@dataclass(frozen=True)
class Reassignment:
    """``previous``: the assignees (e-mail addresses) whose open tasks go to ``new``; ``data``:
    case data to change where the process already carries it; ``detail``: of the audit event."""

    previous: list[str]
    new: str
    data: dict[str, Any] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)


Decide = Callable[[Session, str], Reassignment]
"""Runs inside the step, with its session and the case reference; raising stores nothing."""


class AmendMixin:
    def step(self, instance_id: int, actor: str, act: Act) -> Any:
        raise NotImplementedError

    def reassign(self, instance_id: int, *, actor: str, kind: str, decide: Decide) -> Any:
        """One step: ``decide`` says who takes over (and writes its own rows in the same
        transaction), then the tasks and data follow and an audit event ``kind`` is written."""

        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            if row.state != "running":
                raise NotFound("Dit initiatief loopt niet meer.")
            change = decide(ctx.session, row.case_ref)
            _set_data(workflow, jsonable(change.data))
            hand_over_tasks(ctx.session, row.id, change.previous, change.new)
            record.audit(row.id, kind, detail=change.detail)

        return self.step(instance_id, actor, act)


def _set_data(workflow: BpmnWorkflow, data: dict[str, Any]) -> None:
    """Every task that carries a key gets the new value, so tasks still to come (an assignee
    expression such as ``begeleider``) and merges at gateways all see the same."""
    for task in workflow.get_tasks():
        for key, value in data.items():
            if key in task.data:
                task.data[key] = value
