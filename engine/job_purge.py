"""Finished jobs do not pile up: done jobs (fired timers, run service tasks, sent mail) are
deleted once they are older than the retention period, in small batches.

Only ``done`` jobs go. Open jobs (``ready``, ``running``) still have work to do, a ``failed``
job is an incident, and while a case has an incident all its jobs stay, so whoever looks into
it sees what ran. Each batch is its own short transaction: on SQLite the write lock is held for
one batch only, so the site and the worker go on between batches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select

from engine.db import Database
from engine.tables import Job, ProcessInstance

PURGE_BATCH = 500
"""Rows deleted per transaction (a few milliseconds of write lock)."""
PURGE_MAX_BATCHES = 200
"""At most this many batches per call; what is left goes in the next call."""


def purge_done_jobs(db: Database, finished_before: datetime, *, batch: int = PURGE_BATCH,
                    max_batches: int | None = PURGE_MAX_BATCHES) -> int:
    """Delete done jobs finished before ``finished_before`` (``max_batches`` None: all of them);
    returns how many went."""
    incident_case = exists().where(ProcessInstance.id == Job.instance_id, ProcessInstance.has_incident.is_(True))
    # A job is done after it was due, so ``due_at`` bounds the search with the (state, due_at) index.
    candidates = (
        select(Job.id)
        .where(Job.state == "done", Job.due_at < finished_before, Job.done_at < finished_before, ~incident_case)
        .order_by(Job.due_at, Job.id)
        .limit(batch)
    )
    removed = rounds = 0
    while max_batches is None or rounds < max_batches:
        rounds += 1
        with db.transaction() as session:
            ids = list(session.scalars(candidates).all())
            if ids:
                session.execute(delete(Job).where(Job.id.in_(ids), Job.state == "done")
                                .execution_options(synchronize_session=False))
        removed += len(ids)
        if len(ids) < batch:
            break
    return removed
