"""After ``loket bench chaos``: is everything still consistent? Each check counts what it looked
at and what failed (with a few examples):

- submissions: every initiative whose sender saw the confirmation exists with its sender, its
  stored workflow loads, the open-task projection holds exactly the workflow's human tasks, its
  state agrees, and what the workflow waits for has its job (a timer, a service task).
- timers: every bench timer that came due fired exactly once (one ``timer`` audit event, one done
  timer job, the instance completed), and no timer job of any case is overdue.
- mail: no mail went out twice for one outbox job: per address of the bench's initiators, the
  mails the SMTP sink received (login links left out: they are sent at once, not queued) are
  no more (duplicates) and no fewer (lost) than the done mail jobs to that address.
- stuck: no due job left undone, and no failed job without an incident on its case."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from engine import AuditEvent, Engine, Job, OpenParts, ProcessInstance, open_parts
from processes import clock
from processes.bench_site import SentMail
from processes.bench_users import Submission

LOGIN_LINK = re.compile(r"/inloggen/[A-Za-z0-9_-]{16,}")
OPEN_JOB = ("ready", "running")


@dataclass
class Check:
    name: str
    checked: int = 0
    failed: int = 0
    samples: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        self.failed += 1
        if len(self.samples) < 10:
            self.samples.append(what)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def as_json(self) -> dict[str, Any]:
        return {"check": self.name, "checked": self.checked, "failed": self.failed, "ok": self.ok,
                "samples": self.samples}


def _jobs_of(engine: Engine, instance_id: int) -> list[Job]:
    with engine.db.reading() as session:
        return list(session.scalars(select(Job).where(Job.instance_id == instance_id)).all())


def _waits_have_jobs(ref: str, row: ProcessInstance, parts: OpenParts, jobs: list[Job], check: Check) -> None:
    """What the workflow waits for has a job that will do it (or the case has an incident)."""
    if row.has_incident:
        return
    pending = [job for job in jobs if job.state in OPEN_JOB]
    if parts.next_timer is not None and not any(job.kind == "timer" for job in pending):
        check.fail(f"{ref}: wacht op een timer ({parts.next_timer:%H:%M:%S}) zonder timer-job")
    waiting_services = {job.task_id for job in pending if job.kind == "service"}
    for task_id in parts.service_tasks - waiting_services:
        check.fail(f"{ref}: servicetaak {task_id} zonder job")


def check_submissions(engine: Engine, submissions: Iterable[Submission]) -> Check:
    check = Check("aanmeldingen")
    for submission in submissions:
        check.checked += 1
        ref = submission.case_ref
        with engine.db.reading() as session:
            row = session.scalar(select(ProcessInstance).where(ProcessInstance.case_ref == ref))
            if row is not None:
                session.expunge(row)
        if row is None:
            check.fail(f"{ref}: bevestigd, maar niet opgeslagen")
            continue
        if row.initiator != submission.email:
            check.fail(f"{ref}: initiatiefnemer {row.initiator!r}, verwacht {submission.email!r}")
        try:
            parts = open_parts(engine, row.id)
        except Exception as exc:  # noqa: BLE001 - any failure to load is what this check reports
            check.fail(f"{ref}: workflow laadt niet ({type(exc).__name__}: {exc})")
            continue
        projected = {task.task_id for task in engine.open_tasks(instance_id=row.id)}
        if projected != set(parts.human_tasks):
            check.fail(f"{ref}: open taken {sorted(projected)} ≠ workflow {sorted(parts.human_tasks)}")
        if (row.state == "completed") != parts.completed:
            check.fail(f"{ref}: staat {row.state}, workflow {'klaar' if parts.completed else 'loopt'}")
        _waits_have_jobs(ref, row, parts, _jobs_of(engine, row.id), check)
    return check


def check_timers(engine: Engine, timer_instances: Iterable[int], now: datetime) -> Check:
    check = Check("timers")
    with engine.db.reading() as session:
        fired = Counter(session.scalars(select(AuditEvent.instance_id).where(AuditEvent.kind == "timer")).all())
        overdue = session.execute(
            select(Job.id, Job.instance_id, Job.due_at).join(ProcessInstance, ProcessInstance.id == Job.instance_id)
            .where(Job.kind == "timer", Job.state.in_(OPEN_JOB), Job.due_at < now - timedelta(seconds=5),
                   ProcessInstance.has_incident.is_(False))).all()
    for instance_id in timer_instances:
        check.checked += 1
        info = engine.instance(instance_id)
        done = [job for job in _jobs_of(engine, instance_id) if job.kind == "timer" and job.state == "done"]
        if fired[instance_id] != 1 or len(done) != 1 or info.state != "completed":
            check.fail(f"{info.case_ref}: {fired[instance_id]}× gevuurd, {len(done)} timer-job(s) klaar, "
                       f"staat {info.state}")
    for job_id, overdue_instance, due_at in overdue:
        check.fail(f"timer-job {job_id} van initiatief {overdue_instance} staat sinds {due_at:%H:%M:%S} open")
    return check


def check_mail(engine: Engine, received: Iterable[SentMail], addresses: Iterable[str]) -> Check:
    check = Check("mail")
    wanted = set(addresses)
    got = Counter(mail.to for mail in received if mail.to in wanted and not LOGIN_LINK.search(mail.body))
    with engine.db.reading() as session:
        payloads = session.scalars(select(Job.payload).where(Job.kind == "mail", Job.state == "done")).all()
    sent = Counter(str(payload.get("to")) for payload in payloads if payload.get("to") in wanted)
    for address in sorted(wanted):
        check.checked += 1
        if got[address] > sent[address]:
            check.fail(f"{address}: {got[address]} mails ontvangen, {sent[address]} verstuurd volgens de outbox "
                       "(dubbel)")
        elif got[address] < sent[address]:
            check.fail(f"{address}: {sent[address]} verstuurd volgens de outbox, {got[address]} ontvangen (kwijt)")
    return check


def check_stuck(engine: Engine, now: datetime) -> Check:
    check = Check("vastgelopen")
    with engine.db.reading() as session:
        check.checked = int(session.scalar(select(func.count()).select_from(Job)) or 0)
        rows = session.execute(
            select(Job.id, Job.kind, Job.state, Job.instance_id, ProcessInstance.has_incident)
            .outerjoin(ProcessInstance, ProcessInstance.id == Job.instance_id)
            .where(((Job.state.in_(OPEN_JOB)) & (Job.due_at < now - timedelta(seconds=5))) | (Job.state == "failed"))
        ).all()
    for job_id, kind, state, instance_id, has_incident in rows:
        if has_incident:
            continue
        what = "mislukt zonder storing" if state == "failed" else "is al even aan de beurt maar niet gedaan"
        check.fail(f"{kind}-job {job_id} (initiatief {instance_id}) {what}")
    return check


def due_jobs_left(engine: Engine) -> int:
    """Jobs that are due and not yet done (ready, or running under a possibly dead worker's lease)."""
    with engine.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Job)
                                  .where(Job.state.in_(OPEN_JOB), Job.due_at <= clock.now())) or 0)


def run_checks(engine: Engine, submissions: list[Submission], timer_instances: list[int],
               received: list[SentMail]) -> list[Check]:
    now = clock.now()
    return [check_submissions(engine, submissions), check_timers(engine, timer_instances, now),
            check_mail(engine, received, {submission.email for submission in submissions}),
            check_stuck(engine, now)]
