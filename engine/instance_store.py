"""The instance row on the hot path, in SQLAlchemy Core: one SELECT to load, one UPDATE
(guarded by the row version) to save. The ORM is kept for everything that is not hot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, insert, select, update

from engine.errors import ConcurrentUpdate, NotFound
from engine.models import ProcessInstance

T = cast(Table, ProcessInstance.__table__)
_HEAD = (
    T.c.id, T.c.case_ref, T.c.model_version_id, T.c.process_id, T.c.state, T.c.has_incident,
    T.c.title, T.c.status_text, T.c.status_text_en, T.c.row_version,
)
# Built once: SQLAlchemy then reuses their cache keys and compiled forms on every step.
_LOAD = select(*_HEAD).where(T.c.id == bindparam("b_id"))
_LOAD_LOCKED = _LOAD.with_for_update()
_LOAD_STATE = select(T.c.workflow_state).where(T.c.id == bindparam("b_id"))
_INSERT = insert(T).returning(T.c.id)
_SAVED = ("case_ref", "state", "has_incident", "title", "status_text", "status_text_en", "case_data",
          "workflow_state", "updated_at", "row_version")
_SAVE = (
    update(T)
    .where(T.c.id == bindparam("b_id"), T.c.row_version == bindparam("b_version"))
    .values({name: bindparam(name) for name in _SAVED})
)


@dataclass
class InstanceRow:
    """What a step needs to know about (and may change on) an instance."""

    id: int
    case_ref: str
    model_version_id: int
    process_id: str
    state: str
    has_incident: bool
    title: str | None
    status_text: str | None
    status_text_en: str | None
    row_version: int
    case_data: dict[str, Any] = field(default_factory=dict)


def load_row(conn: Connection, instance_id: int, *, lock: bool = False) -> InstanceRow:
    """The instance row; with ``lock`` (PostgreSQL) a concurrent step waits for ours to end
    and then sees our result, instead of doing the same work twice."""
    found = conn.execute(_LOAD_LOCKED if lock else _LOAD, {"b_id": instance_id}).first()
    if found is None:
        raise NotFound(f"Initiatief {instance_id} bestaat niet.")
    return InstanceRow(*found)


def load_state(conn: Connection, instance_id: int) -> bytes:
    state: bytes = conn.execute(_LOAD_STATE, {"b_id": instance_id}).scalar_one()
    return state


def insert_row(
    conn: Connection, *, process_id: str, version_id: int, title: str | None, data: dict[str, Any],
    actor: str, now: datetime, case_ref: str, initiator: str | None = None,
) -> InstanceRow:
    values = {
        "case_ref": case_ref, "model_version_id": version_id, "process_id": process_id, "state": "running",
        "has_incident": False, "title": title, "initiator": initiator, "status_text": None,
        "status_text_en": None, "case_data": data,
        "workflow_state": b"", "row_version": 1, "created_at": now, "updated_at": now, "started_by": actor,
    }
    new_id = conn.execute(_INSERT, values).scalar_one()
    return InstanceRow(new_id, case_ref, version_id, process_id, "running", False, title, None, None, 1, data)


def save_row(conn: Connection, row: InstanceRow, workflow_state: bytes, now: datetime) -> None:
    """Write the row if nobody else did since we read it; otherwise raise ConcurrentUpdate."""
    result = conn.execute(
        _SAVE,
        {
            "b_id": row.id, "b_version": row.row_version, "case_ref": row.case_ref, "state": row.state,
            "has_incident": row.has_incident, "title": row.title, "status_text": row.status_text,
            "status_text_en": row.status_text_en, "case_data": row.case_data, "workflow_state": workflow_state,
            "updated_at": now, "row_version": row.row_version + 1,
        },
    )
    if result.rowcount != 1:
        raise ConcurrentUpdate("Het initiatief is intussen door iemand anders gewijzigd.")
    row.row_version += 1
