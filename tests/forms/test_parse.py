"""Parsing the JSON structure of a definition; broken structure is refused with a clear reason."""

from __future__ import annotations

from typing import Any

import pytest

from forms import FormDefinitionError, parse_definition
from tests.forms.factories import create_definition_dict


def _error(raw: Any) -> FormDefinitionError:
    with pytest.raises(FormDefinitionError) as caught:
        parse_definition(raw)
    return caught.value


def test_a_bare_string_counts_as_dutch() -> None:
    raw = create_definition_dict(title="Formulier")
    assert parse_definition(raw).titles == {"nl": "Formulier"}


@pytest.mark.parametrize(
    ("raw", "nl", "en"),
    [
        ([], "Het formulier / the form moet een JSON-object zijn ({...}).", "must be a JSON object"),
        (create_definition_dict(id=5), "id moet een tekst zijn.", "id must be a text (string)."),
        (
            create_definition_dict(fields=[]),
            "fields moet een JSON-object zijn",
            "fields must be a JSON object",
        ),
        (
            create_definition_dict(steps={}),
            "steps moet een lijst zijn ([...]).",
            "steps must be a list ([...]).",
        ),
        (
            create_definition_dict(steps=[{"id": "a"}]),
            "steps[0]: het onderdeel 'fields' ontbreekt.",
            "steps[0]: the part 'fields' is missing.",
        ),
        (create_definition_dict(title={"nl": 3}), "title.nl moet een tekst zijn.", "title.nl must be a text"),
    ],
)
def test_broken_structure(raw: Any, nl: str, en: str) -> None:
    error = _error(raw)
    assert nl in str(error)
    assert en in error.describe("en")


@pytest.mark.parametrize("key", ["id", "title", "schema", "fields"])
def test_missing_top_level_part(key: str) -> None:
    raw = create_definition_dict()
    del raw[key]
    assert f"het onderdeel '{key}' ontbreekt" in str(_error(raw))


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"label": {"nl": "X"}, "options": {}}, "fields.naam.options moet een lijst zijn"),
        ({"label": {"nl": "X"}, "options": [{"label": {"nl": "X"}}]}, "het onderdeel 'value' ontbreekt"),
        ({"label": {"nl": "X"}, "show_if": {"field": "wijk"}}, "het onderdeel 'equals' ontbreekt"),
        (
            {"label": {"nl": "X"}, "show_if": {"field": 1, "equals": 1}},
            "fields.naam.show_if.field moet een tekst",
        ),
        ({"label": {"nl": "X"}, "widget": 3}, "fields.naam.widget moet een tekst zijn"),
        ({"label": {"nl": "X"}, "messages": []}, "fields.naam.messages moet een JSON-object zijn"),
        ("naam", "fields.naam moet een JSON-object zijn"),
    ],
)
def test_broken_field(entry: Any, where: str) -> None:
    raw = create_definition_dict()
    raw["fields"]["naam"] = entry
    assert where in str(_error(raw))
