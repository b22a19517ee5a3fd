"""Read-only questions about instances: plain indexed queries, never a workflow load."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine import clock
from engine.db import Database
from engine.errors import NotFound
from engine.models import AuditEvent, Job, OpenTask, ProcessInstance
from engine.stepper import properties
from engine.steps import StepRecord


@dataclass(frozen=True)
class WaitingMessage:
    message: str
    task_id: str
    title: str
    form_id: str | None
    data: dict[str, Any]


class QueryMixin:
    db: Database

    def load_workflow(self, instance_id: int) -> BpmnWorkflow:
        raise NotImplementedError

    def waiting_messages(self, instance_id: int) -> list[WaitingMessage]:
        """Messages the instance waits for now (e.g. the initiator's answer), with the form
        and status text the diagram gives the waiting element."""
        workflow = self.load_workflow(instance_id)
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


    def open_tasks(
        self,
        *,
        instance_id: int | None = None,
        candidate_groups: list[str] | None = None,
        assignee: str | None = None,
    ) -> list[OpenTask]:
        """Open human tasks from the projection table."""
        query = select(OpenTask).order_by(OpenTask.due_at.is_(None), OpenTask.due_at, OpenTask.created_at)
        if instance_id is not None:
            query = query.where(OpenTask.instance_id == instance_id)
        if candidate_groups is not None:
            query = query.where(OpenTask.candidate_group.in_(candidate_groups))
        if assignee is not None:
            query = query.where(OpenTask.assignee == assignee)
        with self.db.transaction() as session:
            return list(session.scalars(query).all())

    def audit_trail(self, instance_id: int) -> list[AuditEvent]:
        with self.db.transaction() as session:
            query = select(AuditEvent).where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)
            return list(session.scalars(query).all())

    def outbox(self, instance_id: int | None = None) -> list[Job]:
        with self.db.transaction() as session:
            query = select(Job).where(Job.kind == "mail").order_by(Job.id)
            if instance_id is not None:
                query = query.where(Job.instance_id == instance_id)
            return list(session.scalars(query).all())

    def incidents(self) -> list[Job]:
        with self.db.transaction() as session:
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
