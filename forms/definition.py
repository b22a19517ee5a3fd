"""The field model of a form: what the renderer, the validator and the coercer read.

A form definition is a JSON file (see :mod:`forms.parse` for the format). It is parsed into
these frozen dataclasses. Texts are ``{"nl": ..., "en": ...}`` mappings; every ``label``,
``title`` and ``help`` helper falls back to Dutch when a language is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

Text = Mapping[str, str]
"""A translated text: language code -> text. ``nl`` is always the fallback."""

DEFAULT_LANG = "nl"

WIDGETS: tuple[str, ...] = (
    "text",
    "textarea",
    "email",
    "tel",
    "postcode",
    "number",
    "money",
    "date",
    "select",
    "radio",
    "checkbox",
    "checkboxes",
    "file",
    "hidden",
)
CHOICE_WIDGETS = frozenset({"select", "radio", "checkboxes"})
OPTION_SOURCES = frozenset({"districts", "guides"})
"""Where a choice field's options can come from instead of the form (``"options_from"``): the
application fills them in (``districts``: the districts the organisation has now; ``guides``: the
active guides, by their e-mail address)."""
MULTIPLE_WIDGETS = frozenset({"checkboxes", "file"})

# Attributes for an <input> per widget: (type, inputmode). None means "not an <input>".
_INPUT_TYPES: dict[str, tuple[str, str]] = {
    "text": ("text", ""),
    "email": ("email", "email"),
    "tel": ("tel", "tel"),
    "postcode": ("text", "text"),
    "number": ("text", "decimal"),
    "money": ("text", "decimal"),
    "date": ("date", ""),
    "hidden": ("hidden", ""),
    "file": ("file", ""),
    "checkbox": ("checkbox", ""),
}


def localize(text: Text | None, lang: str = DEFAULT_LANG) -> str:
    """The text in ``lang``, else in Dutch, else the first one there is, else ``""``."""
    if not text:
        return ""
    if text.get(lang):
        return text[lang]
    if text.get(DEFAULT_LANG):
        return text[DEFAULT_LANG]
    return next(iter(text.values()), "")


def schema_type(schema: Mapping[str, Any]) -> str | None:
    """The JSON type of a (sub)schema, ignoring ``"null"`` in a list of types."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        return next((kind for kind in declared if kind != "null" and isinstance(kind, str)), None)
    return None


@dataclass(frozen=True)
class Option:
    """One choice of a select, radio or checkboxes field."""

    value: Any
    labels: Text

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return localize(self.labels, lang) or str(self.value)


@dataclass(frozen=True)
class ShowIf:
    """Show (and require) a field only when another field has a given value."""

    field: str
    equals: Any

    def matches(self, value: Any) -> bool:
        if isinstance(value, list) and not isinstance(self.equals, list):
            return self.equals in value
        return bool(value == self.equals and type(value) is type(self.equals)) or (
            _is_number(value) and _is_number(self.equals) and value == self.equals
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Field:
    """One question on a form, with everything needed to render, coerce and validate it."""

    name: str
    widget: str
    labels: Text
    schema: Mapping[str, Any] = field(default_factory=dict)
    required: bool = False
    helps: Text = field(default_factory=dict)
    phrases: Text = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    show_if: ShowIf | None = None
    autocomplete: str | None = None
    messages: Mapping[str, Text] = field(default_factory=dict)
    options_from: str | None = None

    def label(self, lang: str = DEFAULT_LANG) -> str:
        return localize(self.labels, lang) or self.name

    def help(self, lang: str = DEFAULT_LANG) -> str:
        return localize(self.helps, lang)

    def phrase(self, lang: str = DEFAULT_LANG) -> str:
        """How error messages name this field inside a sentence, e.g. "uw naam", "het bedrag".

        Defaults to the label with a lower-case first letter (kept for abbreviations like "IBAN");
        for a label that is a question: 'het antwoord op "Wie bent u?"'.
        """
        explicit = localize(self.phrases, lang)
        if explicit:
            return explicit
        text = self.label(lang).strip()
        if self.is_question(lang):
            return f'the answer to "{text}"' if lang == "en" else f'het antwoord op "{text}"'
        text = text.rstrip(": ")
        if len(text) > 1 and text[0].isupper() and text[1].isupper():
            return text
        return text[:1].lower() + text[1:]

    def is_question(self, lang: str = DEFAULT_LANG) -> bool:
        """True when the label is a question ("Wie bent u?") and no ``phrase`` is given."""
        return not localize(self.phrases, lang) and "?" in self.label(lang)

    @property
    def type(self) -> str | None:
        """The JSON type of the value (``string``, ``number``, ``integer``, ``boolean``, ``array``)."""
        return schema_type(self.schema)

    @property
    def item_schema(self) -> Mapping[str, Any]:
        items = self.schema.get("items")
        return items if isinstance(items, Mapping) else {}

    @property
    def multiple(self) -> bool:
        """True when the value is a list (checkboxes, file)."""
        return self.widget in MULTIPLE_WIDGETS

    @property
    def input_type(self) -> str | None:
        """The ``type`` attribute for an ``<input>``; None for textarea, select, radio, checkboxes."""
        found = _INPUT_TYPES.get(self.widget)
        return found[0] if found else None

    @property
    def inputmode(self) -> str | None:
        """The ``inputmode`` attribute (a numeric keyboard for number and money), if any."""
        found = _INPUT_TYPES.get(self.widget)
        return found[1] if found and found[1] else None

    @property
    def max_length(self) -> int | None:
        value = self.schema.get("maxLength")
        return value if isinstance(value, int) else None

    @property
    def minimum(self) -> int | float | None:
        value = self.schema.get("minimum")
        return value if _is_number(value) else None

    @property
    def maximum(self) -> int | float | None:
        value = self.schema.get("maximum")
        return value if _is_number(value) else None

    def message(self, kind: str, lang: str = DEFAULT_LANG) -> str:
        """This field's own error text for ``kind`` (see ``forms.messages.KINDS``), or ``""``."""
        return localize(self.messages.get(kind), lang)


@dataclass(frozen=True)
class Step:
    """One page of a multi-page form."""

    id: str
    titles: Text
    fields: tuple[str, ...]

    def title(self, lang: str = DEFAULT_LANG) -> str:
        return localize(self.titles, lang)


class UnknownStep(KeyError):
    """The form has no step with this id."""


@dataclass(frozen=True)
class FormDefinition:
    """A parsed form definition. Build one with ``forms.parse_definition`` or ``FormRegistry.get``."""

    id: str
    titles: Text
    schema: Mapping[str, Any]
    fields: Mapping[str, Field]
    steps: tuple[Step, ...]
    descriptions: Text = field(default_factory=dict)

    def title(self, lang: str = DEFAULT_LANG) -> str:
        return localize(self.titles, lang) or self.id

    def description(self, lang: str = DEFAULT_LANG) -> str:
        return localize(self.descriptions, lang)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise UnknownStep(step_id)

    def with_options(self, field_name: str, options: Sequence[Option]) -> FormDefinition:
        """A copy whose field ``field_name`` offers exactly ``options``, and accepts only their
        values (for a field whose options come from elsewhere, ``options_from``)."""
        old = self.fields[field_name]
        values = [option.value for option in options]
        field_schema = dict(old.schema)
        if old.widget == "checkboxes":
            field_schema["items"] = {**dict(field_schema.get("items") or {}), "enum": values}
        else:
            field_schema["enum"] = values
        properties = dict(self.schema.get("properties") or {})
        properties[field_name] = field_schema
        return replace(self, schema={**self.schema, "properties": properties},
                       fields={**self.fields, field_name: replace(old, options=tuple(options), schema=field_schema)})

    def fields_with_options_from(self, source: str) -> list[str]:
        return [name for name, one in self.fields.items() if one.options_from == source]

    def with_option_labels(self, field_name: str, labels: Mapping[Any, Text]) -> FormDefinition:
        """A copy whose field ``field_name`` shows these labels for these option values (the
        values, and so what the form accepts, stay as they are)."""
        old = self.fields[field_name]
        options = tuple(replace(option, labels=labels.get(option.value, option.labels)) for option in old.options)
        return replace(self, fields={**self.fields, field_name: replace(old, options=options)})

    def step_ids(self) -> list[str]:
        return [step.id for step in self.steps]

    def next_step(self, step_id: str) -> str | None:
        """The id of the step after ``step_id``, or None on the last step."""
        ids = self.step_ids()
        index = ids.index(self.step(step_id).id)
        return ids[index + 1] if index + 1 < len(ids) else None

    def previous_step(self, step_id: str) -> str | None:
        """The id of the step before ``step_id``, or None on the first step."""
        ids = self.step_ids()
        index = ids.index(self.step(step_id).id)
        return ids[index - 1] if index > 0 else None

    def field_names(self, step: str | None = None) -> list[str]:
        """The fields of one step (in step order), or of the whole form when ``step`` is None."""
        if step is None:
            return [name for current in self.steps for name in current.fields if name in self.fields]
        return [name for name in self.step(step).fields if name in self.fields]

    def fields_for(self, step: str | None = None) -> list[Field]:
        return [self.fields[name] for name in self.field_names(step)]

    def file_fields(self, step: str | None = None) -> list[str]:
        """The names of the fields (of ``step``, or of the whole form) that take files."""
        return [field.name for field in self.fields_for(step) if field.widget == "file"]

    def is_visible(self, name: str, data: Mapping[str, Any]) -> bool:
        """False when a ``show_if`` (of this field, or of a field it depends on) does not match."""
        seen: set[str] = set()
        current: str | None = name
        while current is not None and current not in seen:
            seen.add(current)
            condition = self.fields[current].show_if if current in self.fields else None
            if condition is None:
                return True
            if not condition.matches(data.get(condition.field)):
                return False
            current = condition.field
        return current is None

    def is_required(self, name: str, data: Mapping[str, Any]) -> bool:
        """Required in the schema and not hidden by ``show_if``."""
        return self.fields[name].required and self.is_visible(name, data)

    def visible_fields(self, data: Mapping[str, Any], step: str | None = None) -> list[Field]:
        """The fields to render for ``data`` (hidden ``show_if`` fields left out)."""
        return [item for item in self.fields_for(step) if self.is_visible(item.name, data)]
