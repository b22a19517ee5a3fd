"""What a use case may write on the engine's tables besides a workflow step, inside its own
unit of work (the ``session`` it passes): an audit event, a mail in the outbox, and a change of
who has an open task. Nothing outside the engine writes these tables itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.errors import ConcurrentUpdate
from engine.job_rows import mail_job
from engine.tables import COMPLETED_EVENT, AuditEvent, Job, OpenTask


def record_audit(
    session: Session, instance_id: int, *, actor: str, kind: str, detail: dict[str, Any] | None = None,
    task_id: str | None = None, task_name: str | None = None,
) -> AuditEvent:
    """One event in the case's audit trail, committed with ``session``'s transaction."""
    event = AuditEvent(instance_id=instance_id, at=clock.now(), actor=actor, kind=kind, task_id=task_id,
                       task_name=task_name, detail=detail)
    session.add(event)
    session.flush()
    return event


def queue_mail(
    session: Session, instance_id: int | None, *, template: str, to: str, context: dict[str, Any], lang: str
) -> None:
    """A mail in the outbox, committed with ``session``'s transaction; the worker sends it."""
    session.execute(insert(Job), [mail_job(instance_id, template=template, to=to, context=context, lang=lang)])


def set_task_assignee(
    session: Session, task: OpenTask, new: str | None, *, actor: str, kind: str, detail: dict[str, Any] | None = None
) -> None:
    """Give an open task to ``new`` (None: back to its team), with an audit event. Guarded: when
    somebody changed the assignee since ``task`` was read, ConcurrentUpdate and nothing changes."""
    old = task.assignee
    guard = OpenTask.assignee.is_(None) if old is None else OpenTask.assignee == old
    result = session.execute(
        update(OpenTask).where(OpenTask.task_id == task.task_id, guard).values(assignee=new)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdate("De taak is intussen door iemand anders gewijzigd.")
    record_audit(session, task.instance_id, actor=actor, kind=kind, task_id=task.task_id, task_name=task.title,
                 detail={"van": old, "naar": new, **(detail or {})})
    session.expire(task)


def hand_over_tasks(session: Session, instance_id: int, previous: list[str], new: str) -> None:
    """Every open task of the case assigned to one of ``previous`` (e-mail addresses, any case)
    goes to ``new``: part of the step that changes who guides the case."""
    lowered = [email.lower() for email in previous]
    session.execute(
        update(OpenTask).where(OpenTask.instance_id == instance_id, func.lower(OpenTask.assignee).in_(lowered))
        .values(assignee=new).execution_options(synchronize_session=False)
    )


def task_completion(session: Session, task_id: str) -> AuditEvent | None:
    """The audit event of the task's completion, if it was completed."""
    query = (select(AuditEvent).where(AuditEvent.task_id == task_id, COMPLETED_EVENT)
             .order_by(AuditEvent.id.desc()).limit(1))
    return session.scalar(query)
