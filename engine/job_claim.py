"""Claiming due jobs in one statement: one UPDATE … RETURNING takes the lease on a batch of due
jobs (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, sent with its BEGIN and COMMIT: one round trip)
and hands back what running them needs, so no job is read again.

A claim's commit is not waited for on disk (PostgreSQL ``synchronous_commit = off``, SQLite
``synchronous = NORMAL`` for that one transaction): a lease lost in a crash of the database only
makes the job due again, as an expired lease does, and the job's own durable commit (its step,
or a mail marked done) writes the log up to and with the claim first. Every other commit still
waits for the disk; this saves one sync per job run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import ClientCursor

from engine.db import Database
from engine.rawsql import RawSql

_CANDIDATES = ("SELECT id FROM job WHERE (state = 'ready' AND due_at <= ?) OR (state = 'running' AND locked_until < ?) "
               "ORDER BY due_at, id LIMIT ?")
_CLAIM = ("UPDATE job SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1 "
          "WHERE id IN ({candidates}) RETURNING id, kind, instance_id, task_id, payload, "
          "(SELECT model_version_id FROM process_instance WHERE process_instance.id = job.instance_id)")
_ANY_DUE = ("SELECT 1 FROM job WHERE (state = 'ready' AND due_at <= ?) OR (state = 'running' AND locked_until < ?) "
            "LIMIT 1")
CLAIM_SQLITE = _CLAIM.format(candidates=_CANDIDATES)
CLAIM_POSTGRES = ("BEGIN; SET LOCAL synchronous_commit TO OFF; "
                  + _CLAIM.format(candidates=_CANDIDATES + " FOR UPDATE SKIP LOCKED").replace("?", "%s")
                  + "; COMMIT")


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    instance_id: int | None
    task_id: str | None
    payload: dict[str, Any]
    version_id: int | None = None
    """The model version the job's instance runs on now (its mail texts come from that bundle)."""


def claim_jobs(db: Database, worker_id: str, locked_until: datetime, now: datetime, limit: int) -> list[ClaimedJob]:
    """Lease up to ``limit`` due jobs (ready and due, or running with an expired lease) to
    ``worker_id`` until ``locked_until``; in id order. On SQLite a reading look comes first: a
    claim takes the write lock, and most of the time nothing is due."""
    if db.is_sqlite and not _any_due(db, now):
        return []
    if db.is_sqlite:
        rows = _claim_sqlite(db, worker_id, locked_until, now, limit)
    else:
        with db.connection() as conn:  # autocommit: the statements bring their own transaction
            driver: Any = conn.connection.driver_connection
            cursor = ClientCursor(driver)
            try:
                cursor.execute(CLAIM_POSTGRES, (worker_id, locked_until, now, now, limit))
                rows = []
                while True:  # BEGIN, SET, the claim's rows, COMMIT
                    if cursor.description is not None:
                        rows = cursor.fetchall()
                    if not cursor.nextset():
                        break
            finally:
                cursor.close()
    return sorted((_claimed(row) for row in rows), key=lambda job: job.id)


def _claim_sqlite(db: Database, worker_id: str, locked_until: datetime, now: datetime, limit: int) -> list[Any]:
    with db.engine.connect() as conn:
        dbapi: Any = conn.connection.driver_connection
        dbapi.execute("PRAGMA synchronous=NORMAL")  # outside the transaction, for its commit only
        try:
            with conn.begin():  # BEGIN IMMEDIATE (engine.db)
                raw = RawSql(conn)
                cursor = dbapi.cursor()
                cursor.execute(CLAIM_SQLITE, (worker_id, raw.time(locked_until), raw.time(now), raw.time(now),
                                              limit))
                rows = cursor.fetchall()
                cursor.close()
        finally:
            dbapi.execute("PRAGMA synchronous=FULL")
    return list(rows)


def _any_due(db: Database, now: datetime) -> bool:
    with db.read_connection() as conn:
        raw = RawSql(conn)
        return raw.one(_ANY_DUE, (raw.time(now), raw.time(now))) is not None


def _claimed(row: Any) -> ClaimedJob:
    job_id, kind, instance_id, task_id, payload, version_id = row
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return ClaimedJob(int(job_id), str(kind), instance_id, task_id, dict(payload or {}),
                      int(version_id) if version_id is not None else None)
