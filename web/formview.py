"""Turns a form definition plus values and errors into what the form templates render.

Works without JavaScript: fields that depend on an answer in the same step are always shown,
with a hint saying when they are needed; fields that depend on an earlier step are shown
only when that answer makes them relevant.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms import Field, FieldError, FormDefinition, format_number


@dataclass(frozen=True)
class OptionView:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class FieldView:
    name: str
    html_id: str
    widget: str
    label: str
    help: str
    condition: str
    required: bool
    value: str
    error: str
    options: list[OptionView]
    input_type: str | None
    inputmode: str | None
    autocomplete: str | None
    max_length: int | None

    @property
    def described_by(self) -> str:
        ids = []
        if self.help or self.condition:
            ids.append(f"{self.html_id}-help")
        if self.error:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)


def _display(field: Field, value: Any, lang: str) -> str:
    if value is None or isinstance(value, list | dict):
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if field.widget == "money" and isinstance(value, int | float):
        return format_number(value, lang, money=True)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _options(field: Field, value: Any, lang: str) -> list[OptionView]:
    chosen = value if isinstance(value, list) else [value]
    options = [OptionView(_raw(o.value), o.label(lang), o.value in chosen) for o in field.options]
    if not options and field.widget == "radio" and field.type == "boolean":
        yes, no = ("Yes", "No") if lang == "en" else ("Ja", "Nee")
        options = [OptionView("true", yes, value is True), OptionView("false", no, value is False)]
    return options


def _raw(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _condition(definition: FormDefinition, field: Field, step_fields: Sequence[str], lang: str) -> str:
    show_if = field.show_if
    if show_if is None or show_if.field not in step_fields:
        return ""
    other = definition.fields[show_if.field]
    if other.widget == "checkbox":
        ticked = bool(show_if.equals)
        if lang == "en":
            return f"Only needed if you {'tick' if ticked else 'do not tick'} “{other.label(lang)}”."
        return f"Alleen nodig als u “{other.label(lang)}” {'aanvinkt' if ticked else 'niet aanvinkt'}."
    wanted = next((o.label(lang) for o in other.options if o.value == show_if.equals), None)
    if wanted is None:
        wanted = answer_text(other, show_if.equals, lang)
    if lang == "en":
        return f"Only needed if you answered “{wanted}” to “{other.label(lang)}”."
    return f"Alleen nodig als u bij “{other.label(lang)}” koos voor “{wanted}”."


def field_views(
    definition: FormDefinition,
    *,
    step: str | None,
    values: Mapping[str, Any],
    errors: Sequence[FieldError],
    lang: str,
    context: Mapping[str, Any] | None = None,
) -> list[FieldView]:
    """Views for the fields of ``step`` (or the whole form) in definition order."""
    known = dict(context or {}) | dict(values)
    by_field = {error.field: error.message for error in errors}
    step_fields = definition.field_names(step)
    views = []
    for field in definition.fields_for(step):
        same_step_condition = field.show_if is not None and field.show_if.field in step_fields
        if not same_step_condition and not definition.is_visible(field.name, known):
            continue
        value = values.get(field.name)
        views.append(
            FieldView(
                name=field.name,
                html_id=f"veld-{field.name}",
                widget=field.widget,
                label=field.label(lang),
                help=field.help(lang),
                condition=_condition(definition, field, step_fields, lang),
                required=definition.is_required(field.name, known) and not same_step_condition,
                value=_display(field, value, lang),
                error=by_field.get(field.name, ""),
                options=_options(field, value, lang),
                input_type=field.input_type,
                inputmode=field.inputmode,
                autocomplete=field.autocomplete,
                max_length=field.max_length,
            )
        )
    return views


def summary_rows(definition: FormDefinition, data: Mapping[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(step id, question, answer) for the summary page before sending."""
    rows = []
    for step_id in definition.step_ids():
        for field in definition.visible_fields(data, step_id):
            if field.widget == "hidden":
                continue
            rows.append((step_id, field.label(lang), answer_text(field, data.get(field.name), lang)))
    return rows


def answer_text(field: Field, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "(not answered)" if lang == "en" else "(niet ingevuld)"
    labels = {o.value: o.label(lang) for o in field.options}
    if isinstance(value, bool):
        return ("Yes" if value else "No") if lang == "en" else ("Ja" if value else "Nee")
    if isinstance(value, list):
        if field.widget == "file":
            return (f"{len(value)} file(s)" if lang == "en" else f"{len(value)} bestand(en)")
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field.widget == "money" and isinstance(value, int | float):
        return "€ " + format_number(value, lang, money=True)
    return str(labels.get(value, value))
