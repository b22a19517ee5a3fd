"""Read-only questions about instances: plain indexed queries, never a workflow load."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from engine import clock
from engine.db import Database
from engine.errors import NotFound
from engine.outline import ProcessOutline, outline_of
from engine.step_writer import StepRecord
from engine.tables import AuditEvent, Job, ModelVersion, OpenTask, OpenTaskGroup, ProcessInstance
from engine.task_tree import boundary_timers, properties, timer_due


@dataclass(frozen=True)
class WaitingMessage:
    message: str
    task_id: str
    title: str
    form_id: str | None
    data: dict[str, Any]

Result = TypeVar("Result")


class QueryMixin:
    db: Database
    _outlines: dict[int, ProcessOutline]

    def load_workflow(self, instance_id: int) -> BpmnWorkflow:
        raise NotImplementedError

    def read_from_workflow(self, instance_id: int, question: Hashable,
                           answer: Callable[[BpmnWorkflow], Result], ended: Result) -> Result:
        raise NotImplementedError

    def specs(self, conn: Connection | Session, version_id: int) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
        raise NotImplementedError

    def outlines(self, process_ids: Iterable[str]) -> dict[str, ProcessOutline]:
        """The outline of the version new instances of each process get (processes that were
        never deployed are left out). Versions never change, so their outlines are kept."""
        wanted = sorted(set(process_ids))
        with self.db.reading() as session:
            rows = session.execute(
                select(ModelVersion.process_id, ModelVersion.id, ModelVersion.version_no)
                .where(ModelVersion.process_id.in_(wanted))
                .order_by(ModelVersion.process_id, ModelVersion.version_no.desc())
            ).all()
            latest: dict[str, tuple[int, int]] = {}
            for process_id, version_id, version_no in rows:
                latest.setdefault(process_id, (version_id, version_no))
            found = {}
            for process_id, (version_id, version_no) in latest.items():
                outline = self._outlines.get(version_id)
                if outline is None:
                    outline = outline_of(self.specs(session, version_id)[0], version_no)
                    self._outlines[version_id] = outline
                found[process_id] = outline
        return found

    def start_form(self, process_id: str) -> str | None:
        """The form the start event of the process new instances get names (``formId``)."""
        outline = self.outlines([process_id]).get(process_id)
        return outline.start_form if outline is not None else None

    def version_start_form(self, conn: Connection | Session, version_id: int) -> str | None:
        """The form the start event of one model version names (the one a case started with)."""
        outline = self._outlines.get(version_id)
        if outline is None:
            version_no = conn.execute(select(ModelVersion.version_no).where(ModelVersion.id == version_id)).scalar()
            if version_no is None:
                return None
            outline = outline_of(self.specs(conn, version_id)[0], version_no)
            self._outlines[version_id] = outline
        return outline.start_form

    def task_deadlines(self, instance_id: int, task_ids: Iterable[str]) -> dict[str, datetime]:
        """Per open or waiting task, when its latest interrupting timer ends it (the deadline
        of an answer the initiator is asked for); tasks without one are left out."""
        wanted = tuple(sorted(set(task_ids)))
        no_task: dict[str, datetime] = {}  # an ended case has no open task
        return dict(self.read_from_workflow(instance_id, ("deadlines", *wanted),
                                            lambda workflow: _deadlines(workflow, wanted), ended=no_task))

    def waiting_messages(self, instance_id: int) -> list[WaitingMessage]:
        """Messages the instance waits for now (e.g. the initiator's answer), with the form
        and status text the diagram gives the waiting element."""
        waits_for_nothing: list[WaitingMessage] = []  # nor does an ended case
        return list(self.read_from_workflow(instance_id, "waiting", _waiting, ended=waits_for_nothing))

    def open_tasks(
        self,
        *,
        instance_id: int | None = None,
        candidate_groups: list[str] | None = None,
        assignee: str | None = None,
    ) -> list[OpenTask]:
        """Open human tasks from the projection table (``candidate_groups``: tasks open to any of them)."""
        query = select(OpenTask).order_by(OpenTask.due_at.is_(None), OpenTask.due_at, OpenTask.created_at)
        if instance_id is not None:
            query = query.where(OpenTask.instance_id == instance_id)
        if candidate_groups is not None:
            groups = select(OpenTaskGroup.task_id).where(OpenTaskGroup.group_code.in_(candidate_groups))
            query = query.where(OpenTask.task_id.in_(groups))
        if assignee is not None:
            query = query.where(OpenTask.assignee == assignee)
        with self.db.reading_one() as session:
            return list(session.scalars(query).all())

    def audit_trail(self, instance_id: int) -> list[AuditEvent]:
        with self.db.reading_one() as session:
            query = select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)
            return list(session.scalars(query).all())

    def outbox(self, instance_id: int | None = None) -> list[Job]:
        with self.db.reading_one() as session:
            query = select(Job).where(Job.kind == "mail").order_by(Job.id)
            if instance_id is not None:
                query = query.where(Job.instance_id == instance_id)
            return list(session.scalars(query).all())

    def incidents(self) -> list[Job]:
        with self.db.reading_one() as session:
            return list(session.scalars(select(Job).where(Job.state == "failed").order_by(Job.id)).all())

    def retry_job(self, job_id: int, *, actor: str) -> None:
        """Give a failed job (an incident) a new set of attempts."""
        with self.db.transaction() as session:
            job = session.get(Job, job_id)
            if job is None or job.state != "failed":
                raise NotFound("Deze storing bestaat niet (meer).")
            job.state, job.attempts, job.due_at, job.last_error = "ready", 0, clock.now(), None
            if job.instance_id is None:
                return
            session.flush()
            still_failed = session.scalar(
                select(Job.id).where(Job.instance_id == job.instance_id, Job.state == "failed").limit(1)
            )
            row = session.get(ProcessInstance, job.instance_id)
            if row is not None and still_failed is None:
                row.has_incident = False
            record = StepRecord(actor)
            record.audit(job.instance_id, "incident_retry", detail={"job": job_id})
            record.flush(session.connection())


def _deadlines(workflow: BpmnWorkflow, task_ids: tuple[str, ...]) -> dict[str, datetime]:
    deadlines = {}
    for task_id in task_ids:
        try:
            task = workflow.get_task_from_id(UUID(task_id))
        except (TaskNotFoundException, ValueError):
            continue
        dues = [due for timer in boundary_timers(task)
                if getattr(timer.task_spec, "cancel_activity", False) and (due := timer_due(timer)) is not None]
        if dues:
            deadlines[task_id] = max(dues)
    return deadlines


def _waiting(workflow: BpmnWorkflow) -> list[WaitingMessage]:
    waiting = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, MessageEventDefinition):
            props = properties(task)
            waiting.append(
                WaitingMessage(
                    message=definition.name,
                    task_id=str(task.id),
                    title=str(task.task_spec.bpmn_name or definition.name),
                    form_id=props.get("formId"),
                    data=dict(task.data),
                )
            )
    return waiting
