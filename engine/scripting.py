"""The script engine diagrams run in: the sandbox plus the loket's own functions, and
service tasks dispatched to handlers registered in ``processes/``."""

from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine import calendar, clock
from engine.handlers import HandlerContext, HandlerRegistry
from engine.limits import MAX_DAYS
from engine.sandbox import SandboxedEnvironment

_service_call: ContextVar[tuple[HandlerRegistry, HandlerContext] | None] = ContextVar(
    "_service_call", default=None
)



def _days(n: int) -> int:
    days = int(n)
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"een termijn moet tussen 0 en {MAX_DAYS} dagen liggen, niet {days}")
    return days


def werkdagen(n: int) -> str:
    """ISO datetime ``n`` working days from now (engine clock)."""
    return calendar.add_working_days(clock.now(), _days(n)).isoformat()


def dagen(n: int) -> str:
    """ISO datetime ``n`` calendar days from now (engine clock)."""
    return (clock.now() + timedelta(days=_days(n))).isoformat()


def nu() -> str:
    return clock.now().isoformat()


def vandaag() -> str:
    return clock.now().date().isoformat()


def euro(amount: float | int | str) -> str:
    """An amount as Dutch text: ``euro(1250.5)`` → ``"€ 1.250,50"``."""
    value = round(float(amount), 2)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):,.2f}".split(".")
    return f"€ {sign}{whole.replace(',', '.')},{cents}"


def datum(value: str, taal: str = "nl") -> str:
    """A date (ISO, e.g. a form's date answer) as people read it: ``datum('2026-12-10')`` →
    ``"10 december 2026"``, ``datum('2026-12-10', 'en')`` → ``"10 December 2026"``."""
    return calendar.day_in_words(date.fromisoformat(str(value)[:10]), taal)


DIAGRAM_FUNCTIONS: dict[str, Any] = {
    "datum": datum,
    "werkdagen": werkdagen,
    "dagen": dagen,
    "nu": nu,
    "vandaag": vandaag,
    "euro": euro,
}


class ServiceCallNotAllowed(RuntimeError):
    """A service task ran outside a job (should not happen; the stepper skips them)."""


class EngineEnvironment(SandboxedEnvironment):
    def call_service(self, context: dict[str, Any], **kwargs: Any) -> str:
        current = _service_call.get()
        if current is None:
            raise ServiceCallNotAllowed("service tasks only run as jobs")
        registry, ctx = current
        name = kwargs["operation_name"]
        handler = registry.get(name)
        if handler is None:
            raise LookupError(f"no handler registered as {name!r}")
        params = {key: spec.get("value") for key, spec in kwargs.get("operation_params", {}).items()}
        ctx.data = dict(context)
        return json.dumps(handler(ctx, params))


class EngineScriptEngine(PythonScriptEngine):
    def call_service(self, task: Any, **kwargs: Any) -> str:
        # The library's version refers to an undefined name when a handler fails; we want
        # the handler's own exception to reach the job runner.
        result: str = self.environment.call_service(task.data, **kwargs)
        return result


def make_engine_script_engine() -> EngineScriptEngine:
    return EngineScriptEngine(environment=EngineEnvironment(dict(DIAGRAM_FUNCTIONS)))


def service_call(registry: HandlerRegistry, ctx: HandlerContext) -> Any:
    """Context token: while set, service tasks dispatch to ``registry`` with ``ctx``."""
    return _service_call.set((registry, ctx))


def end_service_call(token: Any) -> None:
    _service_call.reset(token)
