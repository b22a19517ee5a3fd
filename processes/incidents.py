"""Incidents for the process owner: jobs that failed all their attempts, with their case.

Organisation data for the administrator: :mod:`processes.organisation`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine import ProcessInstance
from processes.loket import Loket


@dataclass(frozen=True)
class Incident:
    job_id: int
    kind: str
    case_ref: str | None
    task: str | None
    attempts: int
    last_error: str | None
    created_at: datetime
    element: str | None = None
    """The id of the diagram element the case stopped at (a failed step)."""


def incidents(loket: Loket) -> list[Incident]:
    jobs = loket.engine.incidents()
    ids = {job.instance_id for job in jobs if job.instance_id is not None}
    with loket.reading() as session:
        refs = dict(session.execute(select(ProcessInstance.id, ProcessInstance.case_ref)
                                    .where(ProcessInstance.id.in_(ids))).all()) if ids else {}
    return [
        Incident(job.id, job.kind, refs.get(job.instance_id) if job.instance_id else None,
                 str(job.payload.get("task") or job.payload.get("template") or "") or None,
                 job.attempts, job.last_error, job.created_at,
                 str(job.payload.get("element")) if job.payload.get("element") else None)
        for job in jobs
    ]


def retry(loket: Loket, actor: str, job_id: int) -> None:
    """Give a failed job a new set of attempts (NotFound when it is no incident now)."""
    loket.engine.retry_job(job_id, actor=actor)
