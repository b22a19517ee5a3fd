"""The stored state of a finished instance: only what is read after the end.

A finished case is kept for years, and its full SpiffWorkflow state (every task with its data
changes) was most of what the case stored. After the end nothing reads that state: the case
page, the status page, the exports, the KCC view, the replay of decision tables and the
monitoring read the case data, the audit trail and the facts; a page asks the workflow what
the case waits for only while it runs. So when an instance ends its state is replaced by a
small final form: that it ended (and how), in which process and at which element, and the data
of the workflow itself only where the case data (kept in its own column) does not hold it.

Anything that still needs the workflow of a finished case (a late step, a message, loading it)
gets :class:`FinishedCase`, a clear "it does not run any more" answer, instead of a
half-restored workflow; a stale task completion is told from the audit trail who completed the
task; a page asking what the case waits for hears "nothing", and the consistency check reads the
case as ended.
"""

from __future__ import annotations

from typing import Any, cast

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import Connection, Table, select

from engine.errors import EngineError, NotFound, TaskAlreadyCompleted
from engine.plaindata import jsonable
from engine.tables import COMPLETED_EVENT, AuditEvent

AUDIT = cast(Table, AuditEvent.__table__)
FINAL_FORMAT = "loket-final-1"
FINISHED = "Dit initiatief loopt niet meer."


class FinishedCase(NotFound):
    """The instance has ended: only its final form is stored, there is no workflow to step on."""

    def __init__(self, final: dict[str, Any] | None = None) -> None:
        self.final = final or {}
        super().__init__(FINISHED)


def final_form(workflow: BpmnWorkflow, case_data: dict[str, Any] | None = None) -> dict[str, Any]:
    """What is kept of a finished ``workflow`` (see the module's text); ``case_data``: the
    instance's case data as stored beside it."""
    form: dict[str, Any] = {"format": FINAL_FORMAT, "process": workflow.spec.name, "success": bool(workflow.success)}
    last = workflow.last_task
    if last is not None:
        form["last"] = last.task_spec.name
    if workflow.data and jsonable(workflow.data) != case_data:
        form["data"] = workflow.data
    return form


def is_final(state: dict[str, Any]) -> bool:
    return state.get("format") == FINAL_FORMAT


def completed_before(conn: Connection, instance_id: int, task_id: str) -> EngineError:
    """The answer to completing a task of a finished case: there is no workflow to look the task
    up in, so its audit trail says who completed it (what a stale completion gets while the case
    runs); a task it never completed is simply gone with the case."""
    done = conn.execute(
        select(AUDIT.c.actor, AUDIT.c.at, AUDIT.c.task_name)
        .where(AUDIT.c.instance_id == instance_id, AUDIT.c.task_id == task_id, COMPLETED_EVENT)
        .order_by(AUDIT.c.id.desc())
        .limit(1)
    ).first()
    if done is None:
        return FinishedCase()
    return TaskAlreadyCompleted(str(done.task_name or ""), done.actor, done.at)
