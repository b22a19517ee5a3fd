"""Tables the engine owns. Few rows per instance: the instance itself (state compressed),
its open tasks, its audit events and its pending jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UtcDateTime


class ModelBundle(Base):
    """One deployment: the exact files deployed, content-hashed."""

    __tablename__ = "model_bundle"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    files: Mapped[dict[str, str]] = mapped_column(JSON)
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deployed_by: Mapped[str] = mapped_column(String(200))


class ModelVersion(Base):
    """An immutable, content-hashed executable process; the spec is stored once here.

    Deploying content equal to the current version makes no new version; deploying earlier
    content again (a rollback) makes it current again as a new version number."""

    __tablename__ = "model_version"
    __table_args__ = (UniqueConstraint("process_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str | None] = mapped_column(String(400))
    version_no: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    bundle_id: Mapped[int] = mapped_column(ForeignKey("model_bundle.id"))
    spec: Mapped[str] = mapped_column(Text)
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deployed_by: Mapped[str | None] = mapped_column(String(200))
    """Who put this version into use (the bundle's deployer when it was not recorded)."""
    note: Mapped[str | None] = mapped_column(Text)
    """What changed, in the process owner's words (the change note of the deploy)."""


class ProcessInstance(Base):
    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(40), unique=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_version.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), index=True)  # running | completed | cancelled
    has_incident: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(String(300))
    initiator: Mapped[str | None] = mapped_column(String(254), index=True)
    status_text: Mapped[str | None] = mapped_column(String(500))
    status_text_en: Mapped[str | None] = mapped_column(String(500))
    case_data: Mapped[dict[str, object]] = mapped_column(JSON)
    workflow_state: Mapped[bytes] = mapped_column(LargeBinary)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": row_version}


class RunningCount(Base):
    """How many running instances of a version are in a process: their own, or one they called
    (kept by every step, see :mod:`engine.running`)."""

    __tablename__ = "running_count"

    version_id: Mapped[int] = mapped_column(ForeignKey("model_version.id"), primary_key=True)
    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    running: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class OpenTask(Base):
    """Projection of the human tasks that are open now; task lists query only this.

    Every step that opens or closes a task writes a page of each index here, and a page
    costs a commit about as much as a small statement: only indexes a query uses. A team's
    queue is read from :class:`OpenTaskGroup`; "my tasks" from the assignee index, in the
    order the list shows (deadline first), so a page of either reads only its own rows."""

    __tablename__ = "open_task"
    __table_args__ = (
        # The included columns let the count of "mijn taken" (capped, filtered on the group) be an
        # index-only scan on PostgreSQL: an expression index alone sends every row to the table.
        Index("ix_open_task_assignee_due", func.lower(text("assignee")), "due_at", "created_at", "task_id",
              postgresql_include=["candidate_group", "assignee"]),
    )

    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("process_instance.id", ondelete="CASCADE"), index=True
    )
    case_ref: Mapped[str] = mapped_column(String(40))
    process_id: Mapped[str] = mapped_column(String(200))
    task_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(400))
    form_id: Mapped[str | None] = mapped_column(String(200))
    candidate_group: Mapped[str | None] = mapped_column(String(200))
    assignee: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OpenTaskGroup(Base):
    """One row per candidate group of an open task: a team's queue is an index range in the
    order the list shows (deadline first, then the oldest), however many tasks other teams
    have, and its count reads only that range. Written and deleted with the task; a task's
    ``candidate_group`` keeps the groups as the diagram gave them (joined with commas)."""

    __tablename__ = "open_task_group"
    # Without rowid on SQLite the primary key is the table: one b-tree less to write per task.
    __table_args__ = (Index("ix_open_task_group_queue", "group_code", "due_at", "created_at", "task_id"),
                      {"sqlite_with_rowid": False})

    task_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("open_task.task_id", ondelete="CASCADE"), primary_key=True
    )
    group_code: Mapped[str] = mapped_column(String(200), primary_key=True)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def task_groups(candidate_group: str | None) -> list[str]:
    """The groups of a task, as the engine joins them (comma-separated), each once."""
    if not candidate_group:
        return []
    return sorted({part.strip() for part in candidate_group.split(",") if part.strip()})


# A literal, not a bound parameter: only then can a query's plan use the partial index.
COMPLETED_EVENT = text("kind = 'task_completed'")


class AuditEvent(Base):
    """Append-only: who did what, when, on which task, and which data changed."""

    __tablename__ = "audit_event"
    # Looked up by task only to say who completed a task someone still has open: indexing
    # every event's task would cost a page at a random place in the index on every step.
    __table_args__ = (
        Index("ix_audit_event_completed_task", "task_id", sqlite_where=COMPLETED_EVENT,
              postgresql_where=COMPLETED_EVENT),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(400))
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON)


class Job(Base):
    """Timers, service-task runs (with retries) and outgoing mail (the outbox)."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # timer | service | mail
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("process_instance.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[str | None] = mapped_column(String(36))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20))  # ready | running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
