"""When a model fails at run time: the step that got there is kept, the case waits at the failing
element, and an incident says where and why, in words, until someone retries it.

A script, decision table, condition or timer that fails while the engine runs on does not undo
what came before it (an initiative that was sent stays sent; a task that was completed stays
completed): the failing task is left in SpiffWorkflow's ERROR state and an incident job is
written with the step. Retrying resumes there. A task whose candidate group or assignee cannot
be worked out is opened for nobody and gets an incident too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine.task_tree import InlineService, StepLog, run_to_wait_state

STEP = "step"
"""The job kind of an incident in a step: retrying it resumes the case where it stopped."""


@dataclass(frozen=True)
class Failure:
    """Why the case stopped: the element (id and name) and the error, in words."""

    task_id: str | None
    element: str | None
    name: str | None
    error: str

    @property
    def message(self) -> str:
        if not self.element:
            return f"Het proces liep vast: {self.error}"
        where = f"'{self.name}' ({self.element})" if self.name and self.name != self.element else f"'{self.element}'"
        return f"Het proces liep vast bij {where}: {self.error}"

    def payload(self) -> dict[str, Any]:
        return {"task": self.name or self.element, "element": self.element, "error": self.error}


def _words(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    first = text.splitlines()[0]
    return f"{first} ({type(error).__name__})"[:600]


def failure_of(workflow: BpmnWorkflow, error: BaseException) -> Failure:
    """Where the workflow stopped on ``error``: the task SpiffWorkflow left in ERROR, if any."""
    failed = next(iter(workflow.get_tasks(state=TaskState.ERROR)), None)
    task: Task | None = failed or getattr(error, "task", None)
    if task is None:
        return Failure(None, None, None, _words(error))
    spec = task.task_spec
    return Failure(str(task.id), str(spec.bpmn_id or spec.name), str(spec.bpmn_name or spec.bpmn_id or spec.name),
                   _words(error))


class InlineServiceFailed(Exception):
    """A service task run inline in a step failed: the step is taken again without running it
    inline, so the task becomes a job (with its retries and, at last, an incident)."""


def run_until_stopped(workflow: BpmnWorkflow, allowed_service: set[Any] | None = None, *,
                      inline: InlineService | None = None) -> tuple[StepLog, Failure | None]:
    """Run to the next wait state; on a failure, keep what ran before it and say where it stopped."""
    log = StepLog()
    try:
        run_to_wait_state(workflow, allowed_service, log=log, inline=inline)
    except InlineServiceFailed:
        raise
    except Exception as error:  # noqa: BLE001 - every failure of diagram code becomes an incident
        return log, failure_of(workflow, error)
    return log, None


def resume(workflow: BpmnWorkflow) -> int:
    """Put the tasks that failed back to READY, so running on tries them again; how many there were."""
    failed = workflow.get_tasks(state=TaskState.ERROR)
    for task in failed:
        task._set_state(TaskState.READY)  # noqa: SLF001 - SpiffWorkflow has no public "retry" for a task
    return len(failed)
