"""The audit of account and organisation changes: who changed which staff account, district,
team, guide, budget or fund how (``staff_audit``).

Written in the same transaction as the change itself, so a change is never stored without its
row. Passwords never go into the log: a password change only says that it happened.

An organisation row has no ``user_id``; its ``user_email`` column holds what was changed as
``<kind>:<key>`` (``wijk:oost``, ``team:team-groen``, ``begeleider:<e-mail>``,
``budget:oost:2027``, ``fonds:2027``, ``bewaartermijn:wijkwens``), so account and organisation
history share one table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from processes import clock
from processes.access import Principal
from processes.tables.staff import StaffAudit, StaffUser

ACTIONS = ("created", "updated", "deactivated", "reactivated", "password_reset", "password_changed",
           "signed_on_created", "signed_on_updated")
"""``signed_on_*``: made or changed by the organisation's sign-on (claim mode) when the person
signed in; the actor is the person themselves (the changes come from the provider's claims)."""
ORG_ACTIONS = ("district_created", "district_updated", "team_created", "team_updated", "guide_created",
               "guide_updated", "budget_created",
               "budget_updated", "fund_created", "fund_updated", "retention_updated")


def record(session: Session, actor: Principal, user: StaffUser, action: str,
           changes: dict[str, Any] | None = None) -> StaffAudit:
    """Log one change of ``user`` by ``actor``; ``changes`` maps a field to ``[before, after]``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown staff audit action {action!r}")
    row = StaffAudit(at=clock.now(), actor_id=actor.id, actor_email=actor.email, user_id=user.id,
                     user_email=user.email, action=action, changes=dict(changes or {}))
    session.add(row)
    session.flush()
    return row


def record_organisation(session: Session, actor: Principal, subject: str, action: str,
                        changes: dict[str, Any] | None = None) -> StaffAudit:
    """Log one change of organisation data; ``subject`` is ``<kind>:<key>`` (see above)."""
    if action not in ORG_ACTIONS:
        raise ValueError(f"unknown organisation audit action {action!r}")
    row = StaffAudit(at=clock.now(), actor_id=actor.id, actor_email=actor.email, user_id=None,
                     user_email=subject[:254], action=action, changes=dict(changes or {}))
    session.add(row)
    session.flush()
    return row


def history(session: Session, *, user_id: int | None = None, limit: int = 50) -> list[StaffAudit]:
    """The newest account changes first: of one account (``user_id``) or of all accounts."""
    query = select(StaffAudit).where(StaffAudit.action.in_(ACTIONS)).order_by(StaffAudit.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(StaffAudit.user_id == user_id)
    return list(session.scalars(query).all())


def organisation_history(session: Session, *, limit: int = 50) -> list[StaffAudit]:
    """The newest changes of districts, teams, guides, budgets and funds first."""
    query = select(StaffAudit).where(StaffAudit.action.in_(ORG_ACTIONS)).order_by(StaffAudit.id.desc()).limit(limit)
    return list(session.scalars(query).all())
