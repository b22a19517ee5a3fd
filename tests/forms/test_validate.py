"""Validation: every error becomes a clear sentence naming the field, in Dutch and English."""

from __future__ import annotations

from typing import Any

import pytest

from forms import FieldError, validate
from tests.forms.factories import create_definition, create_definition_dict, create_field_form, messages_of


def test_valid_data_has_no_errors() -> None:
    assert validate(create_definition(), {"naam": "An", "bedrag": 12.5, "wijk": "oost"}) == []


def test_examples_from_the_brief() -> None:
    definition = create_definition()
    errors = validate(definition, {"bedrag": -1, "wijk": "noord"})
    assert errors == [
        FieldError("naam", "Vul uw naam in."),
        FieldError("bedrag", "Het bedrag moet 0 of meer zijn."),
        FieldError("wijk", "Kies een wijk uit de lijst."),
    ]


def test_english_messages() -> None:
    errors = validate(create_definition(), {"bedrag": -1, "wijk": "noord"}, lang="en")
    assert messages_of(errors) == [
        "Enter your name.",
        "The amount must be 0 or more.",
        "Choose a district from the list.",
    ]


def test_unknown_language_falls_back_to_dutch() -> None:
    assert messages_of(validate(create_definition(), {}, lang="fr")) == ["Vul uw naam in."]


@pytest.mark.parametrize("empty", [None, "", "   ", []])
def test_empty_values_count_as_missing(empty: Any) -> None:
    assert messages_of(validate(create_definition(), {"naam": empty})) == ["Vul uw naam in."]


def _one(widget: str, schema: dict[str, Any], value: Any, lang: str = "nl", **presentation: Any) -> list[str]:
    definition = create_field_form(widget=widget, schema=schema, **presentation)
    return messages_of(validate(definition, {"veld": value}, lang=lang))


STRING = {"type": "string"}
ARRAY = {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}}
FILES = {"type": "array", "items": {"type": "string"}}

ERROR_CASES: list[tuple[str, dict[str, Any], Any, str, str]] = [
    ("number", {"type": "number", "minimum": 0}, -1, "Veld moet 0 of meer zijn.", "Field must be 0 or more."),
    (
        "number",
        {"type": "number", "maximum": 10},
        11,
        "Veld mag niet meer dan 10 zijn.",
        "Field must be 10 or less.",
    ),
    (
        "number",
        {"type": "number", "exclusiveMinimum": 0},
        0,
        "Veld moet meer dan 0 zijn.",
        "Field must be more than 0.",
    ),
    (
        "number",
        {"type": "number", "exclusiveMaximum": 1.5},
        2,
        "Veld moet minder dan 1,5 zijn.",
        "Field must be less than 1.5.",
    ),
    (
        "number",
        {"type": "number", "multipleOf": 5},
        7,
        "Veld moet een veelvoud van 5 zijn.",
        "Field must be a multiple of 5.",
    ),
    (
        "money",
        {"type": "number", "maximum": 120000},
        130000,
        "Veld mag niet meer dan 120.000 zijn.",
        "Field must be 120,000 or less.",
    ),
    (
        "number",
        {"type": "number"},
        "veel",
        "Veld moet een getal zijn, zoals 12 of 2,5.",
        "Field must be a number, such as 12 or 2.5.",
    ),
    (
        "number",
        {"type": "integer"},
        2.5,
        "Veld moet een heel getal zijn, zoals 12.",
        "Field must be a whole number, such as 12.",
    ),
    (
        "money",
        {"type": "number"},
        "veel",
        "Vul veld in met alleen cijfers, zoals 1250 of 1.250,50.",
        "Enter field in numbers only, such as 1250 or 1,250.50.",
    ),
    ("checkbox", {"type": "boolean"}, "ja", "Kies ja of nee bij veld.", "Choose yes or no for field."),
    ("text", STRING, 12, "Veld heeft een verkeerde soort waarde.", "Field has the wrong kind of value."),
    (
        "date",
        {"type": "string", "format": "date"},
        "2025-02-30",
        "Vul veld in als een bestaande datum, zoals 31-12-2025.",
        "Enter field as a real date, such as 31-12-2025.",
    ),
    (
        "date",
        {"type": "string"},
        20251231,
        "Vul veld in als een bestaande datum, zoals 31-12-2025.",
        "Enter field as a real date, such as 31-12-2025.",
    ),
    (
        "textarea",
        {"type": "string", "maxLength": 2000},
        "x" * 2001,
        "Veld mag maximaal 2000 tekens lang zijn.",
        "Field must be 2000 characters or fewer.",
    ),
    (
        "text",
        {"type": "string", "minLength": 3},
        "ab",
        "Veld moet minstens 3 tekens lang zijn.",
        "Field must be at least 3 characters long.",
    ),
    (
        "text",
        {"type": "string", "pattern": "^[0-9]+$"},
        "abc",
        "Veld heeft niet de goede vorm. Kijk of u het goed hebt ingevuld.",
        "Field is not in the right format. Check what you entered.",
    ),
    (
        "text",
        {"type": "string", "format": "ipv4"},
        "abc",
        "Veld heeft niet de goede vorm. Kijk of u het goed hebt ingevuld.",
        "Field is not in the right format. Check what you entered.",
    ),
    (
        "email",
        STRING,
        "naam@",
        "Gebruik een geldig e-mailadres, zoals naam@voorbeeld.nl.",
        "Use a valid email address, such as name@example.com.",
    ),
    (
        "text",
        {"type": "string", "format": "email"},
        "naam@voorbeeld",
        "Gebruik een geldig e-mailadres, zoals naam@voorbeeld.nl.",
        "Use a valid email address, such as name@example.com.",
    ),
    (
        "postcode",
        STRING,
        "0311 AB",
        "Vul een geldige postcode in, zoals 3311 AB.",
        "Enter a valid postcode, such as 3311 AB.",
    ),
    (
        "tel",
        STRING,
        "12345",
        "Vul een geldig telefoonnummer in, zoals 078 123 45 67 of +31 6 12345678.",
        "Enter a valid phone number, such as 078 123 45 67 or +31 6 12345678.",
    ),
    (
        "select",
        {"type": "string", "enum": ["a", "b"]},
        "z",
        "Kies veld uit de lijst.",
        "Choose field from the list.",
    ),
    (
        "radio",
        {"type": "string", "enum": ["a", "b"]},
        "z",
        "Kies veld uit de lijst.",
        "Choose field from the list.",
    ),
    (
        "checkboxes",
        ARRAY,
        ["a", "z"],
        "Kies bij veld alleen antwoorden uit de lijst.",
        "Only choose answers from the list for field.",
    ),
    (
        "checkboxes",
        {**ARRAY, "minItems": 2},
        ["a"],
        "Kies bij veld minstens 2 antwoorden.",
        "Choose at least 2 answers for field.",
    ),
    (
        "checkboxes",
        {**ARRAY, "maxItems": 2},
        ["a", "b", "c"],
        "Kies bij veld niet meer dan 2 antwoorden.",
        "Choose no more than 2 answers for field.",
    ),
    (
        "checkboxes",
        {**ARRAY, "maxItems": 1},
        ["a", "b"],
        "Kies bij veld maar 1 antwoord.",
        "Choose only 1 answer for field.",
    ),
    (
        "checkboxes",
        {**ARRAY, "uniqueItems": True},
        ["a", "a"],
        "Kies bij veld elk antwoord maar één keer.",
        "Choose each answer only once for field.",
    ),
    (
        "file",
        {**FILES, "minItems": 2},
        ["d1"],
        "Voeg bij veld minstens 2 bestanden toe.",
        "Add at least 2 files for field.",
    ),
    (
        "file",
        {**FILES, "maxItems": 1},
        ["d1", "d2"],
        "Voeg bij veld maar 1 bestand toe.",
        "Add only 1 file for field.",
    ),
    (
        "file",
        {**FILES, "maxItems": 3},
        ["1", "2", "3", "4"],
        "Voeg bij veld niet meer dan 3 bestanden toe.",
        "Add no more than 3 files for field.",
    ),
    ("checkbox", {"type": "boolean", "const": True}, False, 'Zet een vinkje bij "Veld".', 'Tick "Field".'),
    (
        "hidden",
        {"type": "string", "const": "x"},
        "y",
        "Veld heeft niet de juiste waarde.",
        "Field does not have the right value.",
    ),
    ("text", {"type": "string", "not": {"const": "x"}}, "x", "Controleer veld.", "Check field."),
]


@pytest.mark.parametrize(("widget", "schema", "value", "nl", "en"), ERROR_CASES)
def test_every_error_kind_in_dutch_and_english(
    widget: str, schema: dict[str, Any], value: Any, nl: str, en: str
) -> None:
    assert _one(widget, schema, value) == [nl]
    assert _one(widget, schema, value, lang="en") == [en]


@pytest.mark.parametrize("value", ["naam@voorbeeld.nl", "a.b+c@sub.example.com"])
def test_good_email_addresses(value: str) -> None:
    assert _one("email", STRING, value) == []


@pytest.mark.parametrize("value", ["3311 AB", "3311AB", "3311 ab"])
def test_good_postcodes(value: str) -> None:
    assert _one("postcode", STRING, value) == []


@pytest.mark.parametrize("value", ["078 123 45 67", "+31 6 12345678", "06-12345678", "(078) 1234567"])
def test_good_phone_numbers(value: str) -> None:
    assert _one("tel", STRING, value) == []


REQUIRED_CASES: list[tuple[str, dict[str, Any], Any, str, str]] = [
    ("text", STRING, None, "Vul veld in.", "Enter field."),
    ("date", STRING, None, "Vul veld in.", "Enter field."),
    ("select", {"type": "string", "enum": ["a"]}, None, "Kies veld.", "Choose field."),
    ("radio", {"type": "string", "enum": ["a"]}, None, "Kies veld.", "Choose field."),
    ("checkbox", {"type": "boolean"}, False, 'Zet een vinkje bij "Veld".', 'Tick "Field".'),
    (
        "checkboxes",
        ARRAY,
        [],
        "Kies minstens één antwoord bij veld.",
        "Choose at least one answer for field.",
    ),
    ("file", FILES, None, "Voeg veld toe.", "Add field."),
]


@pytest.mark.parametrize(("widget", "schema", "value", "nl", "en"), REQUIRED_CASES)
def test_required_message_fits_the_widget(widget: str, schema: dict[str, Any], value: Any, nl: str, en: str) -> None:
    definition = create_field_form(widget=widget, schema=schema, required=True)
    assert messages_of(validate(definition, {"veld": value})) == [nl]
    assert messages_of(validate(definition, {"veld": value}, lang="en")) == [en]


def test_ticked_required_checkbox_is_fine() -> None:
    definition = create_field_form(widget="checkbox", schema={"type": "boolean"}, required=True)
    assert validate(definition, {"veld": True}) == []


def test_field_messages_override_the_defaults() -> None:
    messages = {"required": {"nl": "Wij hebben uw naam nodig.", "en": "We need your name."}}
    definition = create_field_form(required=True, messages=messages)
    assert messages_of(validate(definition, {})) == ["Wij hebben uw naam nodig."]
    assert messages_of(validate(definition, {}, lang="en")) == ["We need your name."]


def test_default_phrase_is_the_label_in_lower_case() -> None:
    assert messages_of(validate(create_definition(fields={**_fields(), "naam": {"label": {"nl": "Naam"}}}), {})) == [
        "Vul naam in."
    ]


def _fields() -> dict[str, Any]:
    return dict(create_definition_dict()["fields"])


def test_question_label_without_phrase() -> None:
    definition = create_field_form(
        widget="radio", schema={"type": "string", "enum": ["a"]}, required=True, label={"nl": "Wie bent u?"}
    )
    assert messages_of(validate(definition, {})) == ['Beantwoord de vraag "Wie bent u?".']
    assert messages_of(validate(definition, {}, lang="en")) == ['Answer the question "Wie bent u?".']
    assert messages_of(validate(definition, {"veld": "z"})) == ['Kies het antwoord op "Wie bent u?" uit de lijst.']


def test_one_message_per_field() -> None:
    schema = {"type": "string", "minLength": 5, "pattern": "^[0-9]+$"}
    assert len(_one("text", schema, "ab")) == 1


def test_unknown_keys_are_rejected() -> None:
    errors = validate(create_definition(), {"naam": "An", "geheim": "x"})
    assert errors == [FieldError("geheim", 'Het veld "geheim" hoort niet bij dit formulier. Laat het weg.')]
    errors = validate(create_definition(), {"naam": "An", "geheim": "x"}, lang="en")
    assert messages_of(errors) == ['The field "geheim" does not belong to this form. Leave it out.']
