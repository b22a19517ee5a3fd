"""Who a person signed in by the organisation's provider is in the loket.

- Claim mode (``claims``): roles and teams come from the claims. Only roles the loket knows and
  active teams it has count; anything else is ignored and logged. Without one known role the
  sign-in is refused. The account is found by the provider's subject (``sub``), else by e-mail
  address; it is created at the first sign-in and updated at every next one (name, roles, teams),
  and marked external: no local password works for it (:func:`processes.accounts.authenticate`).
  The creation or change is written to the account audit.
- Account mode (``accounts``): the e-mail address must be of an active account of the loket; its
  own roles and teams are used and nothing is changed.

An account that is switched off is refused in both modes (a sign-in never switches it on). An
address the provider says is not verified (``email_verified: false``) is never matched to an
account. Every sign-in is written to ``staff_login_attempt`` with an ``oidc_*`` outcome.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from processes import clock, staff_audit
from processes.access import ALL_ROLES, ROLES, Principal
from processes.accounts import create_user, normalise_email, principal_of
from processes.loket import writes
from processes.oidc.settings import CLAIMS, OidcSettings
from processes.tables.organisation import Team
from processes.tables.staff import LoginAttempt, StaffRole, StaffUser, TeamMembership

log = logging.getLogger(__name__)

NO_PASSWORD = "!external"  # noqa: S105 - not an argon2 hash, so no password ever matches it
"""The password hash of an account made by the sign-on."""

OK = "oidc_ok"
UNKNOWN = "oidc_unknown"
"""No account for this person (account mode), or no usable e-mail address."""
INACTIVE = "oidc_inactive"
NO_ROLE = "oidc_norole"
CONFLICT = "oidc_conflict"
"""The e-mail address is of an account that belongs to another subject of the provider."""
INVALID = "oidc_invalid"
"""The provider's answer did not pass the checks (state, ID token): no person is known."""
MAX_VALUES = 100


@dataclass(frozen=True)
class Claimed:
    """What the provider says about the person, in the loket's terms."""

    subject: str
    email: str
    name: str
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    email_verified: bool | None = None


def _values(value: object) -> tuple[str, ...]:
    """A claim with a list of names: a JSON list, or one string separated by spaces or commas."""
    if isinstance(value, str):
        found = [part for part in re.split(r"[\s,]+", value) if part]
    elif isinstance(value, list | tuple):
        found = [item.strip() for item in value if isinstance(item, str) and item.strip()]
    else:
        found = []
    return tuple(dict.fromkeys(part[:80] for part in found[:MAX_VALUES]))


def claimed(claims: Mapping[str, Any], settings: OidcSettings) -> Claimed:
    email = claims.get(settings.email_claim)
    name = claims.get(settings.name_claim)
    verified = claims.get("email_verified")
    address = normalise_email(email)[:254] if isinstance(email, str) else ""
    return Claimed(
        subject=str(claims.get("sub", ""))[:255], email=address,
        name=(name.strip() if isinstance(name, str) else "")[:200],
        roles=_values(claims.get(settings.roles_claim)), teams=_values(claims.get(settings.teams_claim)),
        email_verified=verified if isinstance(verified, bool) else None,
    )


@dataclass(frozen=True)
class SignInResult:
    """``principal`` is set when the person may work in the loket; otherwise ``outcome`` says why not."""

    outcome: str
    principal: Principal | None = None


@writes
def sign_in(session: Session, person: Claimed, *, mode: str, ip: str | None = None) -> SignInResult:
    now = clock.now()
    user, outcome = _from_claims(session, person) if mode == CLAIMS else _from_account(session, person)
    if user is not None and outcome == OK:
        user.last_login_at = now
    session.add(LoginAttempt(email=person.email, user_id=user.id if user is not None else None,
                             ip=ip[:64] if ip else None, outcome=outcome, at=now))
    session.flush()
    if outcome != OK or user is None:
        log.warning("sign-on refused (%s) for subject %r", outcome, person.subject)
        return SignInResult(outcome)
    return SignInResult(outcome, principal_of(session, user))


@writes
def record_failure(session: Session, *, ip: str | None = None) -> None:
    """A sign-in whose answer did not pass the checks (for the security log of logins)."""
    session.add(LoginAttempt(email="", user_id=None, ip=ip[:64] if ip else None, outcome=INVALID, at=clock.now()))


def _by_email(session: Session, person: Claimed) -> StaffUser | None:
    if not person.email or person.email_verified is False:
        return None
    return session.scalar(select(StaffUser).where(StaffUser.email == person.email))


def _from_account(session: Session, person: Claimed) -> tuple[StaffUser | None, str]:
    user = _by_email(session, person)
    if user is None:
        return None, UNKNOWN
    if not user.active:
        return user, INACTIVE
    if not user.roles:
        return user, NO_ROLE
    return user, OK


def _known(session: Session, person: Claimed) -> tuple[list[str], list[str]]:
    """The roles and (active) teams of the claims that the loket knows, in its own order."""
    roles = [role for role in ROLES if role in person.roles]
    wanted = sorted(set(person.teams))
    teams = sorted(session.scalars(select(Team.code).where(Team.code.in_(wanted), Team.active.is_(True))).all()) \
        if wanted else []
    unknown_roles = sorted(set(person.roles) - ALL_ROLES)
    unknown_teams = sorted(set(wanted) - set(teams))
    if unknown_roles or unknown_teams:
        log.warning("sign-on: subject %r has roles %s and teams %s the loket does not know; ignored",
                    person.subject, unknown_roles, unknown_teams)
    return roles, teams


def _from_claims(session: Session, person: Claimed) -> tuple[StaffUser | None, str]:
    user = session.scalar(select(StaffUser).where(StaffUser.oidc_subject == person.subject)) \
        if person.subject else None
    if user is None:
        user = _by_email(session, person)
    if user is None and (not person.subject or not person.email or person.email_verified is False):
        return None, UNKNOWN
    if user is not None and user.oidc_subject not in (None, person.subject):
        return user, CONFLICT
    if user is not None and not user.active:
        return user, INACTIVE
    roles, teams = _known(session, person)
    if not roles:
        return user, NO_ROLE
    if user is None:
        return _create(session, person, roles, teams), OK
    _update(session, user, person, roles, teams)
    return user, OK


def _create(session: Session, person: Claimed, roles: list[str], teams: list[str]) -> StaffUser:
    user = create_user(session, email=person.email, name=person.name or person.email, roles=roles, teams=teams,
                       password_hash=NO_PASSWORD, external=True)
    user.oidc_subject = person.subject
    session.flush()
    staff_audit.record(session, principal_of(session, user), user, "signed_on_created",
                       {"name": [None, user.name], "roles": [[], roles], "teams": [[], teams]})
    return user


def _snapshot(user: StaffUser) -> dict[str, object]:
    return {"name": user.name, "roles": sorted(role.role for role in user.roles),
            "teams": sorted(membership.team_code for membership in user.memberships),
            "external": bool(user.external)}


def _update(session: Session, user: StaffUser, person: Claimed, roles: list[str], teams: list[str]) -> None:
    before = _snapshot(user)
    if person.email and person.email != user.email:
        log.info("sign-on: account %s keeps its address; the provider now gives another one", user.id)
    user.name = person.name or user.name
    current_roles = {role.role: role for role in user.roles}
    user.roles = [current_roles.get(role) or StaffRole(role=role) for role in roles]
    current_teams = {membership.team_code: membership for membership in user.memberships}
    user.memberships = [current_teams.get(team) or TeamMembership(team_code=team) for team in teams]
    user.external = True
    user.oidc_subject = person.subject
    session.flush()
    after = _snapshot(user)
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        staff_audit.record(session, principal_of(session, user), user, "signed_on_updated", changes)
