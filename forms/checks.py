"""Find mistakes in a form definition before anyone fills it in.

:func:`check_definition` reports every mistake it finds, as sentences for the process owner:
a broken structure, a step naming an unknown field, options that do not match the schema's
``enum``, a schema that is not valid JSON Schema (Draft 2020-12), a missing Dutch text, a
widget that does not fit the value's type, a ``show_if`` pointing nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator

from forms.definition import CHOICE_WIDGETS, DEFAULT_LANG, OPTION_SOURCES, WIDGETS, Field, FormDefinition, Text
from forms.messages import KINDS
from forms.parse import enum_values, parse_definition
from forms.problems import DefinitionProblem, FormDefinitionError, problem

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")

WIDGET_TYPES: dict[str, tuple[str, ...]] = {
    "text": ("string",),
    "textarea": ("string",),
    "email": ("string",),
    "tel": ("string",),
    "postcode": ("string",),
    "date": ("string",),
    "number": ("number", "integer"),
    "money": ("number", "integer"),
    "select": ("string", "integer", "number"),
    "radio": ("string", "integer", "number", "boolean"),
    "checkbox": ("boolean",),
    "checkboxes": ("array",),
    "file": ("array",),
    "hidden": ("string", "integer", "number", "boolean"),
}

_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def _quote(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


def _text_problem(text: Text, where: str, needed: bool = True) -> Iterator[DefinitionProblem]:
    if (needed or text) and not text.get(DEFAULT_LANG, "").strip():
        yield problem("missing_nl", where=where)


def _check_id(definition: FormDefinition, expected_id: str | None) -> Iterator[DefinitionProblem]:
    if not ID_PATTERN.fullmatch(definition.id):
        yield problem("bad_id", id=definition.id)
    if expected_id is not None and definition.id != expected_id:
        yield problem("id_mismatch", id=definition.id, file=expected_id)


def _check_form_texts(definition: FormDefinition, explicit_steps: bool) -> Iterator[DefinitionProblem]:
    yield from _text_problem(definition.titles, "title")
    yield from _text_problem(definition.descriptions, "description", needed=False)
    for step in definition.steps if explicit_steps else ():
        yield from _text_problem(step.titles, f"steps.{step.id}.title")


def _check_schema(schema: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
    errors = sorted(_META.iter_errors(schema), key=lambda error: error.json_path)
    for error in errors:
        yield problem("schema_invalid", path=error.json_path, detail=error.message)
    if errors:
        return
    properties = schema.get("properties")
    if schema.get("type") != "object" or not isinstance(properties, Mapping):
        yield problem("schema_not_object")
        return
    for name in schema.get("required", []):
        if name not in properties:
            yield problem("required_unknown", field=name)


def _check_steps(definition: FormDefinition, explicit_steps: bool) -> Iterator[DefinitionProblem]:
    seen_steps: set[str] = set()
    placed: dict[str, int] = {}
    for step in definition.steps:
        if step.id in seen_steps:
            yield problem("duplicate_step", step=step.id)
        seen_steps.add(step.id)
        for name in step.fields:
            if name not in definition.fields:
                yield problem("step_unknown_field", step=step.id, field=name)
            placed[name] = placed.get(name, 0) + 1
    for name in definition.fields if explicit_steps else ():
        if name not in placed:
            yield problem("field_in_no_step", field=name)
        elif placed[name] > 1:
            yield problem("field_in_two_steps", field=name)


def _check_properties(definition: FormDefinition) -> Iterator[DefinitionProblem]:
    properties = definition.schema.get("properties")
    if not isinstance(properties, Mapping):
        return
    for name in properties:
        if name not in definition.fields:
            yield problem("property_without_field", field=name)
    for name in definition.fields:
        if name not in properties:
            yield problem("field_not_in_schema", field=name)


def _check_field_texts(field: Field, raw: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
    where = f"fields.{field.name}"
    yield from _text_problem(field.labels, f"{where}.label", needed=field.widget != "hidden")
    yield from _text_problem(field.helps, f"{where}.help", needed=False)
    yield from _text_problem(field.phrases, f"{where}.phrase", needed=False)
    for option in field.options if "options" in raw else ():
        yield from _text_problem(option.labels, f"{where}.options[{_quote(option.value)}].label")
    for kind, text in field.messages.items():
        if kind not in KINDS:
            yield problem("unknown_message_kind", field=field.name, kind=kind, choices=", ".join(sorted(KINDS)))
        yield from _text_problem(text, f"{where}.messages.{kind}")


def _check_widget(field: Field) -> Iterator[DefinitionProblem]:
    if field.widget not in WIDGETS:
        yield problem("unknown_widget", field=field.name, widget=field.widget, choices=", ".join(WIDGETS))
        return
    if not field.schema:
        return  # reported as field_not_in_schema
    if field.type is None:
        yield problem("missing_type", field=field.name)
    elif field.type in _JSON_TYPES and field.type not in WIDGET_TYPES[field.widget]:
        expected = ", ".join(WIDGET_TYPES[field.widget])
        yield problem("widget_type", field=field.name, widget=field.widget, type=field.type, expected=expected)


def _check_options_from(field: Field, raw: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
    """Options the application fills in: from a source it knows, and not also in the form."""
    if field.options_from not in OPTION_SOURCES:
        yield problem("options_from_unknown", field=field.name, source=_quote(field.options_from),
                      known=", ".join(sorted(OPTION_SOURCES)))
    elif "options" in raw:
        yield problem("options_and_options_from", field=field.name)


def _check_options(field: Field, raw: Mapping[str, Any]) -> Iterator[DefinitionProblem]:
    if field.widget not in CHOICE_WIDGETS:
        if "options" in raw or field.options_from is not None:
            yield problem("options_not_allowed", field=field.name)
        return
    if field.options_from is not None:
        yield from _check_options_from(field, raw)
        return
    enum = enum_values(field.schema, field.widget)
    if enum is None:
        yield problem("no_enum", field=field.name, widget=field.widget)
        return
    values = [option.value for option in field.options]
    for value in values:
        if value not in enum:
            yield problem("option_not_in_enum", field=field.name, value=_quote(value))
    for value in enum:
        if value not in values:
            yield problem("enum_without_option", field=field.name, value=_quote(value))


def _value_schema(target: Field, equals: Any) -> Mapping[str, Any]:
    """The schema the ``equals`` of a ``show_if`` on ``target`` must satisfy."""
    if target.multiple and not isinstance(equals, list):
        return target.item_schema
    return target.schema


def _check_show_if(definition: FormDefinition, field: Field) -> Iterator[DefinitionProblem]:
    condition = field.show_if
    if condition is None:
        return
    target = definition.fields.get(condition.field)
    if target is None:
        yield problem("show_if_unknown", field=field.name, target=condition.field)
        return
    if _in_cycle(definition, field.name):
        yield problem("show_if_cycle", field=field.name)
        return
    schema = _value_schema(target, condition.equals)
    if schema and _META.is_valid(schema) and not Draft202012Validator(schema).is_valid(condition.equals):
        yield problem("show_if_value", field=field.name, value=_quote(condition.equals), target=target.name)


def _in_cycle(definition: FormDefinition, name: str) -> bool:
    seen: set[str] = set()
    current: str | None = name
    while current is not None and current in definition.fields:
        if current in seen:
            return True
        seen.add(current)
        condition = definition.fields[current].show_if
        current = condition.field if condition else None
    return False


def _raw_fields(raw: Any) -> Mapping[str, Any]:
    fields = raw.get("fields") if isinstance(raw, Mapping) else None
    return fields if isinstance(fields, Mapping) else {}


def find_problems(raw: Any, expected_id: str | None = None) -> list[DefinitionProblem]:
    """Every mistake in the JSON of one form definition (empty list: the form is fine)."""
    try:
        definition = parse_definition(raw)
    except FormDefinitionError as exc:
        return list(exc.problems)
    explicit_steps = "steps" in raw
    raw_fields = _raw_fields(raw)
    found = [
        *_check_id(definition, expected_id),
        *_check_form_texts(definition, explicit_steps),
        *_check_schema(definition.schema),
        *_check_steps(definition, explicit_steps),
        *_check_properties(definition),
    ]
    for field in definition.fields.values():
        raw_field = raw_fields.get(field.name, {})
        found.extend(_check_field_texts(field, raw_field))
        found.extend(_check_widget(field))
        found.extend(_check_options(field, raw_field))
        found.extend(_check_show_if(definition, field))
    return found


def check_definition(raw: Any, lang: str = DEFAULT_LANG, expected_id: str | None = None) -> list[str]:
    """:func:`find_problems` as sentences in ``lang`` (Dutch by default)."""
    return [found.message(lang) for found in find_problems(raw, expected_id)]
