"""Validation of conditional fields, steps and form-wide rules."""

from __future__ import annotations

from typing import Any

import pytest

from forms import FieldError, UnknownStep, validate
from tests.forms.factories import TWO_STEPS, create_definition, create_definition_dict, messages_of

# --- show_if ----------------------------------------------------------------------------------


def _show_if_definition() -> Any:
    raw = create_definition_dict()
    raw["schema"]["properties"]["subsidie"] = {"type": "boolean"}
    raw["schema"]["required"] = ["naam", "subsidie", "bedrag"]
    raw["fields"]["subsidie"] = {
        "label": {"nl": "Vraagt u geld aan?"},
        "phrase": {"nl": "of u geld aanvraagt"},
        "widget": "radio",
    }
    raw["fields"]["bedrag"]["show_if"] = {"field": "subsidie", "equals": True}
    return create_definition(**raw)


def test_field_hidden_by_show_if_is_not_required() -> None:
    assert validate(_show_if_definition(), {"naam": "An", "subsidie": False}) == []


def test_field_shown_by_show_if_is_required() -> None:
    errors = validate(_show_if_definition(), {"naam": "An", "subsidie": True})
    assert errors == [FieldError("bedrag", "Vul het bedrag in.")]


def test_hidden_field_value_is_not_checked() -> None:
    assert validate(_show_if_definition(), {"naam": "An", "subsidie": False, "bedrag": -5}) == []


def test_show_if_can_use_the_context() -> None:
    definition = _show_if_definition()
    errors = validate(definition, {"naam": "An", "subsidie": True}, context={"subsidie": False})
    assert messages_of(errors) == ["Vul het bedrag in."]  # data wins over context
    errors = validate(definition, {"naam": "An"}, context={"subsidie": True})
    assert errors == [
        FieldError("bedrag", "Vul het bedrag in."),
        FieldError("subsidie", "Kies of u geld aanvraagt."),
    ]
    assert validate(definition, {"naam": "An", "subsidie": True, "bedrag": 5}, context={"subsidie": False}) == []


# --- steps ------------------------------------------------------------------------------------


def test_step_validates_only_its_fields() -> None:
    definition = create_definition(steps=TWO_STEPS)
    assert validate(definition, {"wijk": "oost"}, step="wat") == []
    assert validate(definition, {"wijk": "noord", "bedrag": -1}, step="wat") == [
        FieldError("wijk", "Kies een wijk uit de lijst."),
        FieldError("bedrag", "Het bedrag moet 0 of meer zijn."),
    ]
    assert messages_of(validate(definition, {}, step="wie")) == ["Vul uw naam in."]


def test_step_ignores_answers_of_other_steps_but_rejects_unknown_keys() -> None:
    definition = create_definition(steps=TWO_STEPS)
    assert validate(definition, {"naam": "x" * 500}, step="wat") == []
    assert [error.field for error in validate(definition, {"onbekend": 1}, step="wat")] == ["onbekend"]


def test_unknown_step() -> None:
    with pytest.raises(UnknownStep):
        validate(create_definition(steps=TWO_STEPS), {}, step="nergens")


def test_step_with_show_if_on_a_field_of_an_earlier_step() -> None:
    raw = _show_if_definition_dict_with_steps()
    definition = create_definition(**raw)
    assert validate(definition, {}, step="geld", context={"subsidie": False}) == []
    assert messages_of(validate(definition, {}, step="geld", context={"subsidie": True})) == ["Vul het bedrag in."]


def _show_if_definition_dict_with_steps() -> dict[str, Any]:
    raw = create_definition_dict()
    raw["schema"]["properties"]["subsidie"] = {"type": "boolean"}
    raw["schema"]["required"] = ["naam", "bedrag"]
    raw["fields"]["subsidie"] = {"label": {"nl": "Vraagt u geld aan?"}, "widget": "radio"}
    raw["fields"]["bedrag"]["show_if"] = {"field": "subsidie", "equals": True}
    raw["steps"] = [
        {"id": "wie", "title": {"nl": "Over u"}, "fields": ["naam", "wijk", "subsidie"]},
        {"id": "geld", "title": {"nl": "Geld"}, "fields": ["bedrag"]},
    ]
    return raw


# --- top-level schema rules -------------------------------------------------------------------


def test_conditional_required_from_the_schema_names_the_field() -> None:
    raw = create_definition_dict()
    raw["schema"]["if"] = {"properties": {"wijk": {"const": "centrum"}}, "required": ["wijk"]}
    raw["schema"]["then"] = {"required": ["bedrag"]}
    definition = create_definition(**raw)
    assert validate(definition, {"naam": "An", "wijk": "centrum"}) == [FieldError("bedrag", "Vul het bedrag in.")]
    assert validate(definition, {"naam": "An", "wijk": "oost"}) == []


def test_dependent_required_names_the_missing_field() -> None:
    raw = create_definition_dict()
    raw["schema"]["dependentRequired"] = {"bedrag": ["wijk"]}
    errors = validate(create_definition(**raw), {"naam": "An", "bedrag": 5})
    assert errors == [FieldError("wijk", "Kies een wijk.")]


def test_form_wide_rule_gives_one_general_message() -> None:
    raw = create_definition_dict()
    raw["schema"]["minProperties"] = 3
    errors = validate(create_definition(**raw), {"naam": "An"})
    assert errors == [FieldError("", "Controleer de antwoorden op dit formulier.")]
    assert validate(create_definition(**raw), {"naam": "An"}, lang="en")[0].message == "Check the answers on this form."
