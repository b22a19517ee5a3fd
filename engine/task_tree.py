"""Runs a workflow to its next wait state and reads what the rest of the engine needs
from it: open human tasks, pending service tasks, timers and status texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.service_task import ServiceTask
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState


def properties(task: Task) -> dict[str, str]:
    extensions = getattr(task.task_spec, "extensions", None) or {}
    props = extensions.get("properties") or {}
    return props if isinstance(props, dict) else {}


def is_service(task: Task) -> bool:
    return isinstance(task.task_spec, ServiceTask)


@dataclass
class StepLog:
    """What happened during one run to a wait state, in order."""

    ran: list[Task] = field(default_factory=list)


InlineService = Callable[[Task], bool]
"""Runs a READY service task inline if it may (its handler only touches the database); False
leaves it READY, to run as a job."""


def run_to_wait_state(workflow: BpmnWorkflow, allowed_service: set[Any] | None = None, *,
                      log: StepLog | None = None, inline: InlineService | None = None) -> StepLog:
    """Like ``do_engine_steps`` but service tasks are left READY (they run as jobs), unless
    their id is in ``allowed_service`` or ``inline`` runs them. ``log`` collects the tasks run,
    also when one fails."""
    log = log if log is not None else StepLog()
    run = _Stepper(allowed_service or set(), inline)

    def update(wf: BpmnWorkflow) -> int:
        count = 0
        for task in wf.get_tasks(state=TaskState.READY):
            if run(task):
                log.ran.append(task)
                count += 1
        return count

    progressed = True
    while progressed:
        active = workflow.get_active_subprocesses()
        for sub in sorted(active, key=lambda w: w.depth, reverse=True):
            while update(sub) > 0:
                pass
            if sub.parent_task_id is not None:
                parent = workflow.get_task_from_id(sub.parent_task_id)
                parent.task_spec._update(parent)
        count = update(workflow)
        progressed = count > 0 or len(workflow.get_active_subprocesses()) > len(active)
    workflow.refresh_timers()
    return log


@dataclass
class _Stepper:
    """Runs a READY task if the engine may run it now; True when it ran."""

    allowed: set[Any]
    inline: InlineService | None
    declined: set[Any] = field(default_factory=set)
    """Service tasks ``inline`` declined: asked once per step."""

    def __call__(self, task: Task) -> bool:
        if task.task_spec.manual:
            return False
        if not is_service(task) or task.id in self.allowed:
            task.run()
            return True
        if self.inline is None or task.id in self.declined:
            return False
        if self.inline(task):
            return True
        self.declined.add(task.id)
        return False


def timer_due(task: Task) -> datetime | None:
    """When a WAITING timer event fires (None if not a timer or not evaluated yet)."""
    spec = task.task_spec
    if not isinstance(spec, CatchingEvent):
        return None
    definition = spec.event_definition
    if not isinstance(definition, TimerEventDefinition):
        return None
    value = task._get_internal_data("event_value")
    if isinstance(value, str):
        return TimerEventDefinition.get_datetime(value)
    if isinstance(value, dict) and "next" in value:
        return datetime.fromisoformat(value["next"])
    return None




def boundary_timers(task: Task) -> list[Task]:
    """Timer boundary events attached to ``task`` (siblings under the boundary split)."""
    parent = task.parent
    if parent is None or type(parent.task_spec).__name__ != "BoundaryEventSplit":
        return []
    return [
        sibling
        for sibling in parent.children
        if sibling is not task
        and isinstance(sibling.task_spec, CatchingEvent)
        and isinstance(sibling.task_spec.event_definition, TimerEventDefinition)
    ]


@dataclass(frozen=True)
class TaskView:
    task_id: str
    process_id: str
    task_name: str
    title: str
    form_id: str | None
    candidate_group: str | None
    assignee: str | None
    due_at: datetime | None
    overdue: bool


Evaluator = Callable[[Task, str], Any]


def _as_group(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, list | tuple | set):
        return ",".join(str(v) for v in value) or None
    return str(value)


def _norm(task: Task) -> tuple[datetime | None, bool]:
    due: datetime | None = None
    overdue = False
    for timer in boundary_timers(task):
        if properties(timer).get("overdue", "").lower() != "true":
            continue
        if timer.has_state(TaskState.COMPLETED | TaskState.READY):
            overdue = True
        when = timer_due(timer)
        if when is not None and (due is None or when < due):
            due = when
    return due, overdue


def view_task(task: Task, evaluate: Evaluator) -> TaskView:
    props = properties(task)
    group_expr = props.get("candidateGroups")
    assignee_expr = props.get("assignee")
    due, overdue = _norm(task)
    return TaskView(
        task_id=str(task.id),
        process_id=task.workflow.spec.name,
        task_name=task.task_spec.bpmn_id or task.task_spec.name,
        title=task.task_spec.bpmn_name or task.task_spec.bpmn_id or task.task_spec.name,
        form_id=props.get("formId"),
        candidate_group=_as_group(evaluate(task, group_expr)) if group_expr else None,
        assignee=_as_group(evaluate(task, assignee_expr)) if assignee_expr else None,
        due_at=due,
        overdue=overdue,
    )


@dataclass(frozen=True)
class StatusChange:
    text: str
    text_en: str | None
    inform: bool
    element: str


def status_of(task: Task) -> StatusChange | None:
    props = properties(task)
    text = props.get("statusText")
    if not text:
        return None
    return StatusChange(
        text=text,
        text_en=props.get("statusText_en"),
        inform=props.get("informInitiator", "").lower() == "true",
        element=task.task_spec.bpmn_id or task.task_spec.name,
    )
