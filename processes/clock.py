"""The application's clock: the engine's, so the pages, the use cases and the timers in the
diagrams agree on the time (and a test that freezes it freezes all of them)."""

from __future__ import annotations

from datetime import datetime

from engine import now as engine_now


def now() -> datetime:
    """Current time (UTC, timezone-aware)."""
    return engine_now()
