"""One step of one instance = one transaction: load, act, run to the next wait state,
write the instance, its task projection, audit events and jobs, then commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete
from sqlalchemy.orm import Session

from engine import clock
from engine.models import AuditEvent, Job, OpenTask, ProcessInstance
from engine.stepper import (
    StatusChange,
    TaskView,
    properties,
    ready_human_tasks,
    ready_service_tasks,
    status_of,
    view_task,
    waiting_timers,
)


@dataclass
class Snapshot:
    """What was true at the last wait state, to write only the differences."""

    human: set[str]
    service: set[str]
    next_timer: datetime | None
    waiting: set[str]

    @classmethod
    def take(cls, workflow: BpmnWorkflow) -> Snapshot:
        timers = [due for _task, due in waiting_timers(workflow)]
        return cls(
            human={str(t.id) for t in ready_human_tasks(workflow)},
            service={str(t.id) for t in ready_service_tasks(workflow)},
            next_timer=min(timers) if timers else None,
            waiting={str(t.id) for t in workflow.get_tasks(state=TaskState.WAITING)},
        )

    @classmethod
    def empty(cls) -> Snapshot:
        return cls(set(), set(), None, set())


@dataclass
class StepRecord:
    """Collected during a step, written at its end."""

    actor: str
    events: list[AuditEvent] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    timer_fired: bool = False

    def audit(
        self,
        instance_id: int,
        kind: str,
        *,
        task: Task | None = None,
        detail: dict[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        self.events.append(
            AuditEvent(
                instance_id=instance_id,
                at=clock.now(),
                actor=actor or self.actor,
                kind=kind,
                task_id=str(task.id) if task is not None else None,
                task_name=_task_label(task) if task is not None else None,
                detail=detail,
            )
        )


def _task_label(task: Task) -> str:
    return str(task.task_spec.bpmn_name or task.task_spec.bpmn_id or task.task_spec.name)


def data_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in after.items():
        if before.get(key, _MISSING) != value:
            changes[key] = {"old": before.get(key), "new": value}
    for key in before.keys() - after.keys():
        changes[key] = {"old": before[key], "new": None}
    return changes


_MISSING = object()


@dataclass
class StepWriter:
    """Writes the differences between two wait states of one instance."""

    session: Session
    row: ProcessInstance
    workflow: BpmnWorkflow
    record: StepRecord
    evaluate: Callable[[Task, str], Any]
    recipient_field: str
    service_retries: int

    def write(self, before: Snapshot, ran: list[Task]) -> None:
        after = Snapshot.take(self.workflow)
        self._write_tasks(before, after)
        self._write_services(before, after)
        self._write_timer(before, after)
        self._write_status(before, after, ran)
        self._write_state()
        self.session.add_all(self.record.events)
        self.session.add_all(self.record.jobs)

    # human tasks -----------------------------------------------------------------------
    def _write_tasks(self, before: Snapshot, after: Snapshot) -> None:
        gone = before.human - after.human
        if gone:
            self.session.execute(delete(OpenTask).where(OpenTask.task_id.in_(gone)))
        now = clock.now()
        for task in ready_human_tasks(self.workflow):
            task_id = str(task.id)
            if task_id not in before.human:
                self.session.add(self._open_task(view_task(task, self.evaluate), now))
            elif self.record.timer_fired:
                self._refresh_norm(task)

    def _open_task(self, view: TaskView, now: datetime) -> OpenTask:
        return OpenTask(
            task_id=view.task_id,
            instance_id=self.row.id,
            case_ref=self.row.case_ref,
            process_id=view.process_id,
            task_name=view.task_name,
            title=view.title,
            form_id=view.form_id,
            candidate_group=view.candidate_group,
            assignee=view.assignee,
            due_at=view.due_at,
            overdue=view.overdue,
            created_at=now,
        )

    def _refresh_norm(self, task: Task) -> None:
        view = view_task(task, self.evaluate)
        existing = self.session.get(OpenTask, view.task_id)
        if existing is not None and (existing.overdue != view.overdue or existing.due_at != view.due_at):
            existing.overdue = view.overdue
            existing.due_at = view.due_at
            if view.overdue:
                self.record.audit(self.row.id, "overdue", task=task, actor="systeem")

    # service tasks and timers ----------------------------------------------------------
    def _write_services(self, before: Snapshot, after: Snapshot) -> None:
        for task in ready_service_tasks(self.workflow):
            if str(task.id) in before.service:
                continue
            retries = getattr(task.task_spec, "retries", None)
            self.record.jobs.append(
                Job(
                    kind="service",
                    instance_id=self.row.id,
                    task_id=str(task.id),
                    due_at=clock.now(),
                    payload={"task": _task_label(task)},
                    state="ready",
                    attempts=0,
                    max_attempts=int(retries) if retries else self.service_retries,
                    created_at=clock.now(),
                )
            )

    def _write_timer(self, before: Snapshot, after: Snapshot) -> None:
        if before.next_timer == after.next_timer:
            return
        self.session.execute(
            delete(Job).where(Job.instance_id == self.row.id, Job.kind == "timer", Job.state == "ready")
        )
        if after.next_timer is not None:
            self.record.jobs.append(
                Job(
                    kind="timer",
                    instance_id=self.row.id,
                    due_at=after.next_timer,
                    payload={},
                    state="ready",
                    attempts=0,
                    max_attempts=3,
                    created_at=clock.now(),
                )
            )

    # status ------------------------------------------------------------------------------
    def _write_status(self, before: Snapshot, after: Snapshot, ran: list[Task]) -> None:
        reached = list(ran)
        for task in self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            task_id = str(task.id)
            if task_id not in before.human and task_id not in before.waiting and task not in ran:
                reached.append(task)
        for task in reached:
            change = status_of(task)
            if change is not None:
                self._set_status(task, change)

    def _set_status(self, task: Task, change: StatusChange) -> None:
        if change.text == self.row.status_text:
            return
        self.row.status_text = change.text
        self.row.status_text_en = change.text_en
        self.record.audit(
            self.row.id,
            "status",
            task=task,
            detail={"text": change.text, "text_en": change.text_en, "inform": change.inform},
            actor="systeem",
        )
        recipient = self.row.case_data.get(self.recipient_field) if self.row.case_data else None
        if change.inform and isinstance(recipient, str) and recipient:
            self.record.jobs.append(
                mail_job(
                    self.row.id,
                    template="status_gewijzigd",
                    to=recipient,
                    context={"case_ref": self.row.case_ref, "title": self.row.title},
                    lang=str(self.row.case_data.get("taal") or "nl"),
                )
            )

    # the instance row ------------------------------------------------------------------
    def _write_state(self) -> None:
        self.row.updated_at = clock.now()
        if self.workflow.completed and self.row.state == "running":
            self.row.state = "completed"
            self.record.audit(self.row.id, "completed", actor="systeem")


def mail_job(instance_id: int | None, *, template: str, to: str, context: dict[str, Any], lang: str) -> Job:
    return Job(
        kind="mail",
        instance_id=instance_id,
        due_at=clock.now(),
        payload={"template": template, "to": to, "context": context, "lang": lang},
        state="ready",
        attempts=0,
        max_attempts=5,
        created_at=clock.now(),
    )


def case_data_of(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The case data: what the most recently finished task knows, falling back to the
    data of open tasks so a case started just now already shows its answers."""
    last = workflow.last_task
    if last is not None and last.data:
        return dict(last.data)
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
        if task.data:
            return dict(task.data)
    return dict(workflow.data or {})


def property_of(task: Task, name: str) -> str | None:
    return properties(task).get(name)
