"""Mistakes in form definitions, described for the process owner (Dutch first, English second).

A :class:`DefinitionProblem` is a code plus parameters, so the same mistake can be told in either
language. :class:`FormDefinitionError` carries one or more of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# code -> {"nl": template, "en": template}; placeholders are {name} and replaced literally.
TEMPLATES: dict[str, dict[str, str]] = {
    "not_object": {
        "nl": "{where} moet een JSON-object zijn ({...}).",
        "en": "{where} must be a JSON object ({...}).",
    },
    "not_list": {
        "nl": "{where} moet een lijst zijn ([...]).",
        "en": "{where} must be a list ([...]).",
    },
    "not_text": {
        "nl": "{where} moet een tekst zijn.",
        "en": "{where} must be a text (string).",
    },
    "missing_key": {
        "nl": "{where}: het onderdeel '{key}' ontbreekt.",
        "en": "{where}: the part '{key}' is missing.",
    },
    "bad_json": {
        "nl": "Het bestand is geen geldige JSON: {detail}",
        "en": "The file is not valid JSON: {detail}",
    },
    "bad_id": {
        "nl": "Het id '{id}' mag alleen kleine letters, cijfers, - en _ bevatten.",
        "en": "The id '{id}' may only contain lower-case letters, digits, - and _.",
    },
    "id_mismatch": {
        "nl": "Het id '{id}' moet gelijk zijn aan de bestandsnaam '{file}'.",
        "en": "The id '{id}' must match the file name '{file}'.",
    },
    "missing_nl": {
        "nl": "{where}: de Nederlandse tekst (nl) ontbreekt.",
        "en": "{where}: the Dutch text (nl) is missing.",
    },
    "unknown_widget": {
        "nl": "Veld '{field}': het widget '{widget}' bestaat niet. Kies uit: {choices}.",
        "en": "Field '{field}': the widget '{widget}' does not exist. Choose from: {choices}.",
    },
    "duplicate_step": {
        "nl": "De stap '{step}' komt meer dan één keer voor.",
        "en": "The step '{step}' occurs more than once.",
    },
    "step_unknown_field": {
        "nl": "Stap '{step}' noemt het veld '{field}', maar dat staat niet in 'fields'.",
        "en": "Step '{step}' names the field '{field}', but it is not in 'fields'.",
    },
    "field_in_no_step": {
        "nl": "Veld '{field}' staat in geen enkele stap.",
        "en": "Field '{field}' is not in any step.",
    },
    "field_in_two_steps": {
        "nl": "Veld '{field}' staat in meer dan één stap.",
        "en": "Field '{field}' is in more than one step.",
    },
    "schema_invalid": {
        "nl": "Het schema is geen geldig JSON Schema (2020-12) bij '{path}': {detail}",
        "en": "The schema is not valid JSON Schema (2020-12) at '{path}': {detail}",
    },
    "schema_not_object": {
        "nl": 'Het schema moet "type": "object" hebben, met de velden onder \'properties\'.',
        "en": 'The schema must have "type": "object", with the fields under \'properties\'.',
    },
    "field_not_in_schema": {
        "nl": "Veld '{field}' staat niet in schema.properties.",
        "en": "Field '{field}' is not in schema.properties.",
    },
    "property_without_field": {
        "nl": "schema.properties.{field} heeft geen veld in 'fields'.",
        "en": "schema.properties.{field} has no field in 'fields'.",
    },
    "required_unknown": {
        "nl": "schema.required noemt '{field}', maar dat staat niet in schema.properties.",
        "en": "schema.required names '{field}', but it is not in schema.properties.",
    },
    "missing_type": {
        "nl": "Veld '{field}': geef het schema een 'type'.",
        "en": "Field '{field}': give the schema a 'type'.",
    },
    "widget_type": {
        "nl": "Veld '{field}': het widget '{widget}' past niet bij type '{type}'. Gebruik: {expected}.",
        "en": "Field '{field}': the widget '{widget}' does not fit type '{type}'. Use: {expected}.",
    },
    "options_not_allowed": {
        "nl": "Veld '{field}': 'options' horen alleen bij select, radio en checkboxes.",
        "en": "Field '{field}': 'options' belong only to select, radio and checkboxes.",
    },
    "options_from_unknown": {
        "nl": "Veld '{field}': keuzes uit {source} bestaan niet. Kies uit: {known}.",
        "en": "Field '{field}': choices from {source} do not exist. Choose from: {known}.",
    },
    "options_and_options_from": {
        "nl": "Veld '{field}': geef 'options' of 'options_from', niet allebei.",
        "en": "Field '{field}': give 'options' or 'options_from', not both.",
    },
    "no_enum": {
        "nl": "Veld '{field}': het widget '{widget}' heeft een 'enum' met de keuzes in het schema nodig.",
        "en": "Field '{field}': the widget '{widget}' needs an 'enum' with the choices in the schema.",
    },
    "option_not_in_enum": {
        "nl": "Veld '{field}': de optie {value} staat niet in de enum van het schema.",
        "en": "Field '{field}': the option {value} is not in the schema's enum.",
    },
    "enum_without_option": {
        "nl": "Veld '{field}': de enum-waarde {value} heeft geen optie in 'options'.",
        "en": "Field '{field}': the enum value {value} has no option in 'options'.",
    },
    "show_if_unknown": {
        "nl": "Veld '{field}': show_if verwijst naar het onbekende veld '{target}'.",
        "en": "Field '{field}': show_if refers to the unknown field '{target}'.",
    },
    "show_if_cycle": {
        "nl": "Veld '{field}': show_if verwijst (via andere velden) naar zichzelf.",
        "en": "Field '{field}': show_if refers (through other fields) to itself.",
    },
    "show_if_value": {
        "nl": "Veld '{field}': show_if-waarde {value} is geen mogelijke waarde van '{target}'.",
        "en": "Field '{field}': show_if value {value} is not a possible value of '{target}'.",
    },
    "unknown_message_kind": {
        "nl": "Veld '{field}': 'messages' noemt de onbekende foutsoort '{kind}'. Kies uit: {choices}.",
        "en": "Field '{field}': 'messages' names the unknown error kind '{kind}'. Choose from: {choices}.",
    },
}


def fill(template: str, params: Mapping[str, object]) -> str:
    """Replace ``{name}`` placeholders literally (no str.format: templates may come from files)."""
    text = template
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@dataclass(frozen=True)
class DefinitionProblem:
    """One mistake in a form definition."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def message(self, lang: str = "nl") -> str:
        templates = TEMPLATES.get(self.code, {"nl": self.code, "en": self.code})
        return fill(templates.get(lang, templates["nl"]), self.params)


class FormDefinitionError(ValueError):
    """A form definition cannot be used; ``problems`` says why."""

    def __init__(self, problems: Sequence[DefinitionProblem], source: str = "") -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.describe())

    def describe(self, lang: str = "nl") -> str:
        text = "; ".join(problem.message(lang) for problem in self.problems)
        return f"{self.source}: {text}" if self.source else text


def problem(code: str, **params: object) -> DefinitionProblem:
    """Shorthand: ``problem("bad_id", id="x")``."""
    return DefinitionProblem(code, {name: str(value) for name, value in params.items()})
