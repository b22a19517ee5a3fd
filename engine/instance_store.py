"""The instance row on the hot path, written through :class:`engine.rawsql.RawSql`: a new
instance gets its id first and its row written once, with the start; a step saves with one
UPDATE guarded by the row version. The ORM model :class:`engine.tables.ProcessInstance`
describes the same table for everything else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from psycopg.errors import DivisionByZero

from engine.errors import ConcurrentUpdate, NotFound
from engine.rawsql import RawSql

CHANGED_MEANWHILE = "Het initiatief is intussen door iemand anders gewijzigd."

_HEAD = ("SELECT id, case_ref, model_version_id, process_id, state, has_incident, title, status_text, "
         "status_text_en, row_version FROM process_instance WHERE id = ?")
_LOCKED = _HEAD + " FOR UPDATE"
_STATE = "SELECT workflow_state FROM process_instance WHERE id = ?"
_COLUMNS = ("case_ref, model_version_id, process_id, state, has_incident, title, initiator, status_text, "
            "status_text_en, case_data, workflow_state, row_version, created_at, updated_at, started_by")
# A new instance takes the process's latest model version and an id, and its row is written
# once, by the start's save. PostgreSQL takes the id from the sequence. On SQLite every engine
# transaction holds the write lock from its BEGIN IMMEDIATE, so the next id is simply the
# highest plus one, as SQLite itself would choose it.
_RESERVE_PG = (
    "SELECT nextval(pg_get_serial_sequence('process_instance', 'id')), latest.id FROM "
    "(SELECT id FROM model_version WHERE process_id = ? ORDER BY version_no DESC LIMIT 1) AS latest"
)
_RESERVE_SQLITE = (
    "SELECT (SELECT coalesce(max(id), 0) + 1 FROM process_instance), latest.id FROM "
    "(SELECT id FROM model_version WHERE process_id = ? ORDER BY version_no DESC LIMIT 1) AS latest"
)
_INSERT = (
    f"INSERT INTO process_instance (id, {_COLUMNS}) "  # noqa: S608 - fixed column list
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# A step writes only what a step can change: case reference and title are set once, the
# incident flag is changed elsewhere (through the ORM, which bumps the row version too), and
# the indexed state column only when it changed, so no index is rewritten for nothing.
_SAVE = (
    "UPDATE process_instance SET status_text = ?, status_text_en = ?, case_data = ?, workflow_state = ?, "
    "updated_at = ?, row_version = ? WHERE id = ? AND row_version = ?"
)
_SAVE_WITH_STATE = _SAVE.replace(" WHERE ", ", state = ? WHERE ")


def _guarded(update: str) -> str:
    """PostgreSQL sends a step's writes and its COMMIT in one go, so nobody can look at the row
    count in between: when no row matched (another step saved first) the division by zero
    aborts the transaction by itself, and the rest of the step is never stored."""
    return f"WITH saved AS ({update} RETURNING 1) SELECT 1 / count(*) FROM saved"  # noqa: S608 - fixed text


_SAVE_GUARDED = _guarded(_SAVE)
_SAVE_WITH_STATE_GUARDED = _guarded(_SAVE_WITH_STATE)


@dataclass(frozen=True)
class NewRow:
    """What only the first write of a new instance sets."""

    initiator: str | None
    started_by: str
    created_at: datetime


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
    # Set until the row is first written (by the start's save).
    new: NewRow | None = None
    # The state and version as stored (a step that changes ``state`` writes it; moving to
    # another version writes ``model_version_id`` itself).
    stored_state: str = ""
    stored_version_id: int = 0

    def __post_init__(self) -> None:
        self.stored_state = self.stored_state or self.state
        self.stored_version_id = self.stored_version_id or self.model_version_id


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


def create_row(
    raw: RawSql, *, process_id: str, title: str | None, data: dict[str, Any],
    actor: str, now: datetime, initiator: str | None = None,
) -> InstanceRow:
    """A new running instance on the latest version of ``process_id``, with its id (the caller
    gives it its case reference); the step that follows writes it (:func:`saving`).
    NotFound if that process was never deployed."""
    found = raw.one(_RESERVE_SQLITE if raw.sqlite else _RESERVE_PG, (process_id,))
    if found is None:
        raise NotFound(f"Er is geen proces '{process_id}' in gebruik.")
    instance_id, version_id = int(found[0]), int(found[1])
    return InstanceRow(instance_id, "", version_id, process_id, "running", False, title, None, None, 0, data,
                       new=NewRow(initiator, actor, now))


@contextmanager
def saving(raw: RawSql, row: InstanceRow, workflow_state: bytes, now: datetime, *, commit: bool) -> Iterator[None]:
    """Write the row if it still has the version it was read at, then what the block writes,
    as one batch (see :meth:`RawSql.batch`); raise :class:`ConcurrentUpdate` if another step
    saved first. The row write goes first: it takes the instance's row lock before any other
    write, so two racing steps queue on one lock instead of deadlocking."""
    try:
        with raw.batch(commit=commit):
            if row.new is not None:
                _insert(raw, row, row.new, workflow_state, now)
            else:
                _update(raw, row, workflow_state, now)
            yield
    except DivisionByZero as exc:
        raise ConcurrentUpdate(CHANGED_MEANWHILE) from exc
    row.row_version += 1
    row.new = None
    row.stored_state = row.state
    row.stored_version_id = row.model_version_id


def _update(raw: RawSql, row: InstanceRow, workflow_state: bytes, now: datetime) -> None:
    changes: tuple[Any, ...] = (row.status_text, row.status_text_en, raw.json(row.case_data), workflow_state,
                                raw.time(now), row.row_version + 1)
    if row.state != row.stored_state:
        plain, guarded, changes = _SAVE_WITH_STATE, _SAVE_WITH_STATE_GUARDED, (*changes, row.state)
    else:
        plain, guarded = _SAVE, _SAVE_GUARDED
    params = (*changes, row.id, row.row_version)
    if not raw.sqlite:
        raw.run(guarded, params)
    elif raw.run(plain, params).rowcount != 1:
        raise ConcurrentUpdate(CHANGED_MEANWHILE)


def _insert(raw: RawSql, row: InstanceRow, new: NewRow, workflow_state: bytes, now: datetime) -> None:
    raw.run(_INSERT, (
        row.id, row.case_ref, row.model_version_id, row.process_id, row.state, raw.flag(row.has_incident), row.title,
        new.initiator, row.status_text, row.status_text_en, raw.json(row.case_data), workflow_state,
        row.row_version + 1, raw.time(new.created_at), raw.time(now), new.started_by,
    ))
