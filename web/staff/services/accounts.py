"""Staff accounts: argon2 password hashes, login with a lock-out, and the Principal of a session.

Five wrong passwords in a row lock the account for 15 minutes. The lock is stored in the
database (so it holds across workers and restarts); every attempt is written to
``staff_login_attempt``. An unknown e-mail address costs the same time as a wrong password.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from processes.organisation import Guide
from web.staff.models import LoginAttempt, StaffRole, StaffUser, TeamMembership
from web.staff.services.access import ALL_ROLES, Principal

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    roles: Iterable[str],
    teams: Iterable[str] = (),
    password: str | None = None,
    password_hash: str | None = None,
    must_change_password: bool = False,
) -> StaffUser:
    """A new active account; give ``password`` (hashed here) or an existing ``password_hash``.
    ``must_change_password``: the user chooses their own password at the first login."""
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    if password_hash is None:
        if password is None:
            raise ValueError("give a password or a password hash")
        password_hash = hash_password(password)
    user = StaffUser(
        email=normalise_email(email), name=name, password_hash=password_hash, active=True,
        session_token=secrets.token_hex(16), failed_logins=0, created_at=clock.now(),
        must_change_password=must_change_password,
    )
    user.roles = [StaffRole(role=role) for role in sorted(set(roles))]
    user.memberships = [TeamMembership(team_code=team) for team in sorted(set(teams))]
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: StaffUser, password: str, *, must_change: bool = False) -> None:
    """A new password ends every open session of the account (and lifts a lock-out).
    ``must_change``: a one-time password a beheerder set; the user must choose a new one."""
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    end_sessions(user)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()


def end_sessions(user: StaffUser) -> None:
    """Every login session of the account stops working at its next request."""
    user.session_token = secrets.token_hex(16)


def verify_password(user: StaffUser, password: str) -> bool:
    """True when ``password`` is the account's current password (no lock-out bookkeeping)."""
    return _verify(user.password_hash, password)


@dataclass(frozen=True)
class LoginResult:
    """``principal`` is set when the login succeeded; otherwise ``outcome`` says why not
    (``wrong`` also for an unknown address; ``locked`` with ``locked_until``)."""

    outcome: str
    principal: Principal | None = None
    locked_until: datetime | None = None


def authenticate(session: Session, email: str, password: str, *, ip: str | None = None) -> LoginResult:
    now = clock.now()
    address = normalise_email(email)[:254]
    user = session.scalar(select(StaffUser).where(StaffUser.email == address)) if address else None
    result = _check(session, user, password, now)
    session.add(LoginAttempt(email=address, user_id=user.id if user else None, ip=ip, outcome=result.outcome,
                             at=now))
    session.flush()
    return result


def _check(session: Session, user: StaffUser | None, password: str, now: datetime) -> LoginResult:
    if user is None:
        _verify(_DUMMY_HASH, password)
        return LoginResult("wrong")
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult("locked", locked_until=user.locked_until)
    if not _verify(user.password_hash, password):
        return _failed(user, now)
    if not user.active:
        return LoginResult("inactive")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return LoginResult("ok", principal=principal_of(session, user))


def _failed(user: StaffUser, now: datetime) -> LoginResult:
    if user.locked_until is not None and user.locked_until <= now:
        user.failed_logins = 0
        user.locked_until = None
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = now + LOCK_TIME
        return LoginResult("locked", locked_until=user.locked_until)
    return LoginResult("wrong")


def principal_of(session: Session, user: StaffUser) -> Principal:
    identities = {user.email.lower()}
    guide = session.scalar(select(Guide).where(func.lower(Guide.email) == user.email.lower()))
    if guide is not None:
        identities.update({guide.email.lower(), guide.name.strip().lower()})
    return Principal(
        id=user.id,
        email=user.email,
        name=user.name,
        session_token=user.session_token,
        roles=frozenset(role.role for role in user.roles),
        groups=frozenset(membership.team_code for membership in user.memberships),
        identities=frozenset(identities),
        must_change_password=bool(user.must_change_password),
    )


def load_principal(session: Session, session_id: str) -> Principal | None:
    """The Principal for a login session id (``staff:<id>:<token>``), if the account is still
    active and the token still current."""
    parts = session_id.split(":")
    if len(parts) != 3 or parts[0] != "staff" or not parts[1].isdigit():
        return None
    user = session.get(StaffUser, int(parts[1]))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, parts[2]):
        return None
    return principal_of(session, user)


def colleagues_for(session: Session, groups: Iterable[str], *, exclude: str | None = None) -> list[StaffUser]:
    """Active users in one of ``groups`` (to hand a task over to), by name."""
    wanted = sorted(set(groups))
    if not wanted:
        return []
    query = (
        select(StaffUser)
        .join(TeamMembership, TeamMembership.user_id == StaffUser.id)
        .where(TeamMembership.team_code.in_(wanted), StaffUser.active.is_(True))
        .order_by(StaffUser.name)
        .distinct()
    )
    users = list(session.scalars(query).all())
    return [user for user in users if user.email != exclude]
