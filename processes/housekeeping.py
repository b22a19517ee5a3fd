"""Regular clean-up the worker runs: personal data we may no longer keep is deleted on time,
not only when someone happens to create a new draft or login link."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from threading import Event

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import purge_done_jobs, work_forever
from processes import clock
from processes.anonymise import apply_all
from processes.drafts import purge_expired
from processes.log_retention import purge_access_log
from processes.loket import Loket
from processes.monitoring.tally import fold
from processes.notifications import notify_new_tasks, purge_old_notices, send_digests
from processes.portal_login import purge_expired_tokens
from processes.sessions import purge_expired_sessions
from processes.tables.case import Document
from processes.tables.portal import FormDraft
from processes.tables.staff import LoginAttempt

ORPHAN_AFTER = timedelta(days=1)
# Login attempts are security logs: long enough to investigate an incident, no longer (AVG).
LOGIN_ATTEMPTS_KEPT = timedelta(days=90)
JOB_RETENTION = timedelta(days=30)
"""How long a done job (a fired timer, a sent mail with its address) is kept; JOB_RETENTION_DAYS sets it."""


def purge_old_login_attempts(session: Session) -> int:
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.at < clock.now() - LOGIN_ATTEMPTS_KEPT))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_orphan_uploads(session: Session) -> int:
    """Files uploaded for a form that was never sent and has no draft to come back to (a
    crash between storing and sending, a staff registration that was abandoned)."""
    drafts = select(FormDraft.key)
    result = session.execute(
        delete(Document).where(
            Document.instance_id.is_(None),
            Document.draft_key.is_not(None),
            Document.draft_key.not_in(drafts),
            Document.uploaded_at < clock.now() - ORPHAN_AFTER,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_portal_data(loket: Loket) -> int:
    """Delete what may no longer be kept: expired drafts, login links and login sessions, files
    of forms never sent, old login attempts (and the marks of announced tasks). Returns how many
    rows went."""
    with loket.transaction() as session:
        return (purge_expired(session) + purge_expired_tokens(session) + purge_orphan_uploads(session)
                + purge_old_login_attempts(session) + purge_expired_sessions(session) + purge_old_notices(session))


def purge_old_jobs(loket: Loket, retention: timedelta = JOB_RETENTION, *, until_done: bool = False) -> int:
    """Delete done jobs older than ``retention`` (never open or failed ones, nor those of a case
    with an incident), in short batches, at most 100,000 unless ``until_done``; how many went."""
    if until_done:
        return purge_done_jobs(loket.engine.db, clock.now() - retention, max_batches=None)
    return purge_done_jobs(loket.engine.db, clock.now() - retention)


def notify_staff(loket: Loket) -> int:
    """Announce new tasks and send the daily overviews that are due; returns how many mails and
    overviews were queued."""
    return notify_new_tasks(loket) + send_digests(loket)


NOTIFY_SECONDS = 15.0
"""How often the worker announces new tasks (a colleague hears of a task within about this long)."""
PURGE_SECONDS = 600.0
RETENTION_SECONDS = 24 * 3600.0
"""How often the worker applies the retention policy (and once when it starts)."""
RETENTION_ROUNDS = 20
"""At most this many batches of the retention policy per day (the rest waits a day)."""


def apply_retention_policy(loket: Loket) -> int:
    """Delete the attachments and personal data of closed initiatives whose term has passed
    (:mod:`processes.anonymise`), and the access log's rows older than its term; returns how
    many cases were done."""
    purge_access_log(loket)
    return apply_all(loket, max_rounds=RETENTION_ROUNDS).done


def fold_tallies(loket: Loket) -> bool:
    """Move the monitoring's deltas into its tallies (:func:`processes.monitoring.tally.fold`):
    the figures stay the same, the deltas the dashboard sums stay few."""
    with loket.transaction() as session:
        return fold(session)


def worker_rounds(loket: Loket, *, job_retention: timedelta = JOB_RETENTION) -> Callable[[], None]:
    """What the worker does besides its jobs, called every ``NOTIFY_SECONDS``: announce new work
    and fold the monitoring's tallies, every ``PURGE_SECONDS`` delete what may no longer be kept
    and the done jobs older than ``job_retention``, and once a day apply the retention policy."""
    next_purge = next_retention = time.monotonic()

    def round_() -> None:
        nonlocal next_purge, next_retention
        if time.monotonic() >= next_purge:
            next_purge = time.monotonic() + PURGE_SECONDS
            purge_portal_data(loket)
            purge_old_jobs(loket, job_retention)
        if time.monotonic() >= next_retention:
            next_retention = time.monotonic() + RETENTION_SECONDS
            apply_retention_policy(loket)
        notify_staff(loket)
        fold_tallies(loket)

    return round_


def work(loket: Loket, worker_id: str, *, job_retention: timedelta = JOB_RETENTION, stop: Event | None = None) -> None:
    """The worker (``loket worker``): due jobs as they come, and every ``NOTIFY_SECONDS`` its
    rounds (:func:`worker_rounds`), until ``stop`` is set."""
    work_forever(loket.engine, worker_id, housekeeping=worker_rounds(loket, job_retention=job_retention),
                 housekeeping_seconds=NOTIFY_SECONDS, stop=stop)
