"""Removing personal data from a closed instance (AVG retention) inside a use case's unit of work.

The use case decides what is personal: ``scrub`` takes a JSON value (a dict of case data, an
audit event's detail, a mail's payload, a text such as an actor) and returns it with the
personal parts replaced. The engine knows where its data lives and applies ``scrub`` to all of
it: the case data, the task and workflow data in the stored state, the audit trail's details
and actors, and the jobs (mails in the outbox) of the instance. The instance is unlinked from
its initiator (``initiator`` becomes empty) and gets ``title``.

Only closed instances are redacted: a running one would go on with the replaced data. The
row's version goes up, so no cached copy of the workflow is used afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import compression
from engine.errors import EngineError, NotFound
from engine.tables import AuditEvent, Job, ProcessInstance

Scrub = Callable[[Any], Any]
CLOSED = ("completed", "cancelled")


def redact_instance(session: Session, instance_id: int, scrub: Scrub, *, title: str | None) -> None:
    """Apply ``scrub`` to everything the engine stores of a closed instance (see above)."""
    row = session.get(ProcessInstance, instance_id)
    if row is None:
        raise NotFound(f"Initiatief {instance_id} bestaat niet.")
    if row.state not in CLOSED:
        raise EngineError("Alleen van een afgesloten initiatief worden gegevens verwijderd.")
    row.case_data = scrub(dict(row.case_data or {}))
    row.workflow_state = redacted_state(row.workflow_state, scrub)
    row.title = title
    row.initiator = None
    row.started_by = str(scrub(row.started_by))[:200]
    for event in session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id)).all():
        event.actor = str(scrub(event.actor))[:200]
        if event.detail is not None:
            event.detail = scrub(event.detail)
    for job in session.scalars(select(Job).where(Job.instance_id == instance_id)).all():
        job.payload = scrub(job.payload)
    session.flush()


def redacted_state(blob: bytes, scrub: Scrub) -> bytes:
    """The stored workflow state with ``scrub`` applied to its data: the workflow's and every
    subworkflow's data and correlations, every task's data, data changes and internal data,
    and the events waiting to be handled. Its structure (tasks, states, spec names) stays."""
    if not blob:
        return blob
    state: dict[str, Any] = json.loads(compression.decompress(blob))
    for workflow in (state, *state.get("subprocesses", {}).values()):
        for key in ("data", "correlations"):
            if key in workflow:
                workflow[key] = scrub(workflow[key])
        for task in workflow.get("tasks", {}).values():
            if task.get("typename") != "Task":
                continue
            for key in ("data", "delta", "internal_data"):
                if key in task:
                    task[key] = scrub(task[key])
    if "bpmn_events" in state:
        state["bpmn_events"] = scrub(state["bpmn_events"])
    return compression.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"))
