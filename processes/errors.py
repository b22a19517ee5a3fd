"""Errors the use cases raise on purpose; the views turn them into pages. The engine's errors a
use case lets through (``NotFound``, ``TaskAlreadyCompleted`` …) are part of the same contract and
are named here too, so a view never imports the engine."""

from __future__ import annotations

from collections.abc import Mapping

from engine import (
    ConcurrentUpdate,
    EngineError,
    InvalidTaskData,
    MailNotSent,
    MessageNotExpected,
    ModelInvalid,
    NotFound,
    TaskAlreadyCompleted,
)

__all__ = [
    "AccessDenied", "AccountInvalid", "ConcurrentUpdate", "EngineError", "InvalidInput", "InvalidTaskData",
    "MailNotSent", "MessageNotExpected", "ModelInvalid", "NotAllowedHere", "NotFound", "OrganisationInvalid", "Refused",
    "StartUnavailable", "TaskAlreadyCompleted", "TaskGone", "UnknownAccount", "UseCaseError",
]


class UseCaseError(Exception):
    """Base class of the application's domain errors."""


class AccessDenied(UseCaseError):
    """This user may not see or do this (HTTP 403)."""


class TaskGone(UseCaseError):
    """The task is not open (any more) and nobody completed it: it was withdrawn or never existed."""


class UnknownAccount(UseCaseError):
    """No staff account with this id (HTTP 404)."""


class StartUnavailable(UseCaseError):
    """No initiative can be started: the process is not deployed or names no start form."""


class Refused(UseCaseError):
    """The request cannot be done as asked; ``code`` names why, for the view's sentence."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


class NotAllowedHere(Refused):
    """The action does not fit this task, case or account as it is now (e.g. asking for
    information on a task whose form has no such question, or switching off one's own account)."""


class InvalidInput(Refused):
    """What was filled in cannot be used: ``problems`` maps a form field to a reason code;
    nothing was changed. ``code`` is the first problem's."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__(next(iter(self.problems.values()), "invalid"))
        self.args = (", ".join(f"{field}: {code}" for field, code in self.problems.items()),)


class AccountInvalid(InvalidInput):
    """An account or password form has problems (fields ``name``, ``email``, ``roles``, ``teams``,
    ``district``, ``password``, ``current``, ``new``, ``repeat``)."""


class OrganisationInvalid(InvalidInput):
    """A form of organisation data (district, team, guide, budget, fund) has problems."""
