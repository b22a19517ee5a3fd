"""Claiming due jobs in one statement: one UPDATE … RETURNING takes the lease on a batch of due
jobs (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, where a single statement in autocommit mode is its
own transaction: one round trip) and hands back what running them needs, so no job is read again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.db import Database
from engine.rawsql import RawSql

_CANDIDATES = ("SELECT id FROM job WHERE (state = 'ready' AND due_at <= ?) OR (state = 'running' AND locked_until < ?) "
               "ORDER BY due_at, id LIMIT ?")
_CLAIM = ("UPDATE job SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1 "
          "WHERE id IN ({candidates}) RETURNING id, kind, instance_id, task_id, payload")
CLAIM_SQLITE = _CLAIM.format(candidates=_CANDIDATES)
CLAIM_POSTGRES = _CLAIM.format(candidates=_CANDIDATES + " FOR UPDATE SKIP LOCKED").replace("?", "%s")


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    instance_id: int | None
    task_id: str | None
    payload: dict[str, Any]


def claim_jobs(db: Database, worker_id: str, locked_until: datetime, now: datetime, limit: int) -> list[ClaimedJob]:
    """Lease up to ``limit`` due jobs (ready and due, or running with an expired lease) to
    ``worker_id`` until ``locked_until``; in id order."""
    with db.connection() as conn:
        raw = RawSql(conn)
        if raw.sqlite:
            cursor = raw.dbapi.cursor()
            cursor.execute(CLAIM_SQLITE, (worker_id, raw.time(locked_until), raw.time(now), raw.time(now), limit))
        else:  # autocommit: the one statement is its own transaction
            cursor = raw.dbapi.cursor()
            cursor.execute(CLAIM_POSTGRES, (worker_id, locked_until, now, now, limit))
        rows = cursor.fetchall()
        cursor.close()
    return sorted((_claimed(row) for row in rows), key=lambda job: job.id)


def _claimed(row: Any) -> ClaimedJob:
    job_id, kind, instance_id, task_id, payload = row
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return ClaimedJob(int(job_id), str(kind), instance_id, task_id, dict(payload or {}))
