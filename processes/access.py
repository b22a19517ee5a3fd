"""Who may do what: roles, the candidate groups a user works on, and the rules for tasks and cases.

Roles decide which parts of the workspace a user sees; team memberships decide which tasks
(candidate groups in the diagrams) a user may work on. A task is open to a user who is in one
of its candidate groups or is its assignee (the diagrams set guide tasks to the guide's e-mail).
Tasks for the initiator (candidate group ``initiatiefnemer``) are never open to staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session

from engine import AuditEvent, OpenTask, OpenTaskGroup, ProcessInstance
from processes.tables.organisation import Guide, GuideAssignment

INTAKE = "intake"
BEGELEIDER = "begeleider"
TEAM_GROEN = "team-groen"
REGIEGROEP = "regiegroep"
FONDSBEHEERDER = "fondsbeheerder"
SPECIALIST = "specialist"
KCC = "kcc"
PROCESBEHEERDER = "procesbeheerder"
BEHEERDER = "beheerder"
PRIVACYFUNCTIONARIS = "privacyfunctionaris"

ROLES: tuple[str, ...] = (INTAKE, BEGELEIDER, TEAM_GROEN, REGIEGROEP, FONDSBEHEERDER, SPECIALIST, KCC,
                          PROCESBEHEERDER, BEHEERDER, PRIVACYFUNCTIONARIS)
ALL_ROLES = frozenset(ROLES)
WORKER_ROLES = frozenset({INTAKE, BEGELEIDER, TEAM_GROEN, REGIEGROEP, FONDSBEHEERDER, SPECIALIST})
"""Roles that work on tasks and case files."""
REGISTER_ROLES = frozenset({KCC, INTAKE})
"""Roles that register an initiative on behalf of a caller or visitor."""
KCC_ROLES = frozenset({KCC})
INCIDENT_ROLES = frozenset({PROCESBEHEERDER})
MODEL_ROLES = frozenset({PROCESBEHEERDER})
ADMIN_ROLES = frozenset({BEHEERDER})
PRIVACY_ROLES = frozenset({PRIVACYFUNCTIONARIS})
"""Roles that read the access log of personal data (never a case file itself)."""
GUIDE_ADMIN_ROLES = frozenset({INTAKE})
"""Roles that may couple another guide to a case (the initiatieventeam)."""

INITIATOR_GROUP = "initiatiefnemer"


@dataclass(frozen=True)
class Principal:
    """The logged-in employee as the workspace sees them (also Flask-Login's user object).

    ``identities`` are the lower-case names under which a task can be assigned to this user:
    the account's e-mail and, for a guide, the guide's e-mail and name. ``must_change_password``:
    the user may only reach the change-password page (and log out) until they chose a new one.
    ``external``: the account comes from the organisation's sign-on (no local password)."""

    id: int
    email: str
    name: str
    session_token: str
    roles: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    identities: frozenset[str] = field(default_factory=frozenset)
    must_change_password: bool = False
    external: bool = False
    lead_teams: frozenset[str] | None = None
    """The teams whose lead this user is (``org_team.lead_email``), when the login check read
    them along (``None``: not read; ask :func:`processes.monitoring.dashboard.lead_teams`)."""

    # Flask-Login's user protocol ---------------------------------------------------------------
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"staff:{self.id}:{self.session_token}"

    # rules -----------------------------------------------------------------------------------
    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & frozenset(roles))

    @property
    def is_worker(self) -> bool:
        return self.has_any(WORKER_ROLES)

    def is_me(self, assignee: str | None) -> bool:
        return bool(assignee) and str(assignee).strip().lower() in self.identities


class TaskLike(Protocol):
    candidate_group: str | None
    assignee: str | None


def task_groups(candidate_group: str | None) -> frozenset[str]:
    """The groups of a task (the engine joins a list of groups with commas)."""
    if not candidate_group:
        return frozenset()
    return frozenset(part.strip() for part in candidate_group.split(",") if part.strip())


def may_work_on(principal: Principal, task: TaskLike) -> bool:
    """May open the task, claim it and (when it is free or theirs) complete it."""
    if not principal.is_worker:
        return False
    groups = task_groups(task.candidate_group)
    if INITIATOR_GROUP in groups:
        return False
    return bool(groups & principal.groups) or principal.is_me(task.assignee)


def may_complete(principal: Principal, task: TaskLike) -> bool:
    """A task assigned to a colleague must be taken over (claimed) first."""
    return may_work_on(principal, task) and (not task.assignee or principal.is_me(task.assignee))


# queries -------------------------------------------------------------------------------------
def queue_groups(groups: Iterable[str]) -> list[str]:
    """The candidate groups whose tasks a team member sees in the queue (never the initiator's)."""
    return sorted(set(groups) - {INITIATOR_GROUP})


def group_condition(groups: Iterable[str]) -> ColumnElement[bool]:
    """Open tasks of one of ``groups`` (also when a task has a list of groups): an index
    lookup in the task's group rows, never a pattern over the comma-separated list."""
    wanted = queue_groups(groups)
    if not wanted:
        return false()
    return OpenTask.task_id.in_(select(OpenTaskGroup.task_id).where(OpenTaskGroup.group_code.in_(wanted)))


def assigned_condition(principal: Principal) -> ColumnElement[bool]:
    """Open tasks assigned to this user (never the initiator's own tasks)."""
    if not principal.identities:
        return false()
    return and_(
        func.lower(OpenTask.assignee).in_(sorted(principal.identities)),
        or_(OpenTask.candidate_group.is_(None), OpenTask.candidate_group != INITIATOR_GROUP),
    )


def workable_condition(principal: Principal) -> ColumnElement[bool]:
    if not principal.is_worker:
        return false()
    return or_(group_condition(principal.groups), assigned_condition(principal))


def may_view_case(session: Session, principal: Principal, instance_id: int) -> bool:
    """The full case file: the initiatieventeam sees every case; others the cases with a task they
    may work on, the cases they guide, and the cases they worked on before."""
    if not principal.is_worker:
        return False
    if INTAKE in principal.roles:
        return True
    open_task = select(OpenTask.task_id).where(OpenTask.instance_id == instance_id, workable_condition(principal))
    if session.scalar(open_task.limit(1)) is not None:
        return True
    worked = select(AuditEvent.id).where(AuditEvent.instance_id == instance_id,
                                         func.lower(AuditEvent.actor) == principal.email.lower())
    if session.scalar(worked.limit(1)) is not None:
        return True
    return is_guide_of(session, principal, instance_id)


def is_guide_of(session: Session, principal: Principal, instance_id: int) -> bool:
    if not principal.identities:
        return False
    guided = (
        select(GuideAssignment.id)
        .join(Guide, Guide.id == GuideAssignment.guide_id)
        .join(ProcessInstance, ProcessInstance.case_ref == GuideAssignment.case_ref)
        .where(ProcessInstance.id == instance_id, GuideAssignment.closed_at.is_(None),
               func.lower(Guide.email).in_(sorted(principal.identities)))
    )
    return bool(session.scalar(select(exists(guided))))
