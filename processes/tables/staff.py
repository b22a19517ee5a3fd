"""Tables of the staff workspace: accounts, roles, team memberships, login attempts, the audit of
account changes, task drafts, contact moments and the KCC access log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import Base, UtcDateTime


class StaffUser(Base):
    """A municipal employee (or regiegroep member) who logs in to the workspace.

    ``session_token`` is part of the login session: changing it (new password, deactivation)
    ends every session of this account. ``failed_logins`` and ``locked_until`` are no longer used
    (the login throttle counts ``staff_login_attempt`` rows instead); a later migration may drop them.
    ``must_change_password``: the password was set by a beheerder; the user chooses a new one
    before doing anything else. ``external``: the account comes from the organisation's sign-on
    (OpenID Connect, claim mode): its roles and teams follow the provider's claims and no local
    password works for it. ``oidc_subject``: the provider's ``sub`` of the person, so a changed
    e-mail address at the provider still finds the same account."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_token: Mapped[str] = mapped_column(String(64))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    external: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    roles: Mapped[list[StaffRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    memberships: Mapped[list[TeamMembership]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class StaffRole(Base):
    """One role of a user (see ``processes.access.ROLES``)."""

    __tablename__ = "staff_user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class TeamMembership(Base):
    """The user works on the tasks of this team: the team code is a candidate group of the diagrams."""

    __tablename__ = "staff_team_membership"

    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    team_code: Mapped[str] = mapped_column(ForeignKey("org_team.code"), primary_key=True, index=True)


class LoginAttempt(Base):
    """Every login attempt, kept for security monitoring and counted by the login throttle
    (outcome: ok | wrong | inactive | throttled; ``reset`` marks a new password, not an attempt)."""

    __tablename__ = "staff_login_attempt"
    __table_args__ = (Index("ix_staff_login_attempt_email_at", "email", "at"),
                      Index("ix_staff_login_attempt_ip_at", "ip", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    ip: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class StaffAudit(Base):
    """Who changed which account how: created, updated (roles, teams, name), deactivated,
    reactivated, password_reset (by a beheerder), password_changed (by the user); and who changed
    which organisation data (``processes.staff_audit.ORG_ACTIONS``: then ``user_id`` is
    empty and ``user_email`` names the district, team, guide, budget or fund).

    ``changes`` maps what changed to ``[before, after]``; passwords are never in it. The e-mail
    addresses are copied so the row still says who it was about if an account is removed."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    actor_email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    user_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class TaskDraft(Base):
    """The answers saved on a task page before completing it; one per open task."""

    __tablename__ = "staff_task_draft"
    __table_args__ = (UniqueConstraint("task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(36))
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(254))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ContactMoment(Base):
    """A call, visit or e-mail with the initiator, logged by the KCC or a handler."""

    __tablename__ = "staff_contact_moment"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(254))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KccAccess(Base):
    """The access log: every time the contact centre sees personal data (a search or a case)."""

    __tablename__ = "staff_kcc_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    user_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(20))  # search | view
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id", ondelete="SET NULL"),
                                                    index=True)
    query: Mapped[str | None] = mapped_column(String(200))
    result_count: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class TaskNotice(Base):
    """An open task whose arrival has been made known (to its assignee or its team), so the
    worker's round (``processes.notifications``) mails about each task once. Only tasks opened in
    the last day are looked at; older rows are deleted by the housekeeping."""

    __tablename__ = "staff_task_notice"

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    noticed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
