"""The audit of account changes: who changed which staff account how (``staff_audit``).

Written in the same transaction as the change itself, so a change is never stored without its
row. Passwords never go into the log: a password change only says that it happened.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from web.staff.models import StaffAudit, StaffUser
from web.staff.services.access import Principal

ACTIONS = ("created", "updated", "deactivated", "reactivated", "password_reset", "password_changed")


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


def history(session: Session, *, user_id: int | None = None, limit: int = 50) -> list[StaffAudit]:
    """The newest changes first: of one account (``user_id``) or of all accounts."""
    query = select(StaffAudit).order_by(StaffAudit.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(StaffAudit.user_id == user_id)
    return list(session.scalars(query).all())
