"""Managing staff accounts (beheerder): create, change roles and teams, deactivate and reactivate,
and set a one-time password the user must change at the next login.

A regiegroep member belongs to the regiegroep of one district: that is a membership of the
district's regiegroep team (``org_team`` with a ``district_code``), the candidate group of the
wijkwens diagram. A beheerder can never take away their own beheerder role, deactivate their own
account or reset their own password here (that is what "wachtwoord wijzigen" is for), so there
is always at least one working beheerder. Every change is written to ``staff_audit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import OpenTask
from processes import staff_audit
from processes.access import ALL_ROLES, BEHEERDER, REGIEGROEP, ROLES, Principal
from processes.accounts import create_user, end_sessions, normalise_email, set_password
from processes.errors import AccountInvalid, NotAllowedHere, UnknownAccount
from processes.loket import reads, writes
from processes.passwords import password_problem
from processes.tables.organisation import District, Team
from processes.tables.staff import StaffAudit, StaffRole, StaffUser, TeamMembership

MAX_NAME = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REGIEGROEP_PREFIX = "regiegroep-"


@dataclass(frozen=True)
class AccountForm:
    """What a beheerder fills in for an account (``district``: of the regiegroep, or empty)."""

    name: str = ""
    email: str = ""
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    district: str = ""

    @classmethod
    def of(cls, name: str, email: str, roles: Iterable[str], teams: Iterable[str], district: str) -> AccountForm:
        return cls(name.strip()[:1000], normalise_email(email)[:1000], tuple(dict.fromkeys(roles)),
                   tuple(dict.fromkeys(teams)), district.strip())


@dataclass(frozen=True)
class Organisation:
    """The choices of the account form: teams (without district) and the regiegroep per district."""

    teams: list[Team] = field(default_factory=list)
    districts: list[District] = field(default_factory=list)
    regiegroep_of: dict[str, str] = field(default_factory=dict)

    @property
    def district_of(self) -> dict[str, str]:
        return {team: district for district, team in self.regiegroep_of.items()}


def organisation(session: Session) -> Organisation:
    teams = list(session.scalars(select(Team).order_by(Team.name)).all())
    regiegroepen = {team.district_code: team.code for team in teams
                    if team.district_code and team.code.startswith(REGIEGROEP_PREFIX)}
    districts = [d for d in session.scalars(select(District).order_by(District.name)).all() if d.code in regiegroepen]
    plain = [team for team in teams if team.code not in regiegroepen.values()]
    return Organisation(plain, districts, regiegroepen)


# reading -------------------------------------------------------------------------------------
def users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name)).all())


def get_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise UnknownAccount(str(user_id))
    return user


def form_of(user: StaffUser, org: Organisation) -> AccountForm:
    """The account as the form shows it."""
    codes = [membership.team_code for membership in user.memberships]
    district = next((org.district_of[code] for code in codes if code in org.district_of), "")
    return AccountForm(user.name, user.email, tuple(role.role for role in user.roles),
                       tuple(code for code in codes if code not in org.district_of), district)


def open_task_count(session: Session, user: StaffUser) -> int:
    """Open tasks assigned to this user (a colleague takes them over when the account is switched off)."""
    query = select(func.count()).select_from(OpenTask).where(func.lower(OpenTask.assignee) == user.email.lower())
    return int(session.scalar(query) or 0)


# checking ------------------------------------------------------------------------------------
def _name_email_problems(session: Session, form: AccountForm, user: StaffUser | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not form.name:
        problems["name"] = "name_missing"
    elif len(form.name) > MAX_NAME:
        problems["name"] = "name_too_long"
    if user is not None:
        return problems
    if not form.email:
        problems["email"] = "email_missing"
    elif len(form.email) > 254 or not _EMAIL.match(form.email):
        problems["email"] = "email_invalid"
    elif session.scalar(select(StaffUser.id).where(StaffUser.email == form.email)) is not None:
        problems["email"] = "email_taken"
    return problems


def _role_problems(form: AccountForm, org: Organisation) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not form.roles:
        problems["roles"] = "roles_missing"
    elif set(form.roles) - ALL_ROLES:
        problems["roles"] = "roles_unknown"
    if set(form.teams) - {team.code for team in org.teams}:
        problems["teams"] = "teams_unknown"
    if form.district and form.district not in org.regiegroep_of:
        problems["district"] = "district_unknown"
    elif REGIEGROEP in form.roles and not form.district:
        problems["district"] = "district_missing"
    elif form.district and REGIEGROEP not in form.roles:
        problems["district"] = "district_without_role"
    return problems


def _check(session: Session, form: AccountForm, org: Organisation, user: StaffUser | None) -> dict[str, str]:
    return _name_email_problems(session, form, user) | _role_problems(form, org)


def _team_codes(form: AccountForm, org: Organisation) -> list[str]:
    codes = list(form.teams)
    if form.district:
        codes.append(org.regiegroep_of[form.district])
    return sorted(set(codes))


# changing ------------------------------------------------------------------------------------
@writes
def create_account(session: Session, actor: Principal, form: AccountForm, password: str) -> StaffUser:
    """A new active account with a one-time ``password`` the user must change at the first login.
    Raises AccountInvalid (fields ``name``, ``email``, ``roles``, ``teams``, ``district``, ``password``)."""
    org = organisation(session)
    problems = _check(session, form, org, None)
    problem = password_problem(password, email=form.email, name=form.name)
    if problem is not None:
        problems["password"] = problem
    if problems:
        raise AccountInvalid(problems)
    ordered_roles = [role for role in ROLES if role in form.roles]
    user = create_user(session, email=form.email, name=form.name, roles=ordered_roles,
                       teams=_team_codes(form, org), password=password, must_change_password=True)
    staff_audit.record(session, actor, user, "created",
                       {"name": [None, user.name], "roles": [[], ordered_roles], "teams": [[], _team_codes(form, org)]})
    return user


@writes
def update_account(session: Session, actor: Principal, user_id: int, form: AccountForm) -> StaffUser:
    """New name, roles, teams and regiegroep district (the e-mail address stays: it is the identity
    tasks and the audit trail use). A beheerder keeps their own beheerder role."""
    user = get_user(session, user_id)
    org = organisation(session)
    problems = _check(session, form, org, user)
    if user.id == actor.id and BEHEERDER not in form.roles and "roles" not in problems:
        problems["roles"] = "own_admin_role"
    if problems:
        raise AccountInvalid(problems)
    before = _snapshot(user)
    user.name = form.name
    new_roles = [role for role in ROLES if role in form.roles]
    _replace_roles(session, user, new_roles)
    _replace_teams(session, user, _team_codes(form, org))
    after = _snapshot(user)
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        staff_audit.record(session, actor, user, "updated", changes)
    return user


def _snapshot(user: StaffUser) -> dict[str, object]:
    return {"name": user.name, "roles": sorted(role.role for role in user.roles),
            "teams": sorted(membership.team_code for membership in user.memberships)}


def _replace_roles(session: Session, user: StaffUser, roles: list[str]) -> None:
    current = {role.role: role for role in user.roles}
    user.roles = [current.get(role) or StaffRole(role=role) for role in roles]
    session.flush()


def _replace_teams(session: Session, user: StaffUser, teams: list[str]) -> None:
    current = {membership.team_code: membership for membership in user.memberships}
    user.memberships = [current.get(team) or TeamMembership(team_code=team) for team in teams]
    session.flush()


@writes
def set_active(session: Session, actor: Principal, user_id: int, active: bool) -> StaffUser:
    """Switch an account off (its sessions end at once) or on again. Never one's own account."""
    user = get_user(session, user_id)
    if user.id == actor.id:
        raise NotAllowedHere("deactivate_self")
    if user.active == active:
        return user
    user.active = active
    if not active:
        end_sessions(user)
    session.flush()
    staff_audit.record(session, actor, user, "reactivated" if active else "deactivated")
    return user


@writes
def reset_password(session: Session, actor: Principal, user_id: int, password: str) -> StaffUser:
    """A one-time password: the account's sessions end, earlier failed logins no longer slow it
    down, and at the next login the user must choose a new password. Not for one's own account,
    nor for an account of the organisation's sign-on (external)."""
    user = get_user(session, user_id)
    if user.id == actor.id:
        raise NotAllowedHere("reset_self")
    if user.external:  # its password is at the organisation's provider
        raise NotAllowedHere("reset_external")
    problem = password_problem(password, email=user.email, name=user.name)
    if problem is not None:
        raise AccountInvalid({"password": problem})
    set_password(session, user, password, must_change=True)
    staff_audit.record(session, actor, user, "password_reset")
    return user


# the account pages ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AccountsPage:
    users: list[StaffUser]
    history: list[StaffAudit]
    team_names: dict[str, str]


@reads
def accounts_page(session: Session) -> AccountsPage:
    return AccountsPage(users(session), staff_audit.history(session, limit=20), _team_names(session))


@reads
def account_choices(session: Session) -> Organisation:
    """The teams and regiegroepen a new account can get."""
    return organisation(session)


@dataclass(frozen=True)
class AccountPage:
    user: StaffUser
    organisation: Organisation
    form: AccountForm
    open_tasks: int
    history: list[StaffAudit]
    team_names: dict[str, str]


@reads
def account_page(session: Session, user_id: int) -> AccountPage:
    user = get_user(session, user_id)
    org = organisation(session)
    return AccountPage(user, org, form_of(user, org), open_task_count(session, user),
                       staff_audit.history(session, user_id=user.id), _team_names(session))


def _team_names(session: Session) -> dict[str, str]:
    return {code: name for code, name in session.execute(select(Team.code, Team.name)).all()}
