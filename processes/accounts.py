"""Staff accounts: argon2 password hashes, login, and the Principal of a session.

Every attempt is written to ``staff_login_attempt``. Too many failures slow down further
attempts from the same computer (:mod:`processes.throttle`); there is no account lock
that someone else could trigger. An unknown e-mail address gets the same answer, in the same
time (an argon2 check against a dummy hash), as a known one with a wrong password.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, object_session

from processes import clock, throttle
from processes.access import ALL_ROLES, Principal
from processes.loket import reads, writes
from processes.tables.login_session import LoginSession
from processes.tables.organisation import Guide
from processes.tables.staff import LoginAttempt, StaffRole, StaffUser, TeamMembership

MIN_PASSWORD_LENGTH = 12

# OWASP's Password Storage Cheat Sheet: argon2id with 19 MiB, 2 passes, 1 lane. One check costs
# ≈ 30 ms of one core instead of the library default's ≈ 190 ms on four lanes, so a morning's
# logins do not queue up the site's workers; login attempts are throttled per address besides.
# A hash made with other settings is redone at the next successful login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
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
    external: bool = False,
) -> StaffUser:
    """A new active account; give ``password`` (hashed here) or an existing ``password_hash``.
    ``must_change_password``: the user chooses their own password at the first login.
    ``external``: an account of the organisation's sign-on, without a usable local password."""
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
        must_change_password=must_change_password, external=external,
    )
    user.roles = [StaffRole(role=role) for role in sorted(set(roles))]
    user.memberships = [TeamMembership(team_code=team) for team in sorted(set(teams))]
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: StaffUser, password: str, *, must_change: bool = False) -> None:
    """A new password ends every open session of the account, and earlier failed attempts no
    longer slow down its login. ``must_change``: a one-time password a beheerder set; the user
    must choose a new one."""
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    end_sessions(user)
    throttle.mark_reset(session, user.email, user.id, clock.now())
    session.flush()


def end_sessions(user: StaffUser) -> None:
    """Every login session of the account stops working at its next request: the account's
    token changes and the sessions' rows on the server go."""
    user.session_token = secrets.token_hex(16)
    session = object_session(user)
    if session is not None and user.id is not None:
        session.execute(delete(LoginSession).where(LoginSession.staff_user_id == user.id))


def verify_password(user: StaffUser, password: str) -> bool:
    """True when ``password`` is the account's current password (no throttle bookkeeping)."""
    return _verify(user.password_hash, password)


@dataclass(frozen=True)
class LoginResult:
    """``principal`` is set when the login succeeded; otherwise ``outcome`` says why not:
    ``wrong`` (also for an unknown address), ``inactive`` (right password, account switched off)
    or ``throttled`` (too many failures lately; not checked)."""

    outcome: str
    principal: Principal | None = None


@writes
def authenticate(session: Session, email: str, password: str, *, ip: str | None = None) -> LoginResult:
    now = clock.now()
    address = normalise_email(email)[:254]
    ip = ip[:64] if ip else None
    user = session.scalar(select(StaffUser).where(StaffUser.email == address)) if address else None
    if throttle.is_throttled(session, address, ip, now):
        result = LoginResult(throttle.THROTTLED)
    else:
        result = _check(session, user, password, now)
    session.add(LoginAttempt(email=address, user_id=user.id if user else None, ip=ip, outcome=result.outcome,
                             at=now))
    session.flush()
    return result


def _check(session: Session, user: StaffUser | None, password: str, now: datetime) -> LoginResult:
    """Exactly one argon2 verification, whether or not the account exists."""
    matches = _verify(user.password_hash if user is not None else _DUMMY_HASH, password)
    if user is None or not matches or user.external:  # an external account has no local password
        return LoginResult(throttle.FAILED)
    if not user.active:
        return LoginResult("inactive")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now
    return LoginResult("ok", principal=principal_of(session, user))


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
        external=bool(user.external),
    )


def active_user_of_session_id(session: Session, session_id: str) -> StaffUser | None:
    """The account of a Flask-Login id (``staff:<id>:<token>``), if it is still active and the
    token still current."""
    parts = session_id.split(":")
    if len(parts) != 3 or parts[0] != "staff" or not parts[1].isdigit():
        return None
    user = session.get(StaffUser, int(parts[1]))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, parts[2]):
        return None
    return user


@reads
def load_principal(session: Session, session_id: str) -> Principal | None:
    """The Principal for a login session id (``staff:<id>:<token>``), if the account is still
    active and the token still current. The web also checks the login's own session row
    (:func:`processes.sessions.staff_principal`)."""
    user = active_user_of_session_id(session, session_id)
    return principal_of(session, user) if user is not None else None


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
