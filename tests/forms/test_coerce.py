"""Converting HTML form posts (strings) into typed values."""

from __future__ import annotations

from typing import Any

import pytest

from forms import FieldError, coerce
from forms.coerce import ConversionError, parse_date, parse_decimal, parse_money, parse_number
from tests.forms.factories import create_definition, create_field_form


class FakeMultiDict(dict[str, str]):
    """Like werkzeug's MultiDict: ``[]``/``get`` give the first value, ``getlist`` all of them."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__()
        self._pairs = pairs
        for key, value in pairs:
            self.setdefault(key, value)

    def getlist(self, key: str) -> list[str]:
        return [value for name, value in self._pairs if name == key]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250", 1250),
        ("1250,50", 1250.5),
        ("1.250,50", 1250.5),
        ("1.250", 1250),
        ("12.345.678", 12345678),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("0.250", 0.25),
        (",50", 0.5),
        ("-3", -3),
        ("+7", 7),
        ("1,250.50", 1250.5),
        ("1 250,50", 1250.5),
        ("€ 1.250,-", 1250),
        ("EUR 15", 15),
        ("1250.5", 1250.5),
    ],
)
def test_parse_decimal_accepts_dutch_and_english_writing(text: str, expected: float) -> None:
    assert float(parse_decimal(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["", "abc", "1,2,3", "12.50.0", "1.250.50", "1..2", "1,", "12a", "1.250,000,5", "1e5", "NaN", "9" * 50],
)
def test_parse_decimal_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ConversionError) as caught:
        parse_decimal(text)
    assert caught.value.kind == "number"


def test_parse_number_returns_int_for_whole_numbers_and_checks_integers() -> None:
    assert parse_number("12") == 12
    assert isinstance(parse_number("12,0"), int)
    assert parse_number("2,5") == 2.5
    with pytest.raises(ConversionError) as caught:
        parse_number("2,5", integer=True)
    assert caught.value.kind == "integer"


def test_parse_money_limits_decimals() -> None:
    assert parse_money("1.250,50") == 1250.5
    assert parse_money("12,500") == 12.5  # trailing zero is still two decimals' worth
    with pytest.raises(ConversionError) as caught:
        parse_money("12,505")
    assert caught.value.kind == "money_decimals"
    with pytest.raises(ConversionError) as caught:
        parse_money("twaalf")
    assert caught.value.kind == "money"
    with pytest.raises(ConversionError) as caught:
        parse_money("12,50", integer=True)
    assert caught.value.kind == "integer"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-31", "2025-12-31"),
        ("2025-1-5", "2025-01-05"),
        ("31-12-2025", "2025-12-31"),
        ("5-1-2025", "2025-01-05"),
        ("31/12/2025", "2025-12-31"),
        ("31.12.2025", "2025-12-31"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2025-02-30", "31-13-2025", "morgen", "2025/12/31x", "12-2025"])
def test_parse_date_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ConversionError):
        parse_date(text)


def _coerce_one(widget: str, schema: dict[str, Any], raw: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    return coerce(create_field_form(widget=widget, schema=schema), raw)


@pytest.mark.parametrize("widget", ["text", "email", "tel", "hidden", "select", "radio"])
def test_text_like_widgets_strip_and_keep_strings(widget: str) -> None:
    assert _coerce_one(widget, {"type": "string"}, {"veld": "  hallo  "}) == ({"veld": "hallo"}, [])


def test_textarea_keeps_lines_and_normalises_newlines() -> None:
    values, _ = _coerce_one("textarea", {"type": "string"}, {"veld": " regel 1\r\nregel 2 "})
    assert values == {"veld": "regel 1\nregel 2"}


def test_postcode_is_normalised() -> None:
    assert _coerce_one("postcode", {"type": "string"}, {"veld": "3311ab"})[0] == {"veld": "3311 AB"}
    assert _coerce_one("postcode", {"type": "string"}, {"veld": "onzin"})[0] == {"veld": "onzin"}


@pytest.mark.parametrize(
    ("schema_type", "text", "expected"),
    [("number", "2,5", 2.5), ("integer", "1.000", 1000), ("number", "7", 7)],
)
def test_number_widget(schema_type: str, text: str, expected: float) -> None:
    assert _coerce_one("number", {"type": schema_type}, {"veld": text}) == ({"veld": expected}, [])


def test_money_widget() -> None:
    assert _coerce_one("money", {"type": "number"}, {"veld": "1.250,50"}) == ({"veld": 1250.5}, [])
    assert _coerce_one("money", {"type": "integer"}, {"veld": "€ 300,-"}) == ({"veld": 300}, [])


def test_date_widget() -> None:
    schema = {"type": "string", "format": "date"}
    assert _coerce_one("date", schema, {"veld": "31-12-2025"}) == ({"veld": "2025-12-31"}, [])


@pytest.mark.parametrize("text", ["on", "ja", "true", "1", "Ja", "TRUE"])
def test_checkbox_true_words(text: str) -> None:
    assert _coerce_one("checkbox", {"type": "boolean"}, {"veld": text}) == ({"veld": True}, [])


@pytest.mark.parametrize("raw", [{}, {"veld": "nee"}, {"veld": "false"}, {"veld": ""}])
def test_checkbox_not_sent_or_false_is_false(raw: dict[str, str]) -> None:
    assert _coerce_one("checkbox", {"type": "boolean"}, raw) == ({"veld": False}, [])


def test_checkbox_with_hidden_fallback_value_is_true_when_ticked() -> None:
    assert _coerce_one("checkbox", {"type": "boolean"}, {"veld": ["0", "on"]})[0] == {"veld": True}


def test_radio_with_boolean_schema_gives_bool() -> None:
    assert _coerce_one("radio", {"type": "boolean"}, {"veld": "ja"})[0] == {"veld": True}
    assert _coerce_one("radio", {"type": "boolean"}, {"veld": "false"})[0] == {"veld": False}


def test_select_with_integer_enum_gives_int() -> None:
    assert _coerce_one("select", {"type": "integer", "enum": [1, 2]}, {"veld": "2"})[0] == {"veld": 2}


def test_hidden_follows_schema_type() -> None:
    assert _coerce_one("hidden", {"type": "integer"}, {"veld": "42"})[0] == {"veld": 42}


def test_checkboxes_give_a_list_without_duplicates_or_blanks() -> None:
    schema = {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
    assert _coerce_one("checkboxes", schema, {"veld": ["a", "", "b", "a"]})[0] == {"veld": ["a", "b"]}


def test_checkboxes_convert_items_by_item_type() -> None:
    schema = {"type": "array", "items": {"type": "integer", "enum": [1, 2, 3]}}
    assert _coerce_one("checkboxes", schema, {"veld": ["1", "3"]})[0] == {"veld": [1, 3]}


def test_nothing_ticked_in_checkboxes_is_absent() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    assert _coerce_one("checkboxes", schema, {"veld": []}) == ({}, [])


def test_file_gives_the_document_ids_and_skips_upload_objects() -> None:
    schema = {"type": "array", "items": {"type": "string"}}
    raw: dict[str, Any] = {"veld": ["doc-1", object(), "doc-2"]}
    assert _coerce_one("file", schema, raw)[0] == {"veld": ["doc-1", "doc-2"]}


@pytest.mark.parametrize("widget", ["text", "number", "money", "date", "select", "email"])
def test_empty_text_is_absent(widget: str) -> None:
    schema = {"type": "number"} if widget in ("number", "money") else {"type": "string"}
    assert _coerce_one(widget, schema, {"veld": "   "}) == ({}, [])


def test_multidict_getlist_is_used() -> None:
    raw = FakeMultiDict([("veld", "a"), ("veld", "b")])
    schema = {"type": "array", "items": {"type": "string"}}
    assert _coerce_one("checkboxes", schema, raw)[0] == {"veld": ["a", "b"]}
    assert _coerce_one("text", {"type": "string"}, FakeMultiDict([("veld", ""), ("veld", "b")]))[0] == {"veld": "b"}


def test_werkzeug_multidict() -> None:
    datastructures = pytest.importorskip("werkzeug.datastructures")
    raw = datastructures.MultiDict([("naam", "An"), ("bedrag", "12,50"), ("csrf_token", "x")])
    assert coerce(create_definition(), raw) == ({"naam": "An", "bedrag": 12.5}, [])


def test_unknown_keys_are_dropped() -> None:
    values, errors = coerce(create_definition(), {"naam": "An", "csrf_token": "abc", "hack": "1"})
    assert values == {"naam": "An"}
    assert errors == []


def test_step_limits_coercion_to_its_fields() -> None:
    definition = create_definition(
        steps=[
            {"id": "een", "title": {"nl": "Een"}, "fields": ["naam"]},
            {"id": "twee", "title": {"nl": "Twee"}, "fields": ["bedrag", "wijk"]},
        ]
    )
    raw = {"naam": "An", "bedrag": "5", "wijk": "oost"}
    assert coerce(definition, raw, step="twee") == ({"bedrag": 5, "wijk": "oost"}, [])


@pytest.mark.parametrize(
    ("widget", "schema", "text", "nl", "en"),
    [
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
            "2,5",
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
        (
            "money",
            {"type": "number"},
            "1,255",
            "Gebruik bij veld niet meer dan 2 cijfers achter de komma.",
            "Use no more than 2 digits after the decimal point for field.",
        ),
        (
            "date",
            {"type": "string"},
            "30-02-2025",
            "Vul veld in als een bestaande datum, zoals 31-12-2025.",
            "Enter field as a real date, such as 31-12-2025.",
        ),
        (
            "checkbox",
            {"type": "boolean"},
            "misschien",
            "Kies ja of nee bij veld.",
            "Choose yes or no for field.",
        ),
        (
            "radio",
            {"type": "boolean"},
            "misschien",
            "Kies ja of nee bij veld.",
            "Choose yes or no for field.",
        ),
    ],
)
def test_conversion_errors_in_dutch_and_english(
    widget: str, schema: dict[str, Any], text: str, nl: str, en: str
) -> None:
    definition = create_field_form(widget=widget, schema=schema)
    assert coerce(definition, {"veld": text}) == ({}, [FieldError("veld", nl)])
    assert coerce(definition, {"veld": text}, lang="en") == ({}, [FieldError("veld", en)])


def test_conversion_error_uses_the_phrase() -> None:
    values, errors = coerce(create_definition(), {"bedrag": "veel"})
    assert errors == [FieldError("bedrag", "Vul het bedrag in met alleen cijfers, zoals 1250 of 1.250,50.")]
