"""Login throttling: a back-off that slows down password guessing, but that nobody can use to lock
another person out, and that says nothing about which addresses have an account.

There is no account lock. Failed attempts (``staff_login_attempt`` rows with outcome ``wrong``)
are counted over the last :data:`WINDOW`:

- per typed address *and* client IP: at most :data:`MAX_PER_ADDRESS_IP`. Someone guessing from
  elsewhere only slows themselves down; the real user, from their own computer, can still log in.
- per client IP, over all addresses: at most :data:`MAX_PER_IP`, against trying one password on
  many accounts.

The count is by the address as typed, whether or not an account has it, so an unknown address is
throttled exactly like a known one. A successful login and a new password (a ``reset`` row, see
:func:`mark_reset`) start the count for that address again. A throttled attempt is not checked
(no password hash is computed, for known and unknown addresses alike) and does not count itself,
so waiting always helps.

Behind a reverse proxy the app must see the client's address (werkzeug's ``ProxyFix``), or all
users share the proxy's address and its per-IP limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from processes.tables.staff import LoginAttempt

WINDOW = timedelta(minutes=15)
MAX_PER_ADDRESS_IP = 5
MAX_PER_IP = 30
FAILED = "wrong"
THROTTLED = "throttled"
RESET = "reset"
"""Not an attempt: the account got a new password (the count for its address starts again)."""
FRESH_START = ("ok", RESET)


def _ip_is(ip: str | None) -> ColumnElement[bool]:
    return LoginAttempt.ip.is_(None) if ip is None else LoginAttempt.ip == ip


def _count(session: Session, *conditions: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.outcome == FAILED, *conditions)
    return int(session.scalar(query) or 0)


def _fresh_start(session: Session, address: str, since: datetime) -> int:
    """The id after which failures of ``address`` count: its latest success or new password in
    the window (ids, not times: two rows can share a moment)."""
    found = session.scalar(
        select(func.max(LoginAttempt.id))
        .where(LoginAttempt.email == address, LoginAttempt.outcome.in_(FRESH_START), LoginAttempt.at >= since)
    )
    return int(found or 0)


def is_throttled(session: Session, address: str, ip: str | None, now: datetime) -> bool:
    """True when this address from this IP, or this IP as a whole, failed too often lately."""
    since = now - WINDOW
    after = _fresh_start(session, address, since)
    recent = LoginAttempt.at >= since
    if _count(session, LoginAttempt.email == address, _ip_is(ip), recent, LoginAttempt.id > after) \
            >= MAX_PER_ADDRESS_IP:
        return True
    return _count(session, _ip_is(ip), recent) >= MAX_PER_IP


def mark_reset(session: Session, address: str, user_id: int | None, now: datetime) -> None:
    """A new password: earlier failures for this address no longer count."""
    session.add(LoginAttempt(email=address, user_id=user_id, ip=None, outcome=RESET, at=now))
