"""The instance row on the hot path: one SELECT to load, one UPDATE (guarded by the row
version) to save, written through :class:`engine.rawsql.RawSql`. The ORM model
:class:`engine.models.ProcessInstance` describes the same table for everything else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.errors import ConcurrentUpdate, NotFound
from engine.rawsql import RawSql

_HEAD = ("SELECT id, case_ref, model_version_id, process_id, state, has_incident, title, status_text, "
         "status_text_en, row_version FROM process_instance WHERE id = ?")
_LOCKED = _HEAD + " FOR UPDATE"
_STATE = "SELECT workflow_state FROM process_instance WHERE id = ?"
_INSERT = (
    "INSERT INTO process_instance (case_ref, model_version_id, process_id, state, has_incident, title, initiator, "
    "status_text, status_text_en, case_data, workflow_state, row_version, created_at, updated_at, started_by) "
    "VALUES (?, ?, ?, 'running', ?, ?, ?, NULL, NULL, ?, ?, 1, ?, ?, ?) RETURNING id"
)
_SAVE = (
    "UPDATE process_instance SET case_ref = ?, state = ?, has_incident = ?, title = ?, status_text = ?, "
    "status_text_en = ?, case_data = ?, workflow_state = ?, updated_at = ?, row_version = ? "
    "WHERE id = ? AND row_version = ?"
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


def load_row(raw: RawSql, instance_id: int, *, lock: bool = False) -> InstanceRow:
    """The instance row; with ``lock`` (PostgreSQL) a concurrent step waits for ours to end
    and then sees our result, instead of doing the same work twice."""
    found = raw.one(_LOCKED if lock else _HEAD, (instance_id,))
    if found is None:
        raise NotFound(f"Initiatief {instance_id} bestaat niet.")
    row = InstanceRow(*found)
    row.has_incident = bool(row.has_incident)
    return row


def load_state(raw: RawSql, instance_id: int) -> bytes:
    found = raw.one(_STATE, (instance_id,))
    if found is None:
        raise NotFound(f"Initiatief {instance_id} bestaat niet.")
    return bytes(found[0])


def insert_row(
    raw: RawSql, *, process_id: str, version_id: int, title: str | None, data: dict[str, Any],
    actor: str, now: datetime, case_ref: str, initiator: str | None = None,
) -> InstanceRow:
    found = raw.one(_INSERT, (
        case_ref, version_id, process_id, raw.flag(False), title, initiator, raw.json(data), b"",
        raw.time(now), raw.time(now), actor,
    ))
    assert found is not None
    return InstanceRow(int(found[0]), case_ref, version_id, process_id, "running", False, title, None, None, 1, data)


def save_row(raw: RawSql, row: InstanceRow, workflow_state: bytes, now: datetime) -> Any:
    """Queue the guarded UPDATE; returns the cursor whose rowcount :func:`check_saved` reads
    once the batch it is part of has been sent."""
    return raw.run(_SAVE, (
        row.case_ref, row.state, raw.flag(row.has_incident), row.title, row.status_text, row.status_text_en,
        raw.json(row.case_data), workflow_state, raw.time(now), row.row_version + 1, row.id, row.row_version,
    ))


def check_saved(cursor: Any, row: InstanceRow) -> None:
    """Raise ConcurrentUpdate if nobody's row matched (someone else saved first)."""
    if cursor.rowcount != 1:
        raise ConcurrentUpdate("Het initiatief is intussen door iemand anders gewijzigd.")
    row.row_version += 1
