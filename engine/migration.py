"""Move a running case to another version of its process, with SpiffWorkflow's own spec diff
(``SpiffWorkflow.bpmn.util.diff``): every task of the case — also inside call activities it is
in — must have its element in the new version; call activities not yet entered simply start
from the new version later. Open tasks are re-predicted on the new spec (the same task, so the
same id in the task lists); a step that failed is tried again, so a case stuck on a broken
version moves on once it is on the fixed one. Waiting timers and messages keep their time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.util.diff import WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Connection, Table, select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.db import Database
from engine.errors import EngineError
from engine.final_state import FinishedCase
from engine.instance_store import InstanceRow
from engine.serialization import StateSerializer
from engine.step_writer import StepContext, StepRecord
from engine.tables import Job, ModelVersion, ProcessInstance

INSTANCES = cast(Table, ProcessInstance.__table__)
JOBS = cast(Table, Job.__table__)
RESET = TaskState.READY | TaskState.ERROR
"""Re-predicted on the new spec (waiting timers and messages keep their state and time)."""


class CannotMove(EngineError):
    """The case cannot move to that version; the message says why, in Dutch."""


@dataclass(frozen=True)
class MoveCheck:
    instance_id: int
    case_ref: str
    from_version: int
    to_version: int
    reason: str | None
    """Why it cannot move (None: it can)."""
    at: tuple[str, ...]
    """The elements the case is at now (its open and waiting tasks)."""

    @property
    def can_move(self) -> bool:
        return self.reason is None


def _element(task: Task) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name)


def _blocking(diff: WorkflowDiff | None, process: str) -> str | None:
    if diff is None:
        return f"het deelproces '{process}' waar het initiatief in is, bestaat niet in de nieuwe versie"
    for task in diff.removed:
        if getattr(task.task_spec, "bpmn_id", None) is None:
            continue  # SpiffWorkflow's own helper tasks are made again from the new spec
        if task.has_state(TaskState.FINISHED_MASK):
            return (f"het initiatief is al langs '{_element(task)}' gekomen, "
                    "en die stap bestaat niet in de nieuwe versie")
        return f"het initiatief is bij '{_element(task)}', en die stap bestaat niet in de nieuwe versie"
    return None


def _where(workflow: BpmnWorkflow) -> tuple[str, ...]:
    """The steps the case is at: open tasks, failed steps and messages it waits for (not timers)."""
    tasks = [task for task in workflow.get_tasks(state=TaskState.READY | TaskState.ERROR)
             if task.task_spec.manual or task.has_state(TaskState.ERROR)]
    tasks += [task for task in workflow.get_tasks(state=TaskState.WAITING)
              if isinstance(getattr(task.task_spec, "event_definition", None), MessageEventDefinition)]
    return tuple(sorted({str(task.task_spec.bpmn_id) for task in tasks if getattr(task.task_spec, "bpmn_id", None)}))


def plan(serializer: StateSerializer, workflow: BpmnWorkflow, spec: Any,
         dependencies: dict[str, Any]) -> tuple[str | None, WorkflowDiff, dict[Any, WorkflowDiff | None]]:
    """Why the workflow cannot move to ``spec`` (None: it can), with the diffs to move it by."""
    if workflow.spec.name != spec.name:
        return "de nieuwe versie is van een ander proces", *_empty(serializer, workflow)
    top, subprocesses = diff_workflow(serializer.registry, workflow, spec, dependencies)
    reason = _blocking(top, spec.name)
    for sub_id, diff in subprocesses.items():
        reason = reason or _blocking(diff, workflow.subprocesses[sub_id].spec.name)
    return reason, top, subprocesses


def _empty(serializer: StateSerializer, workflow: BpmnWorkflow) -> tuple[WorkflowDiff, dict[Any, None]]:
    top, _ = diff_workflow(serializer.registry, workflow, workflow.spec, {})
    return top, {}


def move(workflow: BpmnWorkflow, spec: Any, dependencies: dict[str, Any], top: WorkflowDiff,
         subprocesses: dict[Any, WorkflowDiff | None]) -> None:
    """Put the workflow on the new spec (checked by :func:`plan` first)."""
    for sub_id, diff in subprocesses.items():
        sub = workflow.subprocesses[sub_id]
        if diff is not None:
            migrate_workflow(diff, sub, dependencies[sub.spec.name], reset_mask=RESET)
    migrate_workflow(top, workflow, spec, reset_mask=RESET)
    workflow.subprocess_specs = dependencies


class MigrationMixin:
    serializer: StateSerializer
    db: Database

    def specs(self, conn: Connection | Session, version_id: int) -> tuple[Any, dict[str, Any]]:
        raise NotImplementedError

    def load_workflow(self, instance_id: int) -> BpmnWorkflow:
        raise NotImplementedError

    def check_move(self, conn: Connection | Session, instance: ProcessInstance | InstanceRow,
                   workflow: BpmnWorkflow, to_version: int) -> MoveCheck:
        spec, dependencies = self.specs(conn, to_version)
        reason = None if instance.model_version_id != to_version else "het initiatief heeft deze versie al"
        reason = reason or plan(self.serializer, workflow, spec, dependencies)[0]
        return MoveCheck(instance.id, instance.case_ref, instance.model_version_id, to_version, reason,
                         _where(workflow))

    def move_act(self, to_version: int, version_no: int) -> Any:
        """The step that moves a case (for :meth:`Engine.step`); CannotMove when it cannot."""

        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            if row.state != "running":
                raise CannotMove("Dit initiatief loopt niet meer.")
            if row.model_version_id == to_version:
                raise CannotMove("Het initiatief heeft deze versie al.")
            spec, dependencies = self.specs(ctx.conn, to_version)
            reason, top, subprocesses = plan(self.serializer, workflow, spec, dependencies)
            if reason is not None:
                raise CannotMove(f"Dit initiatief kan niet mee: {reason}.")
            before = row.model_version_id
            move(workflow, spec, dependencies, top, subprocesses)
            ctx.conn.execute(update(INSTANCES).where(INSTANCES.c.id == row.id)
                             .values(model_version_id=to_version, has_incident=False))
            # the failed steps run again on the new version (reset above): their incidents are over
            ctx.conn.execute(update(JOBS).where(JOBS.c.instance_id == row.id, JOBS.c.state == "failed")
                             .values(state="done", done_at=clock.now(), locked_until=None))
            row.model_version_id, row.has_incident = to_version, False
            record.audit(row.id, "migrated", detail={"from_version": before, "to_version": to_version,
                                                     "to_version_no": version_no})

        return act


    def check_moves(self, instance_ids: list[int], to_version: int) -> list[MoveCheck]:
        """Per case, whether it can move to ``to_version`` and if not, why (moves nothing)."""
        found = []
        for instance_id in instance_ids:
            try:
                workflow: BpmnWorkflow | None = self.load_workflow(instance_id)
            except FinishedCase:
                workflow = None  # only its final form is stored: nothing to move
            with self.db.reading() as session:
                instance = session.get(ProcessInstance, instance_id)
                if instance is None:
                    continue
                found.append(self.check_move(session, instance, workflow, to_version) if workflow is not None
                             else MoveCheck(instance.id, instance.case_ref, instance.model_version_id, to_version,
                                            "het initiatief loopt niet meer", ()))
        return found

    def move_case(self, instance_id: int, to_version: int, *, actor: str) -> Any:
        """Move one running case to ``to_version`` (audited as ``migrated``); CannotMove says why not."""
        with self.db.reading() as session:
            number = session.scalar(select(ModelVersion.version_no).where(ModelVersion.id == to_version))
        if number is None:
            raise CannotMove("Die versie bestaat niet.")
        try:
            return self.step(instance_id, actor, self.move_act(to_version, number))
        except FinishedCase as ended:
            raise CannotMove(str(ended)) from None

    def step(self, instance_id: int, actor: str, act: Any) -> Any:
        raise NotImplementedError
