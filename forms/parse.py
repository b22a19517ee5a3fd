"""Turn the JSON of a form definition into :class:`forms.definition.FormDefinition`.

Format (``bpmn_models/forms/<id>.json``)::

    {
      "id": "intake",                                    # lower-case letters, digits, - and _
      "title": {"nl": "...", "en": "..."},
      "description": {"nl": "...", "en": "..."},         # optional
      "steps": [{"id": "wie", "title": {...}, "fields": ["naam", ...]}],   # optional
      "schema": {"type": "object", "properties": {...}, "required": [...]},
      "fields": {
        "naam": {
          "label": {"nl": "Naam", "en": "Name"},
          "help": {...},                                 # optional hint under the label
          "phrase": {"nl": "uw naam", "en": "your name"},   # optional, used in error messages
          "widget": "text",                              # optional, guessed from the schema
          "autocomplete": "name",                        # optional
          "options": [{"value": "oost", "label": {...}}],  # select, radio, checkboxes
          "show_if": {"field": "soort", "equals": "bewoner"},  # optional
          "messages": {"required": {"nl": "...", "en": "..."}}  # optional own error texts
        }
      }
    }

This module only rejects a broken *structure* (wrong JSON types, missing parts). Mistakes in
content (unknown fields in a step, options not matching the enum, ...) are reported by
:func:`forms.checks.check_definition`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.definition import (
    CHOICE_WIDGETS,
    Field,
    FormDefinition,
    Option,
    ShowIf,
    Step,
    Text,
    schema_type,
)
from forms.problems import FormDefinitionError, problem

DEFAULT_STEP_ID = "main"
_YES_NO: dict[Any, Text] = {True: {"nl": "Ja", "en": "Yes"}, False: {"nl": "Nee", "en": "No"}}


def _fail(code: str, **params: object) -> FormDefinitionError:
    return FormDefinitionError([problem(code, **params)])


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail("not_object", where=where)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail("not_list", where=where)
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _fail("not_text", where=where)
    return value


def _required(raw: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in raw:
        raise _fail("missing_key", where=where, key=key)
    return raw[key]


def parse_text(value: Any, where: str) -> Text:
    """A translated text ``{"nl": ..., "en": ...}``; a bare string counts as Dutch."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"nl": value}
    texts = _mapping(value, where)
    return {lang: _string(text, f"{where}.{lang}") for lang, text in texts.items()}


def guess_widget(schema: Mapping[str, Any]) -> str:
    """The widget used when a field does not name one."""
    kind = schema_type(schema)
    if kind == "boolean":
        return "checkbox"
    if kind in ("number", "integer"):
        return "number"
    if kind == "array":
        return "checkboxes"
    if "enum" in schema:
        return "select"
    if schema.get("format") == "date":
        return "date"
    if schema.get("format") == "email":
        return "email"
    return "text"


def enum_values(prop: Mapping[str, Any], widget: str) -> list[Any] | None:
    """The enum of a choice field (of its items for checkboxes), or None."""
    source = prop.get("items") if widget == "checkboxes" else prop
    if not isinstance(source, Mapping):
        return None
    if isinstance(source.get("enum"), list):
        return list(source["enum"])
    if schema_type(source) == "boolean":
        return [True, False]
    return None


def _parse_options(raw: Any, where: str, prop: Mapping[str, Any], widget: str) -> tuple[Option, ...]:
    if raw is None:
        if widget not in CHOICE_WIDGETS:
            return ()
        values = enum_values(prop, widget) or []
        return tuple(Option(value, _YES_NO[value] if isinstance(value, bool) else {}) for value in values)
    options = []
    for index, item in enumerate(_list(raw, f"{where}.options")):
        spot = f"{where}.options[{index}]"
        entry = _mapping(item, spot)
        options.append(Option(_required(entry, "value", spot), parse_text(entry.get("label"), spot)))
    return tuple(options)


def _parse_show_if(raw: Any, where: str) -> ShowIf | None:
    if raw is None:
        return None
    spot = f"{where}.show_if"
    entry = _mapping(raw, spot)
    target = _string(_required(entry, "field", spot), f"{spot}.field")
    return ShowIf(target, _required(entry, "equals", spot))


def _parse_messages(raw: Any, where: str) -> dict[str, Text]:
    if raw is None:
        return {}
    spot = f"{where}.messages"
    return {kind: parse_text(text, f"{spot}.{kind}") for kind, text in _mapping(raw, spot).items()}


def _optional_string(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    return None if value is None else _string(value, f"{where}.{key}")


def parse_field(name: str, raw: Any, schema: Mapping[str, Any]) -> Field:
    where = f"fields.{name}"
    entry = _mapping(raw, where)
    properties = schema.get("properties")
    prop = properties.get(name) if isinstance(properties, Mapping) else None
    prop = prop if isinstance(prop, Mapping) else {}
    widget = _optional_string(entry, "widget", where) or guess_widget(prop)
    required = schema.get("required")
    return Field(
        name=name,
        widget=widget,
        labels=parse_text(entry.get("label"), f"{where}.label"),
        schema=prop,
        required=isinstance(required, list) and name in required,
        helps=parse_text(entry.get("help"), f"{where}.help"),
        phrases=parse_text(entry.get("phrase"), f"{where}.phrase"),
        options=_parse_options(entry.get("options"), where, prop, widget),
        show_if=_parse_show_if(entry.get("show_if"), where),
        options_from=_optional_string(entry, "options_from", where),
        autocomplete=_optional_string(entry, "autocomplete", where),
        messages=_parse_messages(entry.get("messages"), where),
    )


def _parse_steps(raw: Any, titles: Text, field_names: list[str]) -> tuple[Step, ...]:
    if raw is None:
        return (Step(DEFAULT_STEP_ID, titles, tuple(field_names)),)
    steps = []
    for index, item in enumerate(_list(raw, "steps")):
        where = f"steps[{index}]"
        entry = _mapping(item, where)
        step_id = _string(_required(entry, "id", where), f"{where}.id")
        names = _list(_required(entry, "fields", where), f"{where}.fields")
        step_fields = tuple(_string(name, f"{where}.fields") for name in names)
        steps.append(Step(step_id, parse_text(entry.get("title"), f"{where}.title"), step_fields))
    return tuple(steps)


def parse_definition(raw: Any) -> FormDefinition:
    """Parse the JSON of one form; raises ``FormDefinitionError`` on a broken structure."""
    top = _mapping(raw, "Het formulier / the form")
    form_id = _string(_required(top, "id", "form"), "id")
    titles = parse_text(_required(top, "title", "form"), "title")
    schema = _mapping(_required(top, "schema", "form"), "schema")
    raw_fields = _mapping(_required(top, "fields", "form"), "fields")
    fields = {name: parse_field(name, entry, schema) for name, entry in raw_fields.items()}
    return FormDefinition(
        id=form_id,
        titles=titles,
        schema=schema,
        fields=fields,
        steps=_parse_steps(top.get("steps"), titles, list(fields)),
        descriptions=parse_text(top.get("description"), "description"),
    )
