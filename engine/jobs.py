"""Jobs: claim with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), run, retry, fail.

A job's effect and its completion are one transaction, and completion only succeeds while
this worker still holds the lease: a worker that lost its lease (crashed, too slow) can
never store its effect a second time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Connection, update
from sqlalchemy.orm import Session

from engine import clock
from engine.db import Database
from engine.handlers import HandlerContext, HandlerRegistry
from engine.incidents import STEP, resume
from engine.instance_store import InstanceRow
from engine.job_claim import ClaimedJob, claim_jobs
from engine.job_rows import mail_job, sent_mail_payload
from engine.mail import BundleTexts, Mail, Mailer, MailRenderer
from engine.rawsql import RawSql
from engine.scripting import end_service_call, service_call
from engine.step_writer import Act, StepContext, StepRecord
from engine.tables import Job, ProcessInstance

log = logging.getLogger(__name__)


class EngineForJobs(Protocol):
    """What running jobs needs of the engine (:class:`engine.service.Engine` is one)."""

    db: Database
    handlers: HandlerRegistry
    mailer: Mailer | None
    mail_renderer: MailRenderer | None

    def step(self, instance_id: int, actor: str, act: Act) -> object: ...

    def mail_texts(self, instance_id: int | None, within: Session | None = None) -> BundleTexts | None: ...

    def mail_texts_of_version(self, version_id: int) -> BundleTexts | None: ...


# A mail sent after its case ended keeps only what a sent mail of an ended case keeps
# (see engine.job_rows.SENT_MAIL_KEYS); the case's end trimmed the mails sent before.
_MAIL_DONE = ("UPDATE job SET state = 'done', done_at = ?, locked_until = NULL, payload = CASE WHEN EXISTS "
              "(SELECT 1 FROM process_instance WHERE process_instance.id = job.instance_id "
              "AND process_instance.state <> 'running') THEN ? ELSE payload END "
              "WHERE id = ? AND locked_by = ? AND state = 'running' RETURNING id")


class LeaseLost(Exception):
    """Another worker took this job over; our work is rolled back."""


class JobRunner:
    def __init__(self, engine: EngineForJobs, *, lease: timedelta = timedelta(seconds=60)) -> None:
        self.engine = engine
        self.lease = lease

    # claiming ------------------------------------------------------------------------------
    def claim(self, worker_id: str, limit: int = 10) -> list[int]:
        return [job.id for job in self.claim_jobs(worker_id, limit)]

    def claim_jobs(self, worker_id: str, limit: int = 10) -> list[ClaimedJob]:
        """Lease due jobs in one statement (see :mod:`engine.job_claim`)."""
        now = clock.now()
        return claim_jobs(self.engine.db, worker_id, now + self.lease, now, limit)

    def _complete(self, conn: Connection | Session, job_id: int, worker_id: str) -> None:
        result = conn.execute(
            update(Job)
            .where(Job.id == job_id, Job.locked_by == worker_id, Job.state == "running")
            .values(state="done", done_at=clock.now(), locked_until=None)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(f"job {job_id} is no longer held by {worker_id}")

    # running ---------------------------------------------------------------------------------
    def run_due(self, worker_id: str, limit: int = 100) -> int:
        """Run due jobs until none is left (or ``limit`` ran). Returns how many ran."""
        ran = 0
        while ran < limit:
            batch = min(10, limit - ran)
            claimed = self.claim_jobs(worker_id, batch)
            for job in claimed:
                self._run_claimed(job, worker_id)
                ran += 1
            if len(claimed) < batch and all(job.kind == "mail" for job in claimed):
                break  # drained: sending mail makes no new jobs, so asking again finds none
        return ran

    def run_one(self, job_id: int, worker_id: str) -> bool:
        with self.engine.db.transaction() as session:
            job = session.get(Job, job_id)
            if job is None:
                return False
            claimed = ClaimedJob(job_id, job.kind, job.instance_id, job.task_id, dict(job.payload))
        return self._run_claimed(claimed, worker_id)

    def _run_claimed(self, job: ClaimedJob, worker_id: str) -> bool:
        job_id, kind, instance_id, task_id, payload = job.id, job.kind, job.instance_id, job.task_id, job.payload
        try:
            if kind == "mail":
                texts = (self.engine.mail_texts_of_version(job.version_id) if job.version_id is not None
                         else self.engine.mail_texts(instance_id))
                self._send_mail(job_id, worker_id, payload, texts)
            elif kind == "timer" and instance_id is not None:
                self._fire_timers(job_id, worker_id, instance_id)
            elif kind == "service" and instance_id is not None and task_id is not None:
                self._run_service(job_id, worker_id, instance_id, task_id)
            elif kind == STEP and instance_id is not None:
                self._resume(job_id, worker_id, instance_id)
            else:
                raise ValueError(f"unknown job kind {kind!r}")
            return True
        except LeaseLost:
            log.warning("job %s: lease lost, leaving it to the other worker", job_id)
            return False
        except Exception as exc:  # noqa: BLE001 - every failure becomes a retry or incident
            self._failed(job_id, worker_id, exc)
            return False

    def _send_mail(self, job_id: int, worker_id: str, payload: dict[str, Any], texts: BundleTexts | None) -> None:
        renderer, mailer = self.engine.mail_renderer, self.engine.mailer
        if renderer is None or mailer is None:
            raise RuntimeError("geen mailserver ingesteld")
        subject, body = renderer.render(str(payload["template"]), str(payload.get("lang") or "nl"),
                                        dict(payload.get("context") or {}), texts)
        with self.engine.db.connection() as conn:
            raw = RawSql(conn)  # BEGIN and the UPDATE in one round trip on PostgreSQL
            sent = raw.json(sent_mail_payload(payload))
            if raw.one(_MAIL_DONE, (raw.time(clock.now()), sent, job_id, worker_id)) is None:
                raise LeaseLost(f"job {job_id} is no longer held by {worker_id}")
            # Sending inside the transaction: if the send fails the job stays claimed and is
            # retried; if the commit fails after a send, the mail may go twice (at least once).
            mailer.send(Mail(to=str(payload["to"]), subject=subject, body=body))

    def _fire_timers(self, job_id: int, worker_id: str, instance_id: int) -> None:
        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            self._complete(ctx.conn, job_id, worker_id)
            record.timer_fired = True
            record.audit(row.id, "timer", actor="systeem")
            workflow.refresh_timers()

        self.engine.step(instance_id, "systeem", act)

    def _resume(self, job_id: int, worker_id: str, instance_id: int) -> None:
        """A retried incident: the failed tasks run again, and tasks opened for nobody get their
        candidate group and assignee worked out again."""

        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> None:
            self._complete(ctx.conn, job_id, worker_id)
            resume(workflow)
            record.reassign = True
            record.audit(row.id, "incident_resumed", actor="systeem")

        self.engine.step(instance_id, "systeem", act)

    def _run_service(self, job_id: int, worker_id: str, instance_id: int, task_id: str) -> None:
        engine = self.engine

        def act(ctx: StepContext, row: InstanceRow, workflow: BpmnWorkflow, record: StepRecord) -> set[Any]:
            self._complete(ctx.conn, job_id, worker_id)
            try:
                task = workflow.get_task_from_id(UUID(task_id))
            except TaskNotFoundException:
                return set()
            if task.state != TaskState.READY:
                return set()
            handler_ctx = HandlerContext(session=ctx.session, instance_id=row.id, case_ref=row.case_ref,
                                 data=dict(task.data), now=clock.now())
            token = service_call(engine.handlers, handler_ctx)
            try:
                task.run()
            finally:
                end_service_call(token)
            record.ran.append(task)
            record.audit(row.id, "service", task=task, actor="systeem")
            for mail in handler_ctx.outbox:
                record.jobs.append(mail_job(row.id, template=mail["template"], to=mail["to"],
                                            context=mail["context"], lang=mail["lang"]))
            return set()

        engine.step(instance_id, "systeem", act)

    # failures ----------------------------------------------------------------------------------
    def _failed(self, job_id: int, worker_id: str, exc: Exception) -> None:
        message = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("job %s failed: %s", job_id, message)
        with self.engine.db.transaction() as session:
            job = session.get(Job, job_id)
            if job is None or job.locked_by != worker_id or job.state != "running":
                return
            job.last_error = message
            job.locked_by = None
            job.locked_until = None
            if job.attempts >= job.max_attempts:
                job.state = "failed"
                self._incident(session, job, message)
            else:
                job.state = "ready"
                job.due_at = clock.now() + timedelta(seconds=10 * 2 ** max(job.attempts - 1, 0))

    def _incident(self, session: Session, job: Job, message: str) -> None:
        if job.instance_id is None:
            return
        row = session.get(ProcessInstance, job.instance_id)
        if row is None:
            return
        row.has_incident = True
        record = StepRecord("systeem")
        record.audit(row.id, "incident", detail={"job": job.id, "kind": job.kind, "error": message,
                                                 "task": job.payload.get("task")})
        record.flush(session.connection())


def work_forever(engine: EngineForJobs, worker_id: str, *, poll_seconds: float = 1.0,
                 stop: Any = None, housekeeping: Callable[[], object] | None = None,
                 housekeeping_seconds: float = 600.0) -> None:
    """The ``loket worker`` loop: run due jobs, sleep briefly when there are none, and every
    ``housekeeping_seconds`` run ``housekeeping`` (e.g. deleting expired personal data)."""
    runner = JobRunner(engine)
    next_housekeeping = time.monotonic()
    while stop is None or not stop.is_set():
        if housekeeping is not None and time.monotonic() >= next_housekeeping:
            next_housekeeping = time.monotonic() + housekeeping_seconds
            try:
                housekeeping()
            except Exception:  # noqa: BLE001 - clean-up must not stop the jobs
                log.exception("worker %s: housekeeping failed", worker_id)
        try:
            ran = runner.run_due(worker_id, limit=50)
        except Exception:  # noqa: BLE001 - a database hiccup must not kill the worker
            log.exception("worker %s: claiming jobs failed", worker_id)
            ran = 0
        if ran == 0:
            if stop is not None:
                stop.wait(poll_seconds)
            else:
                time.sleep(poll_seconds)
