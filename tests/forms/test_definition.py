"""The field model: labels with Dutch fallback, steps, show_if, rendering hints."""

from __future__ import annotations

from typing import Any

import pytest

from forms import Option, ShowIf, UnknownStep, localize
from tests.forms.factories import create_definition, create_definition_dict, create_field_form

STEPS = [
    {"id": "een", "title": {"nl": "Stap een", "en": "Step one"}, "fields": ["naam"]},
    {"id": "twee", "title": {"nl": "Stap twee"}, "fields": ["wijk", "bedrag"]},
]


def test_localize_falls_back_to_dutch_then_to_any_text() -> None:
    assert localize({"nl": "Naam", "en": "Name"}, "en") == "Name"
    assert localize({"nl": "Naam"}, "en") == "Naam"
    assert localize({"nl": "Naam", "en": ""}, "en") == "Naam"
    assert localize({"en": "Name"}, "nl") == "Name"
    assert localize({}, "nl") == ""
    assert localize(None) == ""


def test_form_texts() -> None:
    definition = create_definition()
    assert definition.title() == "Testformulier"
    assert definition.title("en") == "Test form"
    assert definition.title("de") == "Testformulier"
    assert definition.description("en") == "A form for testing."


def test_field_texts_and_hints() -> None:
    naam = create_definition().fields["naam"]
    assert naam.label() == "Naam"
    assert naam.label("en") == "Name"
    assert naam.help("en") == "Your first and last name."
    assert naam.phrase() == "uw naam"
    assert naam.autocomplete == "name"
    assert naam.required is True
    assert naam.max_length == 200
    assert naam.type == "string"


def test_label_falls_back_to_the_name() -> None:
    definition = create_field_form(label={})
    assert definition.fields["veld"].label() == "veld"


@pytest.mark.parametrize(
    ("label", "phrase"),
    [("Naam", "naam"), ("IBAN", "IBAN"), ("E-mailadres", "e-mailadres"), ("Plan:", "plan")],
)
def test_default_phrase(label: str, phrase: str) -> None:
    assert create_field_form(label={"nl": label}).fields["veld"].phrase() == phrase


def test_default_phrase_for_a_question() -> None:
    field = create_field_form(label={"nl": "Wie bent u?", "en": "Who are you?"}).fields["veld"]
    assert field.phrase() == 'het antwoord op "Wie bent u?"'
    assert field.phrase("en") == 'the answer to "Who are you?"'


def test_without_steps_there_is_one_step_with_every_field_in_order() -> None:
    definition = create_definition()
    assert definition.step_ids() == ["main"]
    assert definition.steps[0].fields == ("naam", "bedrag", "wijk")
    assert definition.steps[0].title() == "Testformulier"
    assert definition.field_names() == ["naam", "bedrag", "wijk"]


def test_steps() -> None:
    definition = create_definition(steps=STEPS)
    assert definition.step("twee").title("en") == "Stap twee"
    assert definition.field_names("twee") == ["wijk", "bedrag"]
    assert [field.name for field in definition.fields_for("een")] == ["naam"]
    assert definition.field_names() == ["naam", "wijk", "bedrag"]
    assert definition.next_step("een") == "twee"
    assert definition.next_step("twee") is None
    assert definition.previous_step("twee") == "een"
    assert definition.previous_step("een") is None
    with pytest.raises(UnknownStep):
        definition.step("drie")


def test_options_with_labels() -> None:
    wijk = create_definition().fields["wijk"]
    assert wijk.options[0] == Option("oost", {"nl": "Oost", "en": "East"})
    assert [option.label("en") for option in wijk.options] == ["East", "West", "Centre"]


def test_option_labels_can_be_replaced_without_changing_what_the_form_accepts() -> None:
    definition = create_definition()
    renamed = definition.with_option_labels("wijk", {"oost": {"nl": "Oosterpark", "en": "Oosterpark"}})
    assert [option.label("en") for option in renamed.fields["wijk"].options] == ["Oosterpark", "West", "Centre"]
    assert [option.value for option in renamed.fields["wijk"].options] == ["oost", "west", "centrum"]
    assert renamed.schema == definition.schema
    assert definition.fields["wijk"].options[0].label() == "Oost", "the original is left as it was"


def test_options_come_from_the_enum_when_not_given() -> None:
    definition = create_field_form(widget="select", schema={"type": "integer", "enum": [1, 2]})
    assert [(option.value, option.label()) for option in definition.fields["veld"].options] == [
        (1, "1"),
        (2, "2"),
    ]


def test_boolean_radio_gets_yes_and_no() -> None:
    options = create_field_form(widget="radio", schema={"type": "boolean"}).fields["veld"].options
    assert [(option.value, option.label(), option.label("en")) for option in options] == [
        (True, "Ja", "Yes"),
        (False, "Nee", "No"),
    ]


def test_checkboxes_options_come_from_the_items_enum() -> None:
    schema = {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
    field = create_field_form(widget="checkboxes", schema=schema).fields["veld"]
    assert [option.value for option in field.options] == ["a", "b"]
    assert field.multiple is True


@pytest.mark.parametrize(
    ("schema", "widget"),
    [
        ({"type": "string"}, "text"),
        ({"type": "boolean"}, "checkbox"),
        ({"type": "integer"}, "number"),
        ({"type": "array", "items": {"type": "string"}}, "checkboxes"),
        ({"type": "string", "enum": ["a"]}, "select"),
        ({"type": "string", "format": "date"}, "date"),
        ({"type": "string", "format": "email"}, "email"),
        ({"type": ["string", "null"]}, "text"),
    ],
)
def test_widget_is_guessed_from_the_schema(schema: dict[str, Any], widget: str) -> None:
    raw = create_definition_dict(
        schema={"type": "object", "properties": {"veld": schema}}, fields={"veld": {"label": {"nl": "Veld"}}}
    )
    assert create_definition(**raw).fields["veld"].widget == widget


@pytest.mark.parametrize(
    ("widget", "input_type", "inputmode"),
    [
        ("text", "text", None),
        ("email", "email", "email"),
        ("tel", "tel", "tel"),
        ("money", "text", "decimal"),
        ("number", "text", "decimal"),
        ("date", "date", None),
        ("hidden", "hidden", None),
        ("checkbox", "checkbox", None),
        ("textarea", None, None),
        ("select", None, None),
    ],
)
def test_input_attributes(widget: str, input_type: str | None, inputmode: str | None) -> None:
    field = create_field_form(widget=widget).fields["veld"]
    assert field.input_type == input_type
    assert field.inputmode == inputmode


def test_minimum_and_maximum() -> None:
    field = create_field_form(widget="number", schema={"type": "number", "minimum": 0, "maximum": 9}).fields["veld"]
    assert (field.minimum, field.maximum) == (0, 9)
    assert create_field_form().fields["veld"].minimum is None


@pytest.mark.parametrize(
    ("equals", "value", "matches"),
    [
        ("ja", "ja", True),
        ("ja", "nee", False),
        (True, True, True),
        (True, 1, False),
        (1, True, False),
        (1, 1.0, True),
        ("a", ["a", "b"], True),
        ("c", ["a", "b"], False),
        ("a", None, False),
    ],
)
def test_show_if_matches(equals: Any, value: Any, matches: bool) -> None:
    assert ShowIf("x", equals).matches(value) is matches


def _chain() -> Any:
    raw = create_definition_dict()
    raw["fields"]["bedrag"]["show_if"] = {"field": "wijk", "equals": "centrum"}
    raw["fields"]["naam"]["show_if"] = {"field": "bedrag", "equals": 5}
    return create_definition(**raw)


def test_visibility_follows_a_chain_of_show_if() -> None:
    definition = _chain()
    assert definition.is_visible("naam", {"bedrag": 5, "wijk": "centrum"})
    assert not definition.is_visible("naam", {"bedrag": 5, "wijk": "oost"})  # bedrag itself is hidden
    assert not definition.is_required("naam", {"bedrag": 5, "wijk": "oost"})
    assert definition.is_required("naam", {"bedrag": 5, "wijk": "centrum"})
    assert [field.name for field in definition.visible_fields({"wijk": "centrum"})] == ["bedrag", "wijk"]


def test_a_show_if_cycle_hides_the_fields() -> None:
    raw = create_definition_dict()
    raw["fields"]["bedrag"]["show_if"] = {"field": "wijk", "equals": "oost"}
    raw["fields"]["wijk"]["show_if"] = {"field": "bedrag", "equals": 1}
    assert not create_definition(**raw).is_visible("bedrag", {"wijk": "oost", "bedrag": 1})
