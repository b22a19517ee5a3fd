"""The error type shared by coercion and validation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """A message for one field. ``field`` is the field name ("" for the form as a whole)."""

    field: str
    message: str
