"""Trying a decision table: the real categorisation table decides, through SpiffWorkflow's own
DMN engine, what a case with the same answers gets; a changed table decides as changed; a broken
table, a wrong answer and a runaway cell each give a problem in Dutch and English, never an
exception."""

from __future__ import annotations

import random
import re
import time
from types import SimpleNamespace
from typing import Any

import pytest

from engine import DecisionTrial, decision_inputs, try_decision
from engine.parsing import load_parser
from engine.scripting import make_engine_script_engine
from processes import MODELS_DIR

TABLE = (MODELS_DIR / "categorisatie.dmn").read_bytes()
ROW = {rule_id.decode(): number for number, rule_id in enumerate(re.findall(rb'<rule id="Rule_(R\d+)"', TABLE), 1)}
"""The row (1-based, as the editor numbers it) of each rule id: R6, the first wijkwens rule, is row 1."""
GREEN_LIMIT = b"&lt; 1500"
"""The amount cell of R5: green initiatives below it are simple."""
GREEN = {"Input_vergunning": False, "Input_locatie": False, "Input_reikwijdte": "straat",
         "Input_vakgebieden": 1, "Input_soort": "groen", "Input_bedrag": 0}
"""A simple green initiative (tests/processes/factories.intake_data), as answers per input."""


def answers(**changes: Any) -> dict[str, Any]:
    return {**GREEN, **changes}


def applied(trial: DecisionTrial) -> list[int]:
    assert trial.problems == ()
    return [rule.number for rule in trial.applied]


def only_problem(trial: DecisionTrial) -> tuple[str | None, str, str]:
    [problem] = trial.problems
    assert trial.applied == () and trial.result == {}
    return problem.element_id, problem.message_nl, problem.message_en


def test_the_inputs_of_the_categorisation_table_with_their_types_and_values() -> None:
    table = decision_inputs(TABLE)
    assert (table.decision_id, table.decision_name, table.hit_policy) == ("categorie", "Categorie van een initiatief",
                                                                          "FIRST")
    described = [(i.input_id, i.label, i.expression, i.type, i.variable, i.values) for i in table.inputs]
    assert described == [
        ("Input_vergunning", "Vergunning nodig?", "vergunning_nodig", "boolean", "vergunning_nodig", ()),
        ("Input_locatie", "Locatie nodig?", "locatie_nodig", "boolean", "locatie_nodig", ()),
        ("Input_reikwijdte", "Reikwijdte", "reikwijdte", "string", "reikwijdte", ("straat", "buurt", "wijk", "stad")),
        ("Input_vakgebieden", "Aantal vakgebieden", "len(disciplines)", "number", None, ()),
        ("Input_soort", "Soort initiatief", "soort_initiatief", "string", "soort_initiatief",
         ("activiteit", "anders", "groen")),
        ("Input_bedrag", "Gevraagd bedrag (euro)", "gevraagd_bedrag", "number", "gevraagd_bedrag", ()),
    ]


def test_input_values_of_the_table_come_before_the_cells() -> None:
    expression = b"<text>soort_initiatief</text>\n        </inputExpression>"
    changed = TABLE.replace(expression, expression + b'<inputValues><text>"groen","activiteit","voorziening"</text>'
                                                     b"</inputValues>")
    [soort] = [i for i in decision_inputs(changed).inputs if i.input_id == "Input_soort"]
    assert soort.values == ("groen", "activiteit", "voorziening")


# The same answer sets as tests/processes/test_models.py::test_categorisation_rules.
@pytest.mark.parametrize(
    ("changes", "rule", "category"),
    [
        ({}, "R5", "eenvoudig"),
        ({"Input_bedrag": 1200}, "R5", "eenvoudig"),
        ({"Input_bedrag": 1500}, "R8", "complex"),
        ({"Input_vergunning": True}, "R1", "complex"),
        ({"Input_locatie": True}, "R2", "complex"),
        ({"Input_reikwijdte": "stad"}, "R3", "complex"),
        ({"Input_vakgebieden": 3}, "R4", "complex"),
        ({"Input_soort": "activiteit", "Input_reikwijdte": "buurt", "Input_bedrag": 750}, "R6", "wijkwens"),
        ({"Input_soort": "activiteit", "Input_bedrag": 2500}, "R6", "wijkwens"),
        ({"Input_soort": "activiteit", "Input_bedrag": 2600}, "R7", "complex"),
        ({"Input_soort": "activiteit", "Input_vergunning": True, "Input_bedrag": 300}, "R9", "wijkwens"),
        ({"Input_soort": "activiteit", "Input_locatie": True, "Input_bedrag": 450}, "R10", "wijkwens"),
        ({"Input_soort": "activiteit", "Input_reikwijdte": "wijk", "Input_vakgebieden": 4, "Input_bedrag": 800},
         "R6", "wijkwens"),
        ({"Input_soort": "activiteit", "Input_reikwijdte": "stad", "Input_bedrag": 800}, "R3", "complex"),
        ({"Input_soort": "anders", "Input_bedrag": 100}, "R11", "wijkwens"),
        ({"Input_soort": "voorziening"}, "R8", "complex"),
    ],
)
def test_the_categorisation_table_fires_the_expected_rule(changes: dict[str, Any], rule: str, category: str) -> None:
    trial = try_decision(TABLE, answers(**changes))
    assert applied(trial) == [ROW[rule]]
    [fired] = trial.applied
    outputs = {name: value for name, _label, value in fired.outputs}
    assert outputs["categorie_voorstel"] == category and outputs["categorie_regel"] == rule
    assert fired.description and fired.description == outputs["categorie_uitleg"]
    assert outputs["categorie_uitleg_en"] and outputs["categorie_uitleg_en"] != outputs["categorie_uitleg"]
    assert trial.result == outputs
    assert ("Voorgestelde categorie" in [label for _name, label, _value in fired.outputs])


def test_every_rule_that_fits_is_listed_and_the_first_one_applies() -> None:
    trial = try_decision(TABLE, answers(Input_reikwijdte="wijk"))
    assert [rule.number for rule in trial.matched] == [ROW["R3"], ROW["R5"], ROW["R8"]]
    assert applied(trial) == [ROW["R3"]]
    assert trial.matched[1].outputs == () and trial.matched[1].description.startswith("U gaf aan dat het gaat om groen")


def spiff_result(data: dict[str, Any]) -> dict[str, Any]:
    """What a business rule task puts in a case's data (as tests/processes/test_models.py decides)."""
    engine = load_parser({"categorisatie.dmn": TABLE}).get_engine("categorie", None)
    task = SimpleNamespace(data=data, workflow=SimpleNamespace(script_engine=make_engine_script_engine()))
    return dict(engine.result(task))


def test_the_trial_gives_what_a_case_with_the_same_data_gets() -> None:
    rng = random.Random(7)
    disciplines = ["groen", "verkeer", "sociaal", "cultuur", "sport"]
    for _ in range(200):
        data = {"vergunning_nodig": rng.random() < 0.2, "locatie_nodig": rng.random() < 0.2,
                "reikwijdte": rng.choice(["straat", "buurt", "wijk", "stad"]),
                "disciplines": rng.sample(disciplines, rng.randint(1, 4)),
                "soort_initiatief": rng.choice(["groen", "activiteit", "anders"]),
                "gevraagd_bedrag": rng.choice([0, 999, 1000, 1001, 2500, 2501])}
        trial = try_decision(TABLE, {
            "Input_vergunning": data["vergunning_nodig"], "Input_locatie": data["locatie_nodig"],
            "Input_reikwijdte": data["reikwijdte"], "Input_vakgebieden": len(data["disciplines"]),
            "Input_soort": data["soort_initiatief"], "Input_bedrag": data["gevraagd_bedrag"]})
        assert trial.result == spiff_result(data), data


def test_a_changed_threshold_decides_as_changed() -> None:
    changed = TABLE.replace(b"&lt;= 2500", b"&lt;= 3000")
    trial = try_decision(changed, answers(Input_soort="activiteit", Input_bedrag=2800), filename="categorisatie.dmn")
    assert applied(trial) == [ROW["R6"]]
    assert applied(try_decision(TABLE, answers(Input_soort="activiteit", Input_bedrag=2800))) == [ROW["R7"]]


def test_a_collect_table_applies_every_rule_that_fits() -> None:
    collect = TABLE.replace(b'hitPolicy="FIRST"', b'hitPolicy="COLLECT"')
    trial = try_decision(collect, answers(Input_reikwijdte="wijk"))
    assert applied(trial) == [ROW["R3"], ROW["R5"], ROW["R8"]]
    assert trial.result["categorie_regel"] == ["R3", "R5", "R8"]


def test_no_rule_fits() -> None:
    without_catch_all = TABLE.replace(b'<inputEntry id="In_R8_soort"><text>-</text>',
                                      b'<inputEntry id="In_R8_soort"><text>\'anders\'</text>')
    trial = try_decision(without_catch_all, answers(Input_soort="voorziening"))
    assert trial.problems == () and trial.matched == () and trial.applied == () and trial.result == {}


def test_an_input_left_empty_that_a_rule_reads_is_named() -> None:
    partial = {key: value for key, value in GREEN.items() if key != "Input_vakgebieden"}
    element, dutch, english = only_problem(try_decision(TABLE, partial))
    assert element == "Rule_R4"
    assert dutch.startswith(f"Regel {ROW['R4']} heeft een antwoord nodig bij ‘Aantal vakgebieden’. Vul dat in.")
    assert english.startswith(f"Rule {ROW['R4']} needs an answer for ‘Aantal vakgebieden’.")
    assert "alle regels" in dutch  # FIRST: SpiffWorkflow looks at every rule, even after a fit


@pytest.mark.parametrize(("input_id", "value", "expected"), [
    ("Input_bedrag", "veel", "‘Gevraagd bedrag (euro)’ moet een getal zijn, niet 'veel'."),
    ("Input_bedrag", True, "‘Gevraagd bedrag (euro)’ moet een getal zijn, niet True."),
    ("Input_vergunning", "ja", "‘Vergunning nodig?’ moet ja of nee zijn, niet 'ja'."),
    ("Input_soort", 3, "‘Soort initiatief’ moet tekst zijn, niet 3."),
])
def test_an_answer_of_the_wrong_type_is_refused(input_id: str, value: Any, expected: str) -> None:
    element, dutch, english = only_problem(try_decision(TABLE, answers(**{input_id: value})))
    assert (element, dutch) == (input_id, expected)
    assert english.startswith(f"‘{dutch[1:dutch.index('’')]}’ must be")


def test_a_cell_that_does_not_work_with_the_answers_names_its_rule() -> None:
    changed = TABLE.replace(b"&gt;= 3", b"&gt;= 'drie'")
    element, dutch, english = only_problem(try_decision(changed, answers()))
    assert element == "Rule_R4"
    row = ROW["R4"]
    assert dutch.startswith(f"Regel {row}: de cel ‘len(disciplines)>= 'drie'’ werkt niet met deze antwoorden")
    assert "(TypeError" in dutch
    assert english.startswith(f"Rule {row}: the cell ‘len(disciplines)>= 'drie'’ does not work with these")


def test_a_cell_naming_something_that_is_no_input_says_so() -> None:
    element, dutch, _ = only_problem(try_decision(TABLE.replace(GREEN_LIMIT, b"&lt;= drempel"), answers()))
    assert element == "Rule_R5"
    assert dutch.startswith(f"Regel {ROW['R5']} gebruikt ‘drempel’, maar dat is geen invoer van deze tabel.")


def test_a_cell_the_sandbox_refuses_is_not_run() -> None:
    element, dutch, english = only_problem(try_decision(TABLE.replace(GREEN_LIMIT, b"? == ().__class__"),
                                                        answers()))
    assert element == "Rule_R5"
    assert "mag niet worden uitgevoerd" in dutch and "'.__class__' is niet toegestaan" in dutch
    assert "may not run" in english


@pytest.mark.parametrize(("cell", "dutch"), [
    (b"? == 'a' * 10 ** 9", "de herhaalde tekst of lijst wordt te groot"),
    (b"&lt;= len([i for i in range(100000) for j in range(100000)])", "de code herhaalt te vaak"),
    (b"? &lt;= " + b"1 + " * 6000 + b"1", "De code is te lang"),
    (b"&lt;= " + b"1+" * 20000 + b"1", "is te lang of te diep genest"),
])
def test_a_huge_or_runaway_cell_is_bounded(cell: bytes, dutch: str) -> None:
    started = time.monotonic()
    element, message, english = only_problem(try_decision(TABLE.replace(GREEN_LIMIT, cell), answers()))
    assert time.monotonic() - started < 5
    assert element == "Rule_R5" and dutch in message and english.startswith(f"Rule {ROW['R5']}")


@pytest.mark.parametrize(("content", "code"), [
    (b"", "xml.empty"),
    (b"<definitions", "xml.malformed"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><definitions/>', "xml.doctype"),
    (TABLE.replace(b'<output id="Output_categorie_regel"', b'<outputs id="Output_categorie_regel"'), "xml.schema"),
    ((MODELS_DIR / "eenvoudig.bpmn").read_bytes(), "file.not_dmn"),
    (TABLE.replace(b"<text>'complex'</text>", b"<text>'complex</text>"), "dmn.parse_error"),
])
def test_a_broken_table_gives_a_problem_not_an_exception(content: bytes, code: str) -> None:
    trial = try_decision(content, answers())
    assert [problem.code for problem in trial.problems][:1] == [code]
    assert all(problem.message_nl and problem.message_en for problem in trial.problems)
    assert decision_inputs(content).problems == trial.problems and decision_inputs(content).inputs == ()


def test_an_unknown_decision_id_is_named() -> None:
    [problem] = try_decision(TABLE, answers(), "bestaat_niet").problems
    assert problem.message_nl == "In dit bestand staat geen beslissing met id 'bestaat_niet'."
    assert applied(try_decision(TABLE, answers(), "categorie")) == [ROW["R5"]]


def test_two_inputs_reading_the_same_data_must_agree() -> None:
    twice = TABLE.replace(b"<text>len(disciplines)</text>", b"<text>gevraagd_bedrag</text>")
    element, dutch, _ = only_problem(try_decision(twice, answers(Input_vakgebieden=5, Input_bedrag=10)))
    assert element == "Input_bedrag" and "lezen allebei ‘gevraagd_bedrag’" in dutch
    assert applied(try_decision(twice, answers(Input_vakgebieden=10, Input_bedrag=10))) == [ROW["R4"]]
