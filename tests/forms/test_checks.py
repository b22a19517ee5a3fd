"""check_definition: every kind of mistake in a definition is reported, in Dutch and English."""

from __future__ import annotations

from typing import Any

import pytest

from forms import check_definition, find_problems
from tests.forms.factories import create_definition_dict, create_field_dict


def _codes(raw: Any, expected_id: str | None = None) -> list[str]:
    return [found.code for found in find_problems(raw, expected_id)]


def test_the_factory_definition_is_fine() -> None:
    assert check_definition(create_definition_dict()) == []


def test_structure_error_is_reported_not_raised() -> None:
    assert check_definition([]) == ["Het formulier / the form moet een JSON-object zijn ({...})."]


def test_ids() -> None:
    assert _codes(create_definition_dict(id="Mijn Formulier")) == ["bad_id"]
    assert _codes(create_definition_dict(), expected_id="ander") == ["id_mismatch"]
    assert check_definition(create_definition_dict(), expected_id="ander", lang="en") == [
        "The id 'test' must match the file name 'ander'."
    ]


def test_missing_dutch_texts() -> None:
    raw = create_definition_dict(
        title={"en": "Form"},
        description={"en": "x"},
        steps=[{"id": "a", "title": {"en": "A"}, "fields": ["naam", "bedrag", "wijk"]}],
    )
    raw["fields"]["naam"]["label"] = {"en": "Name"}
    raw["fields"]["naam"]["help"] = {"en": "Help"}
    raw["fields"]["naam"]["phrase"] = {"en": "your name"}
    raw["fields"]["wijk"]["options"][0]["label"] = {"en": "East"}
    messages = check_definition(raw)
    assert messages == [
        "title: de Nederlandse tekst (nl) ontbreekt.",
        "description: de Nederlandse tekst (nl) ontbreekt.",
        "steps.a.title: de Nederlandse tekst (nl) ontbreekt.",
        "fields.naam.label: de Nederlandse tekst (nl) ontbreekt.",
        "fields.naam.help: de Nederlandse tekst (nl) ontbreekt.",
        "fields.naam.phrase: de Nederlandse tekst (nl) ontbreekt.",
        "fields.wijk.options['oost'].label: de Nederlandse tekst (nl) ontbreekt.",
    ]
    assert check_definition(raw, lang="en")[0] == "title: the Dutch text (nl) is missing."


def test_hidden_field_needs_no_label() -> None:
    assert check_definition(create_field_dict(widget="hidden", label={})) == []


def test_schema_must_be_valid_json_schema() -> None:
    raw = create_definition_dict()
    raw["schema"]["properties"]["naam"]["type"] = "tekst"
    raw["schema"]["properties"]["bedrag"]["minimum"] = "nul"
    messages = check_definition(raw)
    assert [message.split(":")[0] for message in messages] == [
        "Het schema is geen geldig JSON Schema (2020-12) bij '$.properties.bedrag.minimum'",
        "Het schema is geen geldig JSON Schema (2020-12) bij '$.properties.naam.type'",
    ]


def test_schema_must_be_an_object_with_properties() -> None:
    assert _codes(create_definition_dict(schema={"type": "array"}, fields={})) == ["schema_not_object"]


def test_required_must_name_a_property() -> None:
    raw = create_definition_dict()
    raw["schema"]["required"] = ["naam", "leeftijd"]
    assert check_definition(raw) == ["schema.required noemt 'leeftijd', maar dat staat niet in schema.properties."]


def test_steps_mistakes() -> None:
    raw = create_definition_dict(
        steps=[
            {"id": "a", "title": {"nl": "A"}, "fields": ["naam", "onbekend"]},
            {"id": "a", "title": {"nl": "B"}, "fields": ["naam"]},
        ]
    )
    assert check_definition(raw) == [
        "Stap 'a' noemt het veld 'onbekend', maar dat staat niet in 'fields'.",
        "De stap 'a' komt meer dan één keer voor.",
        "Veld 'naam' staat in meer dan één stap.",
        "Veld 'bedrag' staat in geen enkele stap.",
        "Veld 'wijk' staat in geen enkele stap.",
    ]


def test_fields_and_properties_must_match() -> None:
    raw = create_definition_dict()
    raw["schema"]["properties"]["extra"] = {"type": "string"}
    raw["fields"]["los"] = {"label": {"nl": "Los"}}
    assert check_definition(raw) == [
        "schema.properties.extra heeft geen veld in 'fields'.",
        "Veld 'los' staat niet in schema.properties.",
    ]


def test_unknown_widget() -> None:
    assert check_definition(create_field_dict(widget="slider"))[0].startswith(
        "Veld 'veld': het widget 'slider' bestaat niet. Kies uit: text, textarea,"
    )


def test_missing_type() -> None:
    assert _codes(create_field_dict(schema={"maxLength": 3})) == ["missing_type"]


@pytest.mark.parametrize(
    ("widget", "schema"),
    [
        ("text", {"type": "number"}),
        ("money", {"type": "string"}),
        ("checkbox", {"type": "string"}),
        ("checkboxes", {"type": "string", "enum": ["a"]}),
        ("file", {"type": "string"}),
        ("date", {"type": "integer"}),
    ],
)
def test_widget_must_fit_the_type(widget: str, schema: dict[str, Any]) -> None:
    assert "widget_type" in _codes(create_field_dict(widget=widget, schema=schema))


def test_widget_type_message() -> None:
    assert check_definition(create_field_dict(widget="money", schema={"type": "string"})) == [
        "Veld 'veld': het widget 'money' past niet bij type 'string'. Gebruik: number, integer."
    ]


def test_options_only_on_choice_widgets() -> None:
    raw = create_field_dict(options=[{"value": "a", "label": {"nl": "A"}}])
    assert check_definition(raw) == ["Veld 'veld': 'options' horen alleen bij select, radio en checkboxes."]


def test_choice_widget_needs_an_enum() -> None:
    assert _codes(create_field_dict(widget="select")) == ["no_enum"]


def test_options_must_match_the_enum() -> None:
    raw = create_definition_dict()
    raw["fields"]["wijk"]["options"][0]["value"] = "noord"
    assert check_definition(raw) == [
        "Veld 'wijk': de optie 'noord' staat niet in de enum van het schema.",
        "Veld 'wijk': de enum-waarde 'oost' heeft geen optie in 'options'.",
    ]
    assert check_definition(raw, lang="en")[0] == "Field 'wijk': the option 'noord' is not in the schema's enum."


def test_checkboxes_options_must_match_the_items_enum() -> None:
    schema = {"type": "array", "items": {"type": "integer", "enum": [1, 2]}}
    options = [{"value": 1, "label": {"nl": "Een"}}, {"value": 3, "label": {"nl": "Drie"}}]
    raw = create_field_dict(widget="checkboxes", schema=schema, options=options)
    assert _codes(raw) == ["option_not_in_enum", "enum_without_option"]


def test_show_if_mistakes() -> None:
    raw = create_definition_dict()
    raw["fields"]["naam"]["show_if"] = {"field": "leeftijd", "equals": 1}
    raw["fields"]["bedrag"]["show_if"] = {"field": "wijk", "equals": "noord"}
    assert check_definition(raw) == [
        "Veld 'naam': show_if verwijst naar het onbekende veld 'leeftijd'.",
        "Veld 'bedrag': show_if-waarde 'noord' is geen mogelijke waarde van 'wijk'.",
    ]


def test_show_if_on_checkboxes_takes_one_item_value() -> None:
    raw = create_definition_dict()
    raw["schema"]["properties"]["doelen"] = {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
    raw["fields"]["doelen"] = {"label": {"nl": "Doelen"}, "widget": "checkboxes"}
    raw["fields"]["bedrag"]["show_if"] = {"field": "doelen", "equals": "a"}
    assert check_definition(raw) == []
    raw["fields"]["bedrag"]["show_if"] = {"field": "doelen", "equals": "z"}
    assert _codes(raw) == ["show_if_value"]


def test_show_if_cycle() -> None:
    raw = create_definition_dict()
    raw["fields"]["bedrag"]["show_if"] = {"field": "wijk", "equals": "oost"}
    raw["fields"]["wijk"]["show_if"] = {"field": "bedrag", "equals": 1}
    assert _codes(raw) == ["show_if_cycle", "show_if_cycle"]


def test_messages_must_name_known_kinds_and_have_dutch() -> None:
    raw = create_field_dict(messages={"verplicht": {"nl": "Vul in."}, "required": {"en": "Fill in."}})
    assert _codes(raw) == ["unknown_message_kind", "missing_nl"]
