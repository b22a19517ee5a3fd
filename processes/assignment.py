"""Claim, release and hand over a task: a guarded change of who has the open task plus an audit
event (:func:`engine.set_task_assignee`), in one unit of work. A concurrent change (a colleague
claimed it a moment earlier, or completed it) is refused, never overwritten."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import OpenTask, TaskAlreadyCompleted, set_task_assignee, task_completion
from processes.access import Principal, may_work_on, task_groups
from processes.errors import AccessDenied, InvalidInput, NotAllowedHere, TaskGone
from processes.loket import Loket
from processes.notifications import Recipient, mail_assigned
from processes.tables.staff import StaffUser


def open_task(session: Session, task_id: str, *, lock: bool = False) -> OpenTask:
    """The open task; ``TaskAlreadyCompleted`` when a colleague completed it, ``TaskGone`` otherwise."""
    query = select(OpenTask).where(OpenTask.task_id == task_id[:36])
    if lock and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    task = session.scalar(query)
    if task is not None:
        return task
    done = task_completion(session, task_id[:36])
    if done is not None:
        raise TaskAlreadyCompleted(done.task_name or "", done.actor, done.at)
    raise TaskGone(task_id)


def workable_task(session: Session, principal: Principal, task_id: str, *, lock: bool = False) -> OpenTask:
    task = open_task(session, task_id, lock=lock)
    if not may_work_on(principal, task):
        raise AccessDenied(task_id)
    return task


def claim(loket: Loket, principal: Principal, task_id: str) -> str:
    """Take the task: it moves to "mijn taken". Taking over a colleague's task is allowed (the
    audit trail shows it); the guard refuses it when the task changed in the meantime. Returns
    the task's title."""
    with loket.transaction() as session:
        task = workable_task(session, principal, task_id, lock=True)
        title = task.title
        if not principal.is_me(task.assignee):
            set_task_assignee(session, task, principal.email, actor=principal.email, kind="task_claimed")
        return title


def release(loket: Loket, principal: Principal, task_id: str) -> str:
    """Give the task back to the team queue. Returns the task's title."""
    with loket.transaction() as session:
        task = workable_task(session, principal, task_id, lock=True)
        title = task.title
        if task.assignee is None:
            return title
        if not task_groups(task.candidate_group) & principal.groups and not principal.is_me(task.assignee):
            raise AccessDenied(task_id)
        set_task_assignee(session, task, None, actor=principal.email, kind="task_released")
        return title


def hand_over(loket: Loket, principal: Principal, task_id: str, to_user_id: int | None) -> str:
    """Give the task to a colleague who may work on it too, who gets a mail about it; returns
    that colleague's name."""
    if to_user_id is None:
        raise InvalidInput({"collega": "unknown_colleague"})
    with loket.transaction() as session:
        task = workable_task(session, principal, task_id, lock=True)
        colleague = session.get(StaffUser, to_user_id)
        if colleague is None or not colleague.active:
            raise InvalidInput({"collega": "unknown_colleague"})
        their_groups = {membership.team_code for membership in colleague.memberships}
        if not task_groups(task.candidate_group) & their_groups:
            raise NotAllowedHere("colleague_not_in_team")
        if task.assignee != colleague.email:
            set_task_assignee(session, task, colleague.email, actor=principal.email, kind="task_handed_over",
                              detail={"naam": colleague.name})
            mail_assigned(session, task, Recipient(colleague.email, colleague.name))
        return colleague.name
