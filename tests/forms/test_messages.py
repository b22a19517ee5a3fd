"""Message lookup and number formatting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from forms import KINDS, format_number
from forms.messages import MESSAGES, message_for
from tests.forms.factories import create_definition, create_field_form


@pytest.mark.parametrize(
    ("value", "lang", "money", "expected"),
    [
        (0, "nl", False, "0"),
        (2000, "nl", False, "2000"),
        (2.5, "nl", False, "2,5"),
        (2.5, "en", False, "2.5"),
        (120000, "nl", True, "120.000"),
        (120000, "en", True, "120,000"),
        (1250.5, "nl", True, "1.250,50"),
        (1250.5, "en", True, "1,250.50"),
        (Decimal("0.01"), "nl", False, "0,01"),
        (1.0, "nl", False, "1"),
        (True, "nl", False, "True"),
        ("x", "nl", False, "x"),
    ],
)
def test_format_number(value: Any, lang: str, money: bool, expected: str) -> None:
    assert format_number(value, lang, money) == expected


def test_every_message_has_dutch_and_english() -> None:
    for key, texts in MESSAGES.items():
        assert texts["nl"].strip(), key
        assert texts["en"].strip(), key
        assert texts["nl"] != texts["en"] or "{label}" in texts["nl"] or key == "minItems", key


def test_kinds_include_the_base_kinds() -> None:
    assert {"required", "maxLength", "postcode", "email", "enum", "money", "date"} <= KINDS
    assert not any("." in kind or kind.endswith("_1") for kind in KINDS)


def test_placeholders_are_filled_without_str_format() -> None:
    messages = {"maxLength": {"nl": "{P}: hooguit {limit} tekens ({label}, {name}) {0.__class__}"}}
    field = create_field_form(messages=messages, phrase={"nl": "uw plan"}).fields["veld"]
    assert message_for(field, "maxLength", "nl", 10) == "Uw plan: hooguit 10 tekens (Veld, veld) {0.__class__}"


def test_singular_variant_when_the_limit_is_one() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    field = create_field_form(widget="file", schema=schema).fields["veld"]
    assert message_for(field, "minItems", "nl", 1) == "Voeg bij veld minstens 1 bestand toe."
    assert message_for(field, "minItems", "nl", 2) == "Voeg bij veld minstens 2 bestanden toe."


def test_unknown_kind_falls_back_to_check() -> None:
    field = create_definition().fields["naam"]
    assert message_for(field, "iets-anders", "nl") == "Controleer uw naam."
    assert message_for(field, "iets-anders", "en") == "Check your name."
