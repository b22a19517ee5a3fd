"""Trying diagram expressions at validation time: timer expressions are evaluated in the
sandbox with stand-in functions, and the value must parse the way SpiffWorkflow's timers do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.limits import MAX_DAYS
from engine.sandbox import Message, SandboxedEnvironment

# --- previewing expressions at validation time ------------------------------------------------

PREVIEW_NOW = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday; only used to try expressions
MAX_TIMER_MONTHS = 12 * 100
TimerKind = Literal["timeDate", "timeDuration", "timeCycle"]


def _preview_days(limit: int, per_week: int) -> Callable[[Any], str]:
    def shift(n: Any) -> str:
        days = int(n)
        if not 0 <= days <= limit:
            raise ValueError(f"een termijn moet tussen 0 en {limit} dagen liggen, niet {days}")
        return (PREVIEW_NOW + timedelta(days=days + (7 - per_week) * (days // per_week))).isoformat()

    return shift


# Stand-ins for the diagram functions with the same names and result shapes, so that
# expressions can be tried without a clock, a calendar or a running instance.
PREVIEW_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "werkdagen": _preview_days(MAX_DAYS, 5),
    "dagen": _preview_days(MAX_DAYS, 7),
    "nu": lambda: PREVIEW_NOW.isoformat(),
    "vandaag": lambda: PREVIEW_NOW.date().isoformat(),
}


def preview_evaluate(expression: str, data: Mapping[str, Any] | None = None) -> Any:
    """Evaluate ``expression`` in the sandbox with :data:`PREVIEW_FUNCTIONS` (for validation)."""
    return SandboxedEnvironment(PREVIEW_FUNCTIONS).evaluate(expression, dict(data or {}))


def _bounded_duration(text: str) -> None:
    parsed = TimerEventDefinition.parse_iso_duration(text)
    if parsed.get("years", 0) * 12 + parsed.get("months", 0) > MAX_TIMER_MONTHS:
        raise ValueError("longer than 100 years")  # SpiffWorkflow loops once per month
    TimerEventDefinition.get_timedelta_from_start(parsed, PREVIEW_NOW)


def _parse_timer_value(kind: TimerKind, value: str) -> None:
    """Raise unless ``value`` is what SpiffWorkflow's TimerEventDefinition accepts for ``kind``."""
    if kind == "timeDuration":
        _bounded_duration(value)
    elif kind == "timeDate":
        if not isinstance(TimerEventDefinition.parse_time_or_duration(value), datetime):
            raise ValueError("not a date/time")
    else:
        for part in value.upper().replace("--", "/").strip("R").split("/")[1:]:
            if part.startswith("P"):
                _bounded_duration(part)
        TimerEventDefinition.parse_iso_recurring_interval(value)


def _unknown_name(text: str, kind: TimerKind, name: str) -> Message:
    try:
        _parse_timer_value(kind, text)
    except Exception:
        return f"'{name}' is nog niet bekend als de timer start.", f"'{name}' is not known when the timer starts."
    return (  # an ISO value written without quotes, as other modelers do
        f'zet de waarde tussen aanhalingstekens: "{text}".',
        f'put the value between quotes: "{text}".',
    )


def preview_timer(expression: str, kind: TimerKind) -> Message | None:
    """Why a timer expression gives no valid value for ``kind``, as (Dutch, English); else None.

    The expression is evaluated with :data:`PREVIEW_FUNCTIONS`; the value must parse the way
    SpiffWorkflow's timer event definitions parse it (ISO 8601 date, duration or cycle).
    """
    try:
        value = preview_evaluate(expression)
    except NameError as error:
        return _unknown_name(expression.strip(), kind, getattr(error, "name", None) or str(error))
    except Exception as error:
        detail = f"{error.__class__.__name__}: {error}"[:200]
        return f"de expressie geeft een fout ({detail}).", f"the expression fails ({detail})."
    if not isinstance(value, str):
        return f"de uitkomst {value!r:.80} is geen tekst.", f"the result {value!r:.80} is not text."
    try:
        _parse_timer_value(kind, value)
    except Exception:
        return (
            f"'{value:.80}' is geen geldige ISO 8601-waarde.",
            f"'{value:.80}' is not a valid ISO 8601 value.",
        )
    return None
