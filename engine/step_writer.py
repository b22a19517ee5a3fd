"""One step of one instance = one transaction: load, act, run to the next wait state,
write the instance, its task projection, audit events and jobs, then commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session

from engine import clock
from engine.incidents import STEP, Failure, failure_of
from engine.instance_store import InstanceRow
from engine.job_rows import mail_job, new_job, trim_sent_mails_sql
from engine.rawsql import RawSql
from engine.running import Key, apply, changes, processes_in
from engine.tables import AuditEvent, task_groups
from engine.task_tree import (
    StatusChange,
    TaskView,
    is_service,
    status_of,
    timer_due,
    view_task,
)

AUDIT = cast(Table, AuditEvent.__table__)

_AUDIT_COLUMNS = ("instance_id", "at", "actor", "kind", "task_id", "task_name", "detail")
_JOB_COLUMNS = ("kind", "instance_id", "task_id", "due_at", "payload", "state", "attempts", "max_attempts",
                "locked_by", "locked_until", "last_error", "created_at", "done_at")
_TASK_COLUMNS = ("task_id", "instance_id", "case_ref", "process_id", "task_name", "title", "form_id",
                 "candidate_group", "assignee", "due_at", "overdue", "created_at")


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    # Fixed table and column names from this module; values always go in as parameters.
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608


_INSERT_AUDIT = _insert_sql("audit_event", _AUDIT_COLUMNS)
_INSERT_JOB = _insert_sql("job", _JOB_COLUMNS)
_INSERT_TASK = _insert_sql("open_task", _TASK_COLUMNS)
_INSERT_GROUP = _insert_sql("open_task_group", ("task_id", "group_code", "due_at", "created_at"))
_REFRESH_GROUP_NORM = "UPDATE open_task_group SET due_at = ? WHERE task_id = ?"
# After _ASSIGN_UNRESOLVED (possibly in the same batch, so no row count to go by): the
# groups of a task that was opened for nobody, once.
_ASSIGN_GROUP = ("INSERT INTO open_task_group (task_id, group_code, due_at, created_at) "
                 "SELECT task_id, ?, due_at, created_at FROM open_task WHERE task_id = ? AND candidate_group = ? "
                 "AND NOT EXISTS (SELECT 1 FROM open_task_group WHERE task_id = ? AND group_code = ?)")
_DELETE_TIMERS = "DELETE FROM job WHERE instance_id = ? AND kind = 'timer' AND state = 'ready'"
_REFRESH_NORM = "UPDATE open_task SET overdue = ?, due_at = ? WHERE task_id = ? AND overdue <> ?"
_RAISE_INCIDENT = "UPDATE process_instance SET has_incident = ? WHERE id = ?"
_ASSIGN_UNRESOLVED = ("UPDATE open_task SET candidate_group = ?, assignee = ? "
                      "WHERE task_id = ? AND candidate_group IS NULL AND assignee IS NULL")


OPENED_AT = "loket_opened_at"
"""When a human task was opened (ISO), in the task's internal data."""


@dataclass
class Snapshot:
    """What was true at the last wait state, to write only the differences."""

    human: dict[str, Task]
    service: dict[str, Task]
    next_timer: datetime | None
    waiting: dict[str, Task]
    inside: frozenset[str] = frozenset()
    """The processes the instance is in (:func:`engine.running.processes_in`)."""

    @classmethod
    def take(cls, workflow: BpmnWorkflow) -> Snapshot:
        """One pass over the open part of the task tree."""
        human: dict[str, Task] = {}
        service: dict[str, Task] = {}
        waiting: dict[str, Task] = {}
        next_timer: datetime | None = None
        for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            key = str(task.id)
            if task.state == TaskState.WAITING:
                waiting[key] = task
                due = timer_due(task)
                if due is not None and (next_timer is None or due < next_timer):
                    next_timer = due
            elif task.task_spec.manual:
                human[key] = task
            elif is_service(task):
                service[key] = task
        return cls(human, service, next_timer, waiting, processes_in(workflow))

    @classmethod
    def empty(cls) -> Snapshot:
        return cls({}, {}, None, {})


class StepContext:
    """The step's transaction: a bare connection, and an ORM session on it when asked for
    (service-task handlers write organisation data through it, in the same transaction).

    On PostgreSQL the engine opens the transaction itself (see :mod:`engine.rawsql`): handing
    out the connection or the session opens it first, so whatever they write is part of it."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.raw = RawSql(conn)
        self._session: Session | None = None

    @property
    def conn(self) -> Connection:
        self.raw.begin()
        return self._conn

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(bind=self.conn)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.flush()
            self._session.close()

    def discard(self) -> None:
        """Close without writing what the session still holds (the step is being undone)."""
        if self._session is not None:
            self._session.expunge_all()
            self._session.close()
            self._session = None


@dataclass
class StepRecord:
    """Collected during a step, written at its end."""

    actor: str
    events: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    timer_fired: bool = False
    # Tasks the step's own action ran (a service task run by its job), before the engine ran on.
    ran: list[Task] = field(default_factory=list)
    # Where the case stopped on a failure of the model (written as incidents with the step).
    failures: list[Failure] = field(default_factory=list)
    # Work out again who does the open tasks that were opened for nobody (a retried incident).
    reassign: bool = False

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
            {
                "instance_id": instance_id,
                "at": clock.now(),
                "actor": actor or self.actor,
                "kind": kind,
                "task_id": str(task.id) if task is not None else None,
                "task_name": _task_label(task) if task is not None else None,
                "detail": detail,
            }
        )

    def flush(self, target: Connection | RawSql) -> None:
        raw = target if isinstance(target, RawSql) else RawSql(target)
        raw.many(_INSERT_AUDIT, [
            (e["instance_id"], raw.time(e["at"]), e["actor"], e["kind"], e["task_id"], e["task_name"],
             raw.json(e["detail"]))
            for e in self.events
        ])
        raw.many(_INSERT_JOB, [
            (j["kind"], j["instance_id"], j["task_id"], raw.time(j["due_at"]), raw.json(j["payload"]), j["state"],
             j["attempts"], j["max_attempts"], j["locked_by"], raw.time(j["locked_until"]), j["last_error"],
             raw.time(j["created_at"]), raw.time(j["done_at"]))
            for j in self.jobs
        ])
        self.events, self.jobs = [], []


Act = Callable[["StepContext", InstanceRow, BpmnWorkflow, "StepRecord"], "set[Any] | None"]
"""What a step does to a loaded workflow (inside its transaction); it returns the ids of service
tasks it allows to run inline, or None."""


def _task_label(task: Task) -> str:
    return str(task.task_spec.bpmn_name or task.task_spec.bpmn_id or task.task_spec.name)


def time_open(task: Task) -> dict[str, Any]:
    """Where a completed human task was and how long it was open, for the audit event (what the
    owner's overview of where cases wait is counted from)."""
    found: dict[str, Any] = {"element": str(task.task_spec.bpmn_id or task.task_spec.name),
                             "process": str(task.workflow.spec.name)}
    opened = task.internal_data.get(OPENED_AT)
    if isinstance(opened, str):
        try:
            found["seconds"] = max(0, int((clock.now() - datetime.fromisoformat(opened)).total_seconds()))
        except ValueError:
            pass
    return found


def data_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{key: {"old": …, "new": …}}`` per changed key; a key that had no value before has no
    ``"old"`` (readers take a missing one as None), so a task's first answers are stored once."""
    changes: dict[str, Any] = {}
    for key, value in after.items():
        if before.get(key, _MISSING) != value:
            old = before.get(key)
            changes[key] = {"new": value} if old is None else {"old": old, "new": value}
    for key in before.keys() - after.keys():
        changes[key] = {"old": before[key], "new": None}
    return changes


_MISSING = object()


@dataclass
class StepWriter:
    """Works out the differences between two wait states of one instance, then writes them."""

    raw: RawSql
    row: InstanceRow
    workflow: BpmnWorkflow
    record: StepRecord
    evaluate: Callable[[Task, str], Any]
    recipient_field: str
    service_retries: int
    gone: list[str] = field(default_factory=list)
    new_tasks: list[tuple[Any, ...]] = field(default_factory=list)
    new_groups: list[tuple[Any, ...]] = field(default_factory=list)
    timer_changed: bool = False
    incident: bool = False
    ended: bool = False
    running: dict[Key, int] = field(default_factory=dict)

    def prepare(self, before: Snapshot, ran: list[Task]) -> Snapshot:
        after = Snapshot.take(self.workflow)
        for failure in self.record.failures:
            self._incident(failure)
        self._prepare_tasks(before, after)
        self._write_services(before, after)
        self._write_timer(before, after)
        self._write_status(before, after, ran)
        if self.workflow.completed and self.row.state == "running":
            self.row.state = "completed"
            self.record.audit(self.row.id, "completed", actor="systeem")
        row = self.row
        self.ended = row.new is None and row.stored_state == "running" and row.state != "running"
        was_in = before.inside if row.new is None and row.stored_state == "running" else frozenset()
        self.running = changes((row.stored_version_id, was_in),
                               (row.model_version_id, after.inside if row.state == "running" else frozenset()))
        return after

    def _incident(self, failure: Failure) -> None:
        """The case waits at the failing element: an incident (a failed job to retry), its audit
        event, and the flag the staff pages show."""
        self.row.has_incident = True
        self.incident = True
        job = new_job(STEP, self.row.id, task_id=failure.task_id, payload=failure.payload(), max_attempts=1)
        job.update(state="failed", attempts=1, last_error=failure.message)
        self.record.jobs.append(job)
        self.record.audit(self.row.id, "incident", actor="systeem",
                          detail={"kind": STEP, "error": failure.message, "task": failure.name})

    def flush(self) -> None:
        """Send what :meth:`prepare` worked out (inside the caller's batch)."""
        raw = self.raw
        if self.incident and self.row.new is None:
            raw.run(_RAISE_INCIDENT, (raw.flag(True), self.row.id))
        if self.gone:
            marks = ", ".join("?" for _ in self.gone)  # placeholders only; the ids are parameters
            raw.run(f"DELETE FROM open_task_group WHERE task_id IN ({marks})", self.gone)  # noqa: S608
            raw.run(f"DELETE FROM open_task WHERE task_id IN ({marks})", self.gone)  # noqa: S608
        raw.many(_INSERT_TASK, self.new_tasks)
        raw.many(_INSERT_GROUP, self.new_groups)
        if self.timer_changed:
            raw.run(_DELETE_TIMERS, (self.row.id,))
        if self.ended:
            raw.run(trim_sent_mails_sql(raw.sqlite), (self.row.id,))
        apply(raw, self.running)
        self.record.flush(raw)

    # human tasks -----------------------------------------------------------------------
    def _prepare_tasks(self, before: Snapshot, after: Snapshot) -> None:
        self.gone = sorted(before.human.keys() - after.human.keys())
        now = clock.now()
        for task_id, task in after.human.items():
            if task_id not in before.human:
                # Kept with the task, so its completion can say how long it was open (where
                # cases wait) without reading the task list.
                task.internal_data[OPENED_AT] = now.isoformat()
                self.new_tasks.append(self._open_task(self._view(task), now))
            elif self.record.reassign:
                self._assign_again(task)
            elif self.record.timer_fired:
                self._refresh_norm(task)

    def _view(self, task: Task) -> TaskView:
        """The task as the lists show it; when its candidate group or assignee cannot be worked
        out it is opened for nobody, with an incident, instead of failing the whole step."""
        try:
            return view_task(task, self.evaluate)
        except Exception as error:  # noqa: BLE001 - diagram code failing becomes an incident
            failure = failure_of(self.workflow, error)
            spec = task.task_spec
            self._incident(Failure(str(task.id), str(spec.bpmn_id or spec.name), str(spec.bpmn_name or spec.name),
                                   f"niet te bepalen wie deze taak doet: {failure.error}"))
            return view_task(task, lambda _task, _expression: None)

    def _assign_again(self, task: Task) -> None:
        view = self._view(task)
        if view.candidate_group is not None or view.assignee is not None:
            self.raw.run(_ASSIGN_UNRESOLVED, (view.candidate_group, view.assignee, view.task_id))
            for group in task_groups(view.candidate_group):
                self.raw.run(_ASSIGN_GROUP, (group, view.task_id, view.candidate_group, view.task_id, group))

    def _open_task(self, view: TaskView, now: datetime) -> tuple[Any, ...]:
        raw = self.raw
        self.new_groups.extend((view.task_id, group, raw.time(view.due_at), raw.time(now))
                               for group in task_groups(view.candidate_group))
        return (view.task_id, self.row.id, self.row.case_ref, view.process_id, view.task_name, view.title,
                view.form_id, view.candidate_group, view.assignee, raw.time(view.due_at), raw.flag(view.overdue),
                raw.time(now))

    def _refresh_norm(self, task: Task) -> None:
        # Only after a timer fired, so outside the batch: its row count decides the audit event.
        # Only the norm is read here, so nothing of the diagram's code is evaluated again.
        view = view_task(task, lambda _task, _expression: None)
        raw = self.raw
        cursor = raw.run(_REFRESH_NORM, (raw.flag(view.overdue), raw.time(view.due_at), view.task_id,
                                         raw.flag(view.overdue)))
        if cursor.rowcount:
            raw.run(_REFRESH_GROUP_NORM, (raw.time(view.due_at), view.task_id))
        if cursor.rowcount and view.overdue:
            self.record.audit(self.row.id, "overdue", task=task, actor="systeem")

    # service tasks and timers ----------------------------------------------------------
    def _write_services(self, before: Snapshot, after: Snapshot) -> None:
        for task_id, task in after.service.items():
            if task_id in before.service:
                continue
            retries = getattr(task.task_spec, "retries", None)
            self.record.jobs.append(
                new_job(
                    "service",
                    self.row.id,
                    task_id=task_id,
                    payload={"task": _task_label(task)},
                    max_attempts=int(retries) if retries else self.service_retries,
                )
            )

    def _write_timer(self, before: Snapshot, after: Snapshot) -> None:
        if before.next_timer == after.next_timer:
            return
        self.timer_changed = True
        if after.next_timer is not None:
            self.record.jobs.append(new_job("timer", self.row.id, due_at=after.next_timer))

    # status ------------------------------------------------------------------------------
    def _write_status(self, before: Snapshot, after: Snapshot, ran: list[Task]) -> None:
        reached = list(ran)
        ran_ids = {task.id for task in ran}
        for task_id, task in (after.human | after.waiting).items():
            if task_id not in before.human and task_id not in before.waiting and task.id not in ran_ids:
                reached.append(task)
        for task in reached:
            change = status_of(task)
            if change is not None:
                self._set_status(task, change)

    def _set_status(self, task: Task, change: StatusChange) -> None:
        if change.text == self.row.status_text:
            return
        # Readers show the Dutch text where there is no English one, so an English text equal
        # to it is not stored; nor is "inform" when the initiator was not told (the default).
        text_en = change.text_en if change.text_en and change.text_en != change.text else None
        self.row.status_text = change.text
        self.row.status_text_en = text_en
        detail: dict[str, Any] = {"text": change.text}
        if text_en:
            detail["text_en"] = text_en
        if change.inform:
            detail["inform"] = True
        self.record.audit(self.row.id, "status", task=task, detail=detail, actor="systeem")
        recipient = self.row.case_data.get(self.recipient_field)
        if change.inform and isinstance(recipient, str) and recipient:
            self.record.jobs.append(
                mail_job(
                    self.row.id,
                    template="status_gewijzigd",
                    to=recipient,
                    context={"case_ref": self.row.case_ref, "title": self.row.title,
                             "naam": str(self.row.case_data.get("naam") or "")},
                    lang=str(self.row.case_data.get("taal") or "nl"),
                )
            )


def case_data_of(workflow: BpmnWorkflow, ran: list[Task] | None = None) -> dict[str, Any]:
    """The case data: what the most recently finished task knows, in whichever (sub)process
    it ran, so a case inside a call activity shows its latest answers too. ``ran`` (the tasks
    this step ran, in order) spares a walk over the whole tree."""
    if ran:
        for task in reversed(ran):
            if task.data:
                return dict(task.data)
    latest: Task | None = None
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        if task.data and (latest is None or task.last_state_change >= latest.last_state_change):
            latest = task
    if latest is not None:
        return dict(latest.data)
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
        if task.data:
            return dict(task.data)
    return dict(workflow.data or {})
