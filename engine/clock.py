"""The engine's clock: real time in production, a controlled clock in tests.

SpiffWorkflow reads ``datetime.now(timezone.utc)`` inside its timer module; we point that
module's ``datetime`` at :class:`_EngineDatetime` so timers follow this clock as well.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta, tzinfo

_lock = threading.Lock()
_frozen: datetime | None = None
_own_time: ContextVar[list[datetime] | None] = ContextVar("_own_time", default=None)


def now() -> datetime:
    """Current time (UTC, timezone-aware) according to the engine clock (or to the clock of the
    scenario running in this context, see :func:`own_clock`)."""
    own = _own_time.get()
    if own is not None:
        return own[0]
    frozen = _frozen
    return frozen if frozen is not None else datetime.now(UTC)


@contextmanager
def own_clock(moment: datetime) -> Iterator[list[datetime]]:
    """A clock of this context only (a scenario run in memory): the yielded one-item list holds
    its time; set ``[0]`` to move it. Other threads and requests keep the real clock."""
    current = [moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)]
    token = _own_time.set(current)
    try:
        yield current
    finally:
        _own_time.reset(token)


def set_time(moment: datetime | None) -> None:
    """Freeze the clock at ``moment`` (naive means UTC); ``None`` returns to real time."""
    global _frozen
    with _lock:
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        _frozen = moment


def advance(delta: timedelta) -> datetime:
    """Move a frozen clock forward (freezing it at real time first if needed)."""
    set_time(now() + delta)
    return now()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    previous = _frozen
    set_time(moment)
    try:
        yield
    finally:
        set_time(previous)


class _EngineDatetime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
        current = now()
        return current.astimezone(tz) if tz is not None else current.astimezone().replace(tzinfo=None)


def install_into_spiff() -> None:
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    timer.datetime = _EngineDatetime
