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
from functools import cache

from sqlalchemy import Executable, bindparam, delete, func, select
from sqlalchemy.orm import Session

from processes import clock
from processes.access import Principal
from processes.loket import reads, writes
from processes.tables.login_session import LoginSession
from processes.tables.organisation import Guide, Team
from processes.tables.staff import StaffRole, StaffUser, TeamMembership


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
    cookie's session token must both still be valid, and belong to the same account.

    Every staff request asks this, so it is one statement: the session row joined with the
    account, its roles, teams, guide record and the teams it leads (a few rows: roles × teams)."""
    parts = login_id.split(":")
    if not isinstance(token, str) or not token or len(parts) != 3 or parts[0] != "staff" or not parts[1].isdigit():
        return None
    rows = session.execute(_principal_query(), {"token_hash": _hash(token), "user_id": int(parts[1])}).all()
    if not rows:
        return None
    first = rows[0]
    if first.expires_at <= clock.now() or not secrets.compare_digest(first.session_token, parts[2]):
        return None
    identities = {first.email.lower()}
    for row in rows:
        if row.guide_email is not None:
            identities.update({row.guide_email.lower(), row.guide_name.strip().lower()})
    return Principal(
        id=first.id, email=first.email, name=first.name, session_token=first.session_token,
        roles=frozenset(row.role for row in rows if row.role is not None),
        groups=frozenset(row.team_code for row in rows if row.team_code is not None),
        identities=frozenset(identities), must_change_password=bool(first.must_change_password),
        external=bool(first.external), lead_teams=frozenset(row.lead_of for row in rows if row.lead_of is not None))


@cache
def _principal_query() -> Executable:
    """What :func:`processes.accounts.principal_of` and the monitor's ``lead_teams`` read, joined.
    Built once (building a statement costs more than running it here); the token's hash and the
    account id are its parameters."""
    email = func.lower(StaffUser.email)
    return (
        select(LoginSession.expires_at, StaffUser.id, StaffUser.email, StaffUser.name, StaffUser.session_token,
               StaffUser.must_change_password, StaffUser.external, StaffRole.role, TeamMembership.team_code,
               Guide.email.label("guide_email"), Guide.name.label("guide_name"), Team.code.label("lead_of"))
        .join(StaffUser, StaffUser.id == LoginSession.staff_user_id)
        .outerjoin(StaffRole, StaffRole.user_id == StaffUser.id)
        .outerjoin(TeamMembership, TeamMembership.user_id == StaffUser.id)
        .outerjoin(Guide, func.lower(Guide.email) == email)
        .outerjoin(Team, func.lower(Team.lead_email) == email)
        .where(LoginSession.token_hash == bindparam("token_hash"), StaffUser.id == bindparam("user_id"),
               StaffUser.active.is_(True))
    )


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
