"""What ``loket bench pages`` needs from the database to fill in page addresses: a demo
initiator's login link and case, and the case of a task (for the web layer, which does not
read the engine's tables itself)."""

from __future__ import annotations

from sqlalchemy import select

from engine import OpenTask, ProcessInstance
from processes.loket import Loket
from processes.portal_login import issue_login_link


def initiator_login(loket: Loket) -> tuple[str | None, str | None]:
    """(login token, case reference) of the initiator of the first demo case with one."""
    with loket.transaction() as session:
        case = session.scalars(select(ProcessInstance).where(ProcessInstance.initiator.is_not(None))
                               .order_by(ProcessInstance.id)).first()
        if case is None or case.initiator is None:
            return None, None
        link = issue_login_link(session, case.initiator)
        return (link.token if link else None), case.case_ref


def task_objects(loket: Loket, task_id: str | None) -> dict[str, str]:
    """``task_id`` and its case reference, or else the first running case's reference."""
    with loket.reading() as session:
        if task_id is not None:
            task = session.get(OpenTask, task_id)
            if task is not None:
                return {"task_id": task.task_id, "case_ref": task.case_ref}
        ref = session.scalar(select(ProcessInstance.case_ref).where(ProcessInstance.state == "running")
                             .order_by(ProcessInstance.id).limit(1))
    return {"case_ref": ref} if ref else {}
