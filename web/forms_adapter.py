"""Connects the form definitions in ``forms/`` to the engine (which forms exist, and
whether data submitted for a task satisfies its form)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms import FieldError, FormNotFound, FormRegistry, validate


class FormsAdapter:
    def __init__(self, directory: Path) -> None:
        self.registry = FormRegistry(directory)

    @classmethod
    def default(cls) -> FormsAdapter:
        from processes import FORMS_DIR

        return cls(FORMS_DIR)

    def exists(self, form_id: str) -> bool:
        return self.registry.exists(form_id)

    def errors(self, form_id: str, data: dict[str, Any]) -> list[FieldError]:
        try:
            definition = self.registry.get(form_id)
        except FormNotFound:
            return [FieldError(field="", message=f"Het formulier '{form_id}' bestaat niet.")]
        return validate(definition, data)
