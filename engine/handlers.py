"""Service-task handlers, registered by name; diagrams call them through a service task.

`processes/` registers the handlers (``@handlers.register("name")``); the engine looks them
up when a service-task job runs and the validator checks that every name exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class HandlerContext:
    """What a handler may use. ``session`` is the step's own transaction: whatever the
    handler writes there is committed together with the step, or not at all."""

    session: Session
    instance_id: int
    case_ref: str
    data: dict[str, Any]
    now: datetime
    outbox: list[dict[str, Any]] = field(default_factory=list)

    def send_mail(self, template: str, to: str, context: dict[str, Any], lang: str = "nl") -> None:
        """Queue an e-mail in the outbox; it is sent by the worker after the commit."""
        self.outbox.append({"template": template, "to": to, "context": context, "lang": lang})


Handler = Callable[[HandlerContext, dict[str, Any]], Any]


class HandlerRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._database_only: set[str] = set()

    def register(self, name: str, *, database_only: bool = False) -> Callable[[Handler], Handler]:
        """``database_only``: the handler only reads and writes the database through its context
        (mail goes to the outbox), so the engine may run it inline, in the transaction of the step
        that made its service task due, instead of as a job of its own. A handler that talks to
        the outside world stays a job (retries, incidents). Should an inline run fail, the step is
        taken again without running it inline, so the task becomes a job after all."""

        def decorate(func: Handler) -> Handler:
            if name in self._handlers and self._handlers[name] is not func:
                raise ValueError(f"handler {name!r} is already registered")
            self._handlers[name] = func
            if database_only:
                self._database_only.add(name)
            else:
                self._database_only.discard(name)
            return func

        return decorate

    def database_only(self, name: str) -> bool:
        """Whether the handler ``name`` may run inline in a step (see :meth:`register`)."""
        return name in self._database_only and name in self._handlers

    def get(self, name: str) -> Handler | None:
        return self._handlers.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._handlers

    def names(self) -> list[str]:
        return sorted(self._handlers)


class HandlerFailed(Exception):
    """A handler may raise this with a message for the incident list."""
