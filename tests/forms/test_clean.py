"""clean(): coerce, drop hidden answers, validate — what a view calls for a form post."""

from __future__ import annotations

from typing import Any

from forms import FieldError, FormRegistry, clean
from tests.forms.factories import create_definition, create_definition_dict


def _with_subsidie() -> Any:
    raw = create_definition_dict()
    raw["schema"]["properties"]["subsidie"] = {"type": "boolean"}
    raw["schema"]["required"] = ["naam", "bedrag"]
    raw["fields"]["subsidie"] = {"label": {"nl": "Vraagt u geld aan?"}, "widget": "checkbox"}
    raw["fields"]["bedrag"]["show_if"] = {"field": "subsidie", "equals": True}
    return create_definition(**raw)


def test_good_post() -> None:
    values, errors = clean(create_definition(), {"naam": " An ", "bedrag": "1.250,50", "wijk": "oost", "csrf": "x"})
    assert values == {"naam": "An", "bedrag": 1250.5, "wijk": "oost"}
    assert errors == []


def test_conversion_error_wins_over_validation_error_and_order_follows_the_form() -> None:
    values, errors = clean(create_definition(), {"bedrag": "veel", "wijk": "noord"})
    assert values == {"wijk": "noord"}
    assert errors == [
        FieldError("naam", "Vul uw naam in."),
        FieldError("bedrag", "Vul het bedrag in met alleen cijfers, zoals 1250 of 1.250,50."),
        FieldError("wijk", "Kies een wijk uit de lijst."),
    ]


def test_answers_to_hidden_questions_are_dropped() -> None:
    values, errors = clean(_with_subsidie(), {"naam": "An", "bedrag": "veel"})
    assert values == {"naam": "An", "subsidie": False}
    assert errors == []


def test_shown_question_is_required() -> None:
    values, errors = clean(_with_subsidie(), {"naam": "An", "subsidie": "on"}, lang="en")
    assert errors == [FieldError("bedrag", "Enter the amount.")]


def test_the_example_definition_end_to_end() -> None:
    definition = FormRegistry().get("voorbeeld")
    post = {"soort": "organisatie", "naam": "An", "email": "an@voorbeeld.nl", "postcode": "3311ab"}
    values, errors = clean(definition, post, step="wie")
    assert values == {"soort": "organisatie", "naam": "An", "email": "an@voorbeeld.nl", "postcode": "3311 AB"}
    assert errors == [FieldError("organisatie", "Vul de naam van de organisatie in.")]
    values, errors = clean(definition, {"subsidie": "false", "akkoord": "on"}, step="geld")
    assert (values, errors) == ({"subsidie": False, "akkoord": True}, [])
