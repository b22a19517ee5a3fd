"""The engine's API: deploy models, start instances, complete tasks, deliver messages,
cancel, and run due jobs. Every call that changes an instance is one transaction."""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

import psycopg
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from engine import clock
from engine.amend import AmendMixin
from engine.bundle import BundleCatalog, BundleMixin, CatalogFor
from engine.db import Database
from engine.deploy import DeployResult, deploy_files, read_model_files
from engine.errors import (
    ConcurrentUpdate,
    DiagramError,
    EngineError,
    InvalidTaskData,
    MessageNotExpected,
    NotFound,
    TaskAlreadyCompleted,
)
from engine.final_state import FinishedCase, completed_before
from engine.handlers import HandlerRegistry
from engine.incidents import InlineServiceFailed, run_until_stopped
from engine.inline_services import inline_runner
from engine.instance_info import InstanceInfo, info_of, require_running
from engine.instance_store import CHANGED_MEANWHILE, InstanceRow, create_row, load_row, saving
from engine.jobs import JobRunner
from engine.mail import Mailer, MailRenderer
from engine.migration import MigrationMixin
from engine.outbox import MailMixin
from engine.outline import ProcessOutline
from engine.plaindata import jsonable
from engine.queries import QueryMixin
from engine.rawsql import RawSql
from engine.running import RunningMixin
from engine.scripting import make_engine_script_engine
from engine.serialization import StateSerializer
from engine.step_hooks import StepHook, run_hooks, step_done
from engine.step_writer import (
    AUDIT,
    Act,
    Snapshot,
    StepContext,
    StepRecord,
    StepWriter,
    case_data_of,
    data_changes,
    time_open,
)
from engine.tables import COMPLETED_EVENT, ProcessInstance
from engine.task_tree import properties
from engine.validation import Organisation
from engine.workflow_cache import CachedInstance, Specs, WorkflowCache

clock.install_into_spiff()

# Errors by which the database says another step got there first.
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (
    IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError,
    psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure,
)


class FormCatalog(Protocol):
    def exists(self, form_id: str) -> bool: ...


TaskDataCheck = Callable[[str, dict[str, Any]], list[Any]]
StartHook = Callable[[Session, "InstanceInfo"], None]


class _NoForms:
    def exists(self, form_id: str) -> bool:
        return True


class Engine(WorkflowCache, QueryMixin, AmendMixin, BundleMixin, MigrationMixin, MailMixin, RunningMixin):
    """Facade over SpiffWorkflow with durable, concurrency-safe instances."""

    def __init__(
        self,
        database: Database | str,
        *,
        handlers: HandlerRegistry | None = None,
        forms: FormCatalog | None = None,
        check_task_data: TaskDataCheck | None = None,
        bundle_catalog: CatalogFor | None = None,
        case_prefix: str = "INI",
        recipient_field: str = "email",
        title_field: str = "titel",
        service_retries: int = 3,
        cache_size: int = 512,
        mailer: Mailer | None = None,
        mail_templates: Path | None = None,
        step_hooks: list[StepHook] | None = None,
    ) -> None:
        self.db = database if isinstance(database, Database) else Database(database)
        self.handlers = handlers or HandlerRegistry()
        self.forms = forms or _NoForms()
        self.check_task_data = check_task_data
        self.bundle_catalog = bundle_catalog
        self._catalogs: dict[int, BundleCatalog] = {}
        self._version_catalogs: dict[int, BundleCatalog] = {}
        self.case_prefix = case_prefix
        self.recipient_field = recipient_field
        self.title_field = title_field
        self.service_retries = service_retries
        self.serializer = StateSerializer()
        self.script_engine = make_engine_script_engine()
        self._specs: OrderedDict[int, Specs] = OrderedDict()
        self._outlines: dict[int, ProcessOutline] = {}
        self._texts: dict[int, dict[str, str]] = {}
        self._version_bundles: dict[int, int] = {}
        self._workflows: OrderedDict[int, CachedInstance] = OrderedDict()
        self._reads: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
        self._cache_size = cache_size
        self.mailer = mailer
        self.mail_renderer = MailRenderer(mail_templates) if mail_templates else None
        self.step_hooks: list[StepHook] = list(step_hooks or [])
        """Projections the application keeps, written in every step's transaction (:mod:`engine.step_hooks`)."""

    # units of work ---------------------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[Session]:
        """A unit of work that writes: commits when the block succeeds, rolls back on any error."""
        return self.db.transaction()

    def reading(self) -> AbstractContextManager[Session]:
        """A unit of work that only reads (never waits for a writer on SQLite)."""
        return self.db.reading()

    # schema and models -------------------------------------------------------------------
    def create_schema(self) -> None:
        self.db.create_all()

    def deploy_directory(self, directory: Path, *, actor: str = "systeem",
                         organisation: Organisation | None = None) -> DeployResult:
        return self.deploy_files(read_model_files(directory), actor=actor, organisation=organisation)

    def deploy_files(self, files: dict[str, bytes], *, actor: str = "systeem",
                     organisation: Organisation | None = None, note: str | None = None) -> DeployResult:
        """Validate (every blocking problem refuses the whole deploy) and store new versions.
        With a ``bundle_catalog`` the bundle's own forms and texts are checked and read."""
        catalog = self.catalog_for_files(files)
        with self.db.transaction() as session:
            return deploy_files(
                session,
                files,
                actor=actor,
                serializer=self.serializer,
                form_exists=self.forms.exists,
                handler_exists=self.handlers.__contains__,
                form_fields=getattr(self.forms, "fields", None),
                organisation=organisation,
                note=note,
                catalog=catalog,
            )

    # starting --------------------------------------------------------------------------------
    def start(
        self,
        process_id: str,
        data: dict[str, Any] | None = None,
        *,
        actor: str,
        case_ref: str | None = None,
        within: StartHook | None = None,
    ) -> InstanceInfo:
        """Start an instance and run it to its first wait state, in one transaction.

        ``within`` runs inside that same transaction once the instance is written, with an ORM
        session on it: what it writes (attachments, a confirmation mail) is committed together
        with the new case, and if it raises, nothing at all is stored."""
        data = jsonable(data or {})
        try:
            return self._start(process_id, data, actor, case_ref, within)
        except SpiffWorkflowException as exc:
            raise DiagramError(str(exc)) from exc

    def _start(
        self, process_id: str, data: dict[str, Any], actor: str, case_ref: str | None, within: StartHook | None
    ) -> InstanceInfo:
        with self.db.connection() as conn:
            raw = RawSql(conn)
            now = clock.now()
            title = data.get(self.title_field)
            initiator = data.get(self.recipient_field)
            row = create_row(
                raw, process_id=process_id, title=str(title)[:300] if title else None, data=data, actor=actor,
                now=now, initiator=str(initiator).strip().lower()[:254] if initiator else None,
            )
            row.case_ref = case_ref or f"{self.case_prefix}-{now.year}-{row.id:06d}"
            spec, subs = self.specs(conn, row.model_version_id)
            workflow = BpmnWorkflow(spec, subs, script_engine=self.script_engine)
            workflow.task_tree.data.update(data)
            record = StepRecord(actor)
            record.audit(row.id, "started", detail={"data": data})
            log, failure = run_until_stopped(workflow)
            record.failures += [failure] if failure else []
            after = self._finish_step(raw, row, workflow, Snapshot.empty(), record, log.ran, commit=within is None)
            info = info_of(row)
            if within is not None:
                context = StepContext(conn)
                try:
                    within(context.session, info)
                finally:
                    context.close()
        self._put_workflow(row, workflow, after)
        return info

    def _finish_step(
        self,
        raw: RawSql,
        row: InstanceRow,
        workflow: BpmnWorkflow,
        before: Snapshot,
        record: StepRecord,
        ran: list[Task],
        *,
        commit: bool = True,
    ) -> Snapshot:
        """Work out and write what the step changed. With ``commit`` nothing else follows in
        this transaction, so on PostgreSQL its COMMIT goes out with the writes."""
        row.case_data = jsonable(case_data_of(workflow, ran))
        writer = StepWriter(
            raw=raw,
            row=row,
            workflow=workflow,
            record=record,
            evaluate=self._evaluate,
            recipient_field=self.recipient_field,
            service_retries=self.service_retries,
        )
        after = writer.prepare(before, ran)
        state = self.serializer.dumps(workflow, row.case_data)
        now = clock.now()
        done = step_done(row, record.events, now) if self.step_hooks else None
        with saving(raw, row, state, now, commit=commit):
            writer.flush()
            if done is not None:
                run_hooks(self.step_hooks, raw, done)
        return after

    def _evaluate(self, task: Task, expression: str) -> Any:
        return self.script_engine.evaluate(task, expression)

    # steps on existing instances ----------------------------------------------------------
    def step(
        self,
        instance_id: int,
        actor: str,
        act: Act,
    ) -> InstanceInfo:
        """Load, ``act`` on the workflow, run to the next wait state and commit — or, on any
        error, store nothing and drop the in-memory workflow.

        With the instance in this process's cache the step skips reading the row: the save is
        guarded by the row version anyway. If another process wrote in between (the save
        misses, or the cached state made ``act`` refuse), the step runs once more on the
        stored state, which is then read and locked first."""
        cached = self._take_cached(instance_id)
        try:
            if cached is not None:
                try:
                    return self._attempt(instance_id, actor, act, cached)
                except EngineError:
                    pass  # judged on a copy that may be stale: decide again on the stored state
            return self._attempt(instance_id, actor, act, None)
        except InlineServiceFailed:
            # Nothing of the step was stored: take it again with every service task as a job.
            return self._attempt(instance_id, actor, act, None, inline=False)

    def _attempt(
        self,
        instance_id: int,
        actor: str,
        act: Act,
        cached: CachedInstance | None,
        *,
        inline: bool = True,
    ) -> InstanceInfo:
        try:
            with self.db.connection() as conn:
                if cached is not None:
                    row, workflow, before = cached
                else:
                    row = load_row(RawSql(conn), instance_id, lock=not self.db.is_sqlite)
                    workflow, before = self._take_workflow(conn, row)
                info, after = self._step_in(conn, row, workflow, before, actor, act, inline=inline)
        except INTEGRITY_ERRORS as exc:
            # Two steps raced to create the same rows: the later one lost.
            raise ConcurrentUpdate(CHANGED_MEANWHILE) from exc
        except SpiffWorkflowException as exc:
            raise DiagramError(str(exc)) from exc
        self._put_workflow(row, workflow, after)
        return info

    def _step_in(
        self,
        conn: Connection,
        row: InstanceRow,
        workflow: BpmnWorkflow,
        before: Snapshot,
        actor: str,
        act: Act,
        *,
        inline: bool = True,
    ) -> tuple[InstanceInfo, Snapshot]:
        record = StepRecord(actor)
        context = StepContext(conn)
        try:
            allowed = act(context, row, workflow, record)
            runner = inline_runner(self.handlers, context, row, record) if inline else None
            log, failure = run_until_stopped(workflow, allowed, inline=runner)
        except InlineServiceFailed:
            context.discard()
            raise
        finally:
            context.close()
        record.failures += [failure] if failure else []
        after = self._finish_step(context.raw, row, workflow, before, record, record.ran + log.ran)
        return info_of(row), after

    def complete_task(
        self, instance_id: int, task_id: str, data: dict[str, Any], *, actor: str
    ) -> InstanceInfo:
        data = jsonable(data)

        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            task = self._ready_human_task(ctx, row, workflow, task_id)
            form_id = properties(task).get("formId")
            if form_id:
                self._check_task_data(ctx, row, str(form_id), data)
            before = dict(task.data)
            task.set_data(**data)
            task.run()
            record.audit(row.id, "task_completed", task=task,
                         detail={"changes": data_changes(before, task.data), **time_open(task)})

        try:
            return self.step(instance_id, actor, act)
        except FinishedCase:
            with self.db.read_connection() as conn:
                raise completed_before(conn, instance_id, task_id) from None

    def _check_task_data(self, ctx: StepContext, row: InstanceRow, form_id: str, data: dict[str, Any]) -> None:
        """The data must satisfy the form as the case's own bundle has it."""
        catalog = None
        if self.bundle_catalog is not None:  # kept per version: a cached step stays one round trip
            catalog = (self._version_catalogs.get(row.model_version_id)
                       or self.catalog_of_version(ctx.conn, row.model_version_id))
        errors = (catalog.errors(form_id, data) if catalog is not None
                  else self.check_task_data(form_id, data) if self.check_task_data is not None else [])
        if errors:
            raise InvalidTaskData(errors)

    def _ready_human_task(self, ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, task_id: str) -> Task:
        try:
            task = workflow.get_task_from_id(UUID(task_id))
        except (ValueError, KeyError, TypeError, TaskNotFoundException):
            task = None
        if task is not None and task.state == TaskState.READY and task.task_spec.manual:
            return task
        if task is None:
            raise NotFound("Deze taak bestaat niet (meer).")
        done = ctx.conn.execute(
            select(AUDIT.c.actor, AUDIT.c.at)
            .where(AUDIT.c.instance_id == row.id, AUDIT.c.task_id == task_id, COMPLETED_EVENT)
            .order_by(AUDIT.c.id.desc())
            .limit(1)
        ).first()
        if done is None:
            require_running(row)
        name = str(task.task_spec.bpmn_name or task.task_spec.name)
        raise TaskAlreadyCompleted(name, done.actor if done else None, done.at if done else None)

    def deliver_message(
        self, instance_id: int, name: str, payload: dict[str, Any], *, actor: str
    ) -> InstanceInfo:
        payload = jsonable(payload)

        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            require_running(row)
            definition = self._waiting_message(workflow, name)
            workflow.send_event(BpmnEvent(definition, payload=payload))
            record.audit(row.id, "message", detail={"message": name, "payload": payload})

        return self.step(instance_id, actor, act)

    @staticmethod
    def _waiting_message(workflow: BpmnWorkflow, name: str) -> MessageEventDefinition:
        for task in workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, MessageEventDefinition) and definition.name == name:
                return definition
        raise MessageNotExpected(f"Dit initiatief wacht niet op het bericht '{name}'.")

    def cancel(self, instance_id: int, *, actor: str, reason: str) -> InstanceInfo:
        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            if row.state != "running":
                raise NotFound("Dit initiatief loopt niet meer.")
            workflow.cancel()
            row.state = "cancelled"
            record.audit(row.id, "cancelled", detail={"reason": reason})

        return self.step(instance_id, actor, act)

    def instance(self, instance_id: int, *, within: Session | None = None) -> InstanceInfo:
        """``within``: read in the caller's unit of work (a page that reads more in one go)."""
        if within is not None:
            return _instance_info(within, instance_id)
        with self.db.reading_one() as session:
            return _instance_info(session, instance_id)

    def jobs(self) -> JobRunner:
        return JobRunner(self)

    def run_due_jobs(self, worker_id: str = "inline", limit: int = 100) -> int:
        """Run every job that is due now (used by tests and the inline worker)."""
        return self.jobs().run_due(worker_id=worker_id, limit=limit)


def _instance_info(session: Session, instance_id: int) -> InstanceInfo:
    # Without the stored workflow: the largest column, and InstanceInfo has no use for it.
    row = session.get(ProcessInstance, instance_id, options=[defer(ProcessInstance.workflow_state)])
    if row is None:
        raise NotFound(f"Initiatief {instance_id} bestaat niet.")
    return info_of(row)
