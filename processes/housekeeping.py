"""Regular clean-up the worker runs: personal data we may no longer keep is deleted on time,
not only when someone happens to create a new draft or login link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from processes import clock
from processes.drafts import purge_expired
from processes.loket import Loket
from processes.portal_login import purge_expired_tokens
from processes.sessions import purge_expired_sessions
from processes.tables.case import Document
from processes.tables.portal import FormDraft
from processes.tables.staff import LoginAttempt

ORPHAN_AFTER = timedelta(days=1)
# Login attempts are security logs: long enough to investigate an incident, no longer (AVG).
LOGIN_ATTEMPTS_KEPT = timedelta(days=90)


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
    of forms never sent, old login attempts. Returns how many rows went."""
    with loket.transaction() as session:
        return (purge_expired(session) + purge_expired_tokens(session) + purge_orphan_uploads(session)
                + purge_old_login_attempts(session) + purge_expired_sessions(session))
