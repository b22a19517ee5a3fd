"""Login sessions on the server, for staff and initiators.

The signed cookie alone cannot be taken back: a copy of it stays valid until it expires, also
after the owner logged out. So every login gets a random token of its own (a new one at every
login, which also rules out session fixation), the cookie carries the token and the database a
row with its hash; every request checks the row, logging out deletes it. Expired rows are
deleted by the worker's housekeeping (:mod:`processes.housekeeping`)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from processes import clock
from processes.access import Principal
from processes.accounts import active_user_of_session_id, principal_of
from processes.loket import reads, writes
from processes.tables.login_session import LoginSession


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _open(session: Session, expires_at: datetime, *, staff_user_id: int | None = None,
          initiator_email: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=_hash(token), staff_user_id=staff_user_id, initiator_email=initiator_email,
                             created_at=clock.now(), expires_at=expires_at))
    session.flush()
    return token


def close_sessions(session: Session, tokens: Iterable[object]) -> None:
    """End the sessions of these cookie tokens (anything else in the list is ignored)."""
    hashes = [_hash(token) for token in tokens if isinstance(token, str) and token]
    if hashes:
        session.execute(delete(LoginSession).where(LoginSession.token_hash.in_(hashes)))


def open_staff_session(session: Session, user_id: int, expires_at: datetime, *,
                       ending: Iterable[object] = ()) -> str:
    """A new session for an employee who just logged in (or chose a new password); the token
    for the cookie. ``ending``: the tokens the browser had before, ended in the same unit of work."""
    close_sessions(session, ending)
    return _open(session, expires_at, staff_user_id=user_id)


def open_initiator_session(session: Session, email: str, expires_at: datetime, *,
                           ending: Iterable[object] = ()) -> str:
    """A new session for an initiator who used a login link; the token for the cookie."""
    close_sessions(session, ending)
    return _open(session, expires_at, initiator_email=email.strip().lower())


def _live(session: Session, token: object) -> LoginSession | None:
    if not isinstance(token, str) or not token:
        return None
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
    return row if row is not None and row.expires_at > clock.now() else None


@reads
def staff_principal(session: Session, login_id: str, token: object) -> Principal | None:
    """The employee of a request: Flask-Login's id (``staff:<id>:<account token>``) and the
    cookie's session token must both still be valid, and belong to the same account."""
    row = _live(session, token)
    if row is None or row.staff_user_id is None:
        return None
    user = active_user_of_session_id(session, login_id)
    if user is None or user.id != row.staff_user_id:
        return None
    return principal_of(session, user)


@reads
def initiator_of(session: Session, token: object) -> str | None:
    """The e-mail address of the initiator whose session this token is, if it still runs."""
    row = _live(session, token)
    return row.initiator_email if row is not None else None


def purge_expired_sessions(session: Session) -> int:
    result = session.execute(delete(LoginSession).where(LoginSession.expires_at <= clock.now()))
    return int(getattr(result, "rowcount", 0) or 0)


# use cases -----------------------------------------------------------------------------------
start_staff_session = writes(open_staff_session)
log_out = writes(close_sessions)
"""End the sessions of these tokens (logout, or an idle session found on the next request)."""
