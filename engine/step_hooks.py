"""Projections the application keeps of its instances, written by every step in the step's own
transaction (as the engine keeps its running counters, :mod:`engine.running`).

The engine knows nothing of what such a projection holds: after a step has worked out its writes
it calls each hook with what the step did (:class:`StepDone`) and a :class:`StepSql` that adds
statements to the step's batch. They go to the database with the step's own writes (on
PostgreSQL in the same round trip, before the COMMIT), so a projection is never behind or ahead
of the instances: when the step fails, nothing of it is stored either."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.instance_store import InstanceRow
from engine.rawsql import RawSql


@dataclass(frozen=True)
class StepDone:
    """What one step of one instance did."""

    instance_id: int
    case_ref: str
    process_id: str
    state: str
    """The instance's state after the step (running, completed, cancelled)."""
    case_data: Mapping[str, Any]
    """The case data after the step."""
    events: Sequence[Mapping[str, Any]]
    """The audit events the step wrote: ``kind``, ``at``, ``actor``, ``detail`` (a dict or None)."""
    created_at: datetime | None
    """When the instance was created, if this step created it (the start); None on later steps."""
    at: datetime
    """The step's time (the instance's ``updated_at``)."""


class StepSql:
    """The writes a hook may add to the step's batch: statements with ``?`` placeholders whose
    results nobody reads (on PostgreSQL they are sent later, together)."""

    def __init__(self, raw: RawSql) -> None:
        self._raw = raw

    @property
    def sqlite(self) -> bool:
        return self._raw.sqlite

    def run(self, text: str, params: Sequence[Any]) -> None:
        self._raw.run(text, params)

    def many(self, text: str, rows: Sequence[Sequence[Any]]) -> None:
        """One INSERT of several rows (``text`` inserts one: ``... VALUES (?, ...)``)."""
        self._raw.many(text, rows)

    def time(self, value: datetime | None) -> Any:
        """A timestamp as the engine's ``UtcDateTime`` columns store it."""
        return self._raw.time(value)

    def flag(self, value: bool) -> Any:
        return self._raw.flag(value)


StepHook = Callable[[StepSql, StepDone], None]
"""Called inside every step's transaction, after the step's own writes were worked out; what it
raises fails the step (nothing is stored)."""


def run_hooks(hooks: Sequence[StepHook], raw: RawSql, done: StepDone) -> None:
    if not hooks:
        return
    sql = StepSql(raw)
    for hook in hooks:
        hook(sql, done)


def step_done(row: InstanceRow, events: Sequence[Mapping[str, Any]], at: datetime) -> StepDone:
    """From the step's instance row, before it is saved."""
    return StepDone(row.id, row.case_ref, row.process_id, row.state, row.case_data, tuple(events),
                    row.new.created_at if row.new is not None else None, at)


__all__ = ["StepDone", "StepHook", "StepSql", "run_hooks", "step_done"]
