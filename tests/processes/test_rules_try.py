"""Trying a decision table with the answers a form sends (all text): each answer is read by its
input's type, with a message per field; then the engine decides."""

from __future__ import annotations

import re

import pytest

from processes import MODELS_DIR
from processes.rules_try import read_answer, table_inputs, try_table

TABLE = (MODELS_DIR / "categorisatie.dmn").read_bytes()
NAME = "categorisatie.dmn"
ROW = {rule_id.decode(): number for number, rule_id in enumerate(re.findall(rb'<rule id="Rule_(R\d+)"', TABLE), 1)}
"""The row (1-based, as the editor numbers it) of each rule id."""
GREEN = {"Input_vergunning": "nee", "Input_locatie": "nee", "Input_reikwijdte": "straat",
         "Input_vakgebieden": "1", "Input_soort": "groen", "Input_bedrag": "0"}


def fired(**changes: str) -> list[int]:
    trial = try_table(TABLE, {**GREEN, **changes}, NAME)
    assert trial.answer_problems == () and trial.problems == ()
    assert trial.decision is not None
    return [rule.number for rule in trial.decision.applied]


def test_the_inputs_to_ask_for() -> None:
    table = table_inputs(TABLE, NAME)
    assert [(item.input_id, item.type) for item in table.inputs] == [
        ("Input_vergunning", "boolean"), ("Input_locatie", "boolean"), ("Input_reikwijdte", "string"),
        ("Input_vakgebieden", "number"), ("Input_soort", "string"), ("Input_bedrag", "number")]


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, "R5"),
    ({"Input_vergunning": "ja"}, "R1"),
    ({"Input_vergunning": "True"}, "R1"),
    ({"Input_locatie": " JA "}, "R2"),
    ({"Input_reikwijdte": "stad"}, "R3"),
    ({"Input_vakgebieden": "3"}, "R4"),
    ({"Input_soort": "activiteit", "Input_bedrag": "2.500"}, "R6"),
    ({"Input_soort": "activiteit", "Input_bedrag": "€ 2.500,01"}, "R7"),
    ({"Input_soort": "activiteit", "Input_bedrag": "2500.50"}, "R7"),
    ({"Input_soort": "activiteit", "Input_vergunning": "ja", "Input_bedrag": "300"}, "R9"),
    ({"Input_bedrag": "1.499,99"}, "R5"),
    ({"Input_bedrag": "1500"}, "R8"),
])
def test_form_answers_are_read_by_type_and_decided_by_the_engine(changes: dict[str, str], rule: str) -> None:
    assert fired(**changes) == [ROW[rule]]


def test_the_outcome_carries_the_outputs_and_the_explanation() -> None:
    trial = try_table(TABLE, {**GREEN, "Input_reikwijdte": "wijk"}, NAME)
    assert trial.decision is not None
    [rule] = trial.decision.applied
    assert (rule.number, rule.outputs[0][0], rule.outputs[0][2]) == (ROW["R3"], "categorie_voorstel", "complex")
    assert rule.description.startswith("U gaf aan dat uw initiatief voor de hele wijk of de hele stad is.")
    assert [other.number for other in trial.decision.matched] == [ROW["R3"], ROW["R5"], ROW["R8"]]


@pytest.mark.parametrize(("input_id", "raw", "dutch", "english"), [
    ("Input_bedrag", "veel", "Vul bij ‘Gevraagd bedrag (euro)’ een getal in, zoals 3 of 1.250,50.",
     "Enter a number for ‘Gevraagd bedrag (euro)’, such as 3 or 1,250.50."),
    ("Input_bedrag", "12,345", "Gebruik bij ‘Gevraagd bedrag (euro)’ niet meer dan 2 cijfers achter de komma.",
     "Use no more than 2 digits after the decimal point for ‘Gevraagd bedrag (euro)’."),
    ("Input_vergunning", "misschien", "Kies ja of nee bij ‘Vergunning nodig?’.",
     "Choose yes or no for ‘Vergunning nodig?’."),
    ("Input_soort", "x" * 1001, "Het antwoord bij ‘Soort initiatief’ is te lang (hoogstens 1000 tekens).",
     "The answer for ‘Soort initiatief’ is too long (at most 1000 characters)."),
])
def test_an_answer_that_cannot_be_read_is_named_per_field(input_id: str, raw: str, dutch: str, english: str) -> None:
    trial = try_table(TABLE, {**GREEN, input_id: raw, "Input_vakgebieden": "drie"}, NAME)
    assert trial.decision is None
    by_field = {problem.input_id: problem for problem in trial.answer_problems}
    assert set(by_field) == {input_id, "Input_vakgebieden"}
    assert (by_field[input_id].message("nl"), by_field[input_id].message("en")) == (dutch, english)


def test_an_empty_answer_is_not_answered() -> None:
    [item] = [item for item in table_inputs(TABLE, NAME).inputs if item.input_id == "Input_soort"]
    assert read_answer(item, "   ") is None and read_answer(item, " groen ") == "groen"
    trial = try_table(TABLE, {**GREEN, "Input_vergunning": ""}, NAME)
    assert trial.decision is not None and trial.answer_problems == ()
    [problem] = trial.problems
    assert problem.message_nl.startswith("Regel 1 heeft een antwoord nodig bij ‘Vergunning nodig?’.")


def test_unknown_answers_are_ignored() -> None:
    assert fired(csrf_token="x", Input_onbekend="ja") == [ROW["R5"]]


def test_a_broken_table_is_not_tried() -> None:
    trial = try_table(b"<definitions", GREEN, NAME)
    assert trial.decision is None and trial.table.inputs == ()
    [problem] = trial.problems
    assert problem.code == "xml.malformed" and "categorisatie.dmn is geen geldige XML" in problem.message_nl
