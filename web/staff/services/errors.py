"""Errors the staff services raise on purpose; the views turn them into pages."""

from __future__ import annotations


class StaffError(Exception):
    """Base class of the staff workspace's domain errors."""


class AccessDenied(StaffError):
    """This user may not see or do this (HTTP 403)."""


class TaskGone(StaffError):
    """The task is not open (any more) and nobody completed it: it was withdrawn or never existed."""


class NotAllowedHere(StaffError):
    """The action does not fit this task or case (e.g. asking for information on a task whose
    form has no such question). ``code`` names the reason for the view."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


class AccountInvalid(StaffError):
    """An account or password form has problems: ``problems`` maps a field (``name``, ``email``,
    ``roles``, ``teams``, ``district``, ``password``, ``current``, ``new``, ``repeat``) to a reason
    code; nothing was changed."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(", ".join(f"{field}: {code}" for field, code in problems.items()))


class OrganisationInvalid(StaffError):
    """A form of organisation data (district, team, guide, budget, fund) has problems: ``problems``
    maps a form field to a reason code; nothing was changed."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(", ".join(f"{field}: {code}" for field, code in problems.items()))


class UnknownAccount(StaffError):
    """No staff account with this id (HTTP 404)."""
