"""Claim, release and hand over a task: a guarded update of ``open_task.assignee`` plus an audit
event, in one transaction. A concurrent change (a colleague claimed it a moment earlier, or
completed it) is refused, never overwritten."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.errors import ConcurrentUpdate, TaskAlreadyCompleted
from engine.tables import COMPLETED_EVENT, AuditEvent, OpenTask
from web.staff.models import StaffUser
from web.staff.services.access import Principal, may_work_on, task_groups
from web.staff.services.errors import AccessDenied, NotAllowedHere, TaskGone


def completion_of(session: Session, task_id: str) -> AuditEvent | None:
    """The audit event of the task's completion, if it was completed."""
    query = (select(AuditEvent).where(AuditEvent.task_id == task_id, COMPLETED_EVENT)
             .order_by(AuditEvent.id.desc()).limit(1))
    return session.scalar(query)


def open_task(session: Session, task_id: str, *, lock: bool = False) -> OpenTask:
    """The open task; ``TaskAlreadyCompleted`` when a colleague completed it, ``TaskGone`` otherwise."""
    query = select(OpenTask).where(OpenTask.task_id == task_id[:36])
    if lock and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    task = session.scalar(query)
    if task is not None:
        return task
    done = completion_of(session, task_id[:36])
    if done is not None:
        raise TaskAlreadyCompleted(done.task_name or "", done.actor, done.at)
    raise TaskGone(task_id)


def workable_task(session: Session, principal: Principal, task_id: str, *, lock: bool = False) -> OpenTask:
    task = open_task(session, task_id, lock=lock)
    if not may_work_on(principal, task):
        raise AccessDenied(task_id)
    return task


def _set_assignee(session: Session, principal: Principal, task: OpenTask, new: str | None, kind: str,
                  detail: dict[str, Any] | None = None) -> None:
    old = task.assignee
    guard = OpenTask.assignee.is_(None) if old is None else OpenTask.assignee == old
    result = session.execute(
        update(OpenTask).where(OpenTask.task_id == task.task_id, guard).values(assignee=new)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdate("De taak is intussen door iemand anders gewijzigd.")
    session.add(AuditEvent(
        instance_id=task.instance_id, at=clock.now(), actor=principal.email, kind=kind, task_id=task.task_id,
        task_name=task.title, detail={"van": old, "naar": new, **(detail or {})},
    ))
    session.flush()
    session.expire(task)


def claim(session: Session, principal: Principal, task_id: str) -> OpenTask:
    """Take the task: it moves to "mijn taken". Taking over a colleague's task is allowed (the
    audit trail shows it); the guard refuses it when the task changed in the meantime."""
    task = workable_task(session, principal, task_id, lock=True)
    if principal.is_me(task.assignee):
        return task
    _set_assignee(session, principal, task, principal.email, "task_claimed")
    return task


def release(session: Session, principal: Principal, task_id: str) -> OpenTask:
    """Give the task back to the team queue."""
    task = workable_task(session, principal, task_id, lock=True)
    if task.assignee is None:
        return task
    if not task_groups(task.candidate_group) & principal.groups and not principal.is_me(task.assignee):
        raise AccessDenied(task_id)
    _set_assignee(session, principal, task, None, "task_released")
    return task


def hand_over(session: Session, principal: Principal, task_id: str, to_user_id: int) -> StaffUser:
    """Give the task to a colleague who may work on it too; returns that colleague."""
    task = workable_task(session, principal, task_id, lock=True)
    colleague = session.get(StaffUser, to_user_id)
    if colleague is None or not colleague.active:
        raise NotAllowedHere("unknown_colleague")
    their_groups = {membership.team_code for membership in colleague.memberships}
    if not task_groups(task.candidate_group) & their_groups:
        raise NotAllowedHere("colleague_not_in_team")
    if task.assignee == colleague.email:
        return colleague
    _set_assignee(session, principal, task, colleague.email, "task_handed_over", {"naam": colleague.name})
    return colleague
