"""Factories for form definitions in tests (keyword defaults, like GOV.UK Notify's create_*)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from forms import FormDefinition, parse_definition

BASE_DEFINITION: dict[str, Any] = {
    "id": "test",
    "title": {"nl": "Testformulier", "en": "Test form"},
    "description": {"nl": "Een formulier om te testen.", "en": "A form for testing."},
    "schema": {
        "type": "object",
        "properties": {
            "naam": {"type": "string", "maxLength": 200},
            "bedrag": {"type": "number", "minimum": 0},
            "wijk": {"type": "string", "enum": ["oost", "west", "centrum"]},
        },
        "required": ["naam"],
    },
    "fields": {
        "naam": {
            "label": {"nl": "Naam", "en": "Name"},
            "help": {"nl": "Uw voornaam en achternaam.", "en": "Your first and last name."},
            "phrase": {"nl": "uw naam", "en": "your name"},
            "widget": "text",
            "autocomplete": "name",
        },
        "bedrag": {
            "label": {"nl": "Bedrag", "en": "Amount"},
            "phrase": {"nl": "het bedrag", "en": "the amount"},
            "widget": "money",
        },
        "wijk": {
            "label": {"nl": "Wijk", "en": "District"},
            "phrase": {"nl": "een wijk", "en": "a district"},
            "widget": "select",
            "options": [
                {"value": "oost", "label": {"nl": "Oost", "en": "East"}},
                {"value": "west", "label": {"nl": "West", "en": "West"}},
                {"value": "centrum", "label": {"nl": "Centrum", "en": "Centre"}},
            ],
        },
    },
}


def create_definition_dict(**overrides: Any) -> dict[str, Any]:
    """The JSON of a small valid form; each keyword replaces one top-level part."""
    raw = copy.deepcopy(BASE_DEFINITION)
    raw.update(copy.deepcopy(overrides))
    return raw


def create_definition(**overrides: Any) -> FormDefinition:
    """A parsed small valid form (naam required, bedrag money, wijk select)."""
    return parse_definition(create_definition_dict(**overrides))


def create_field_dict(
    name: str = "veld",
    widget: str = "text",
    schema: dict[str, Any] | None = None,
    required: bool = False,
    **presentation: Any,
) -> dict[str, Any]:
    """The JSON of a form with one field; ``presentation`` adds keys to the field entry."""
    field: dict[str, Any] = {"label": {"nl": "Veld", "en": "Field"}, "widget": widget, **presentation}
    return create_definition_dict(
        schema={
            "type": "object",
            "properties": {name: schema if schema is not None else {"type": "string"}},
            "required": [name] if required else [],
        },
        fields={name: field},
    )


def create_field_form(
    name: str = "veld",
    widget: str = "text",
    schema: dict[str, Any] | None = None,
    required: bool = False,
    **presentation: Any,
) -> FormDefinition:
    """A parsed form with one field."""
    return parse_definition(create_field_dict(name, widget, schema, required, **presentation))


def write_definition(directory: Path, raw: Any, name: str | None = None) -> Path:
    """Write ``raw`` as ``<name or raw['id']>.json`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name or raw['id']}.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


# Two steps over the fields of create_definition(): "wie" (naam) and "wat" (wijk, bedrag).
TWO_STEPS = [
    {"id": "wie", "title": {"nl": "Over u", "en": "About you"}, "fields": ["naam"]},
    {"id": "wat", "title": {"nl": "Uw plan", "en": "Your plan"}, "fields": ["wijk", "bedrag"]},
]


def messages_of(errors: list[Any]) -> list[str]:
    """The sentences of a list of FieldErrors, in order."""
    return [error.message for error in errors]
