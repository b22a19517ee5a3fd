"""Scenarios in the bundle: every path of the bundled models is walked by one and passes; a
changed model makes the scenarios that cover it fail at the first difference; a wrong scenario
file says what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from engine import read_bundle_files
from processes import MODELS_DIR, studio, versions
from processes.loket import Loket, bundle_catalog_for
from processes.scenario_files import ScenarioInvalid, parse_scenario, scenarios_in
from processes.scenarios import run, run_all
from web.cli import cli

FILES = read_bundle_files(MODELS_DIR)
CONTENT = bundle_catalog_for()(FILES)


def test_the_bundled_scenarios_cover_every_path_and_all_pass() -> None:
    outcomes, broken = run_all(FILES, CONTENT)
    assert broken == {}
    assert len(outcomes) >= 21
    assert [outcome.scenario.file for outcome in outcomes if not outcome.passed] == []
    ends = {outcome.trace.ended_at for outcome in outcomes}
    assert {"einde_toegekend", "einde_afgewezen", "einde_doorverwezen", "einde_ingetrokken"} <= ends
    rules = {outcome.trace.data.get("categorie_regel") for outcome in outcomes}
    assert rules == {f"R{number}" for number in range(1, 12)}  # every rule of the categorisation table


def test_a_changed_threshold_fails_the_scenarios_it_changes_with_the_first_difference() -> None:
    table = FILES["categorisatie.dmn"].decode()
    assert "&lt;= 2500" in table
    changed = {**FILES, "categorisatie.dmn": table.replace("&lt;= 2500", "&lt;= 1000").encode()}
    outcomes, _broken = run_all(changed, CONTENT)
    failed = {outcome.scenario.file: outcome.difference for outcome in outcomes if not outcome.passed}
    assert failed["scenarios/categorie_r6_buurtfeest.json"] == 'categorie: verwacht "wijkwens", maar het was "complex"'
    assert "scenarios/eenvoudig_toegekend.json" not in failed


def test_a_scenario_whose_answers_do_not_fit_the_form_fails_with_the_form_named() -> None:
    raw = json.loads(FILES["scenarios/eenvoudig_afgewezen.json"])
    raw["stappen"][1]["antwoorden"] = {"aanvulling_nodig": False, "besluit": "misschien"}
    scenario = parse_scenario("scenarios/x.json", json.dumps(raw).encode())
    outcome = run(FILES, scenario, CONTENT)
    assert not outcome.passed and outcome.difference is not None
    assert outcome.difference.startswith("na 1 van 3 stappen: De antwoorden bij 'groen_beoordelen' passen niet")


def test_services_answer_as_the_scenario_says() -> None:
    raw = json.loads(FILES["scenarios/wijkwens_budget_te_kort.json"])
    outcome = run(FILES, parse_scenario("scenarios/te_kort.json", json.dumps(raw).encode()), CONTENT)
    assert outcome.passed and outcome.trace.data["budget_toereikend"] is False
    del raw["diensten"]
    ordinary = run(FILES, parse_scenario("scenarios/gewoon.json", json.dumps(raw).encode()), CONTENT)
    assert ordinary.trace.data["budget_toereikend"] is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{ geen json", "Dit is geen goede JSON"),
        (b"[]", "Een scenario is één JSON-object"),
        (b'{"stappen": [{"doe": "iets"}]}', "Stap 1 moet"),
        (b'{"stappen": [{"wacht": {"dagen": -1}}]}', "Stap 1 moet"),
        (b'{"verwacht": {"kleur": "rood"}}', "Onbekend in \"verwacht\": kleur"),
        (b'{"naam": "x", "extra": 1}', "Onbekende onderdelen: extra"),
    ],
)
def test_a_wrong_scenario_file_says_what_to_fix(content: bytes, message: str) -> None:
    with pytest.raises(ScenarioInvalid) as invalid:
        parse_scenario("scenarios/kapot.json", content)
    assert message in str(invalid.value)
    _found, broken = scenarios_in({"scenarios/kapot.json": content})
    assert message in broken["scenarios/kapot.json"]


def test_a_broken_scenario_in_the_bundle_is_reported_by_the_check_and_is_no_form() -> None:
    content = bundle_catalog_for()({**FILES, "scenarios/kapot.json": b"{ geen json"})
    assert [problem.code for problem in content.problems()] == ["scenario.invalid"]
    assert not content.exists("kapot") and not content.exists("eenvoudig_toegekend")


def test_an_uploaded_scenario_goes_with_the_scenarios(loket: Loket) -> None:
    check = studio.check(loket, {"nieuw_pad.json": FILES["scenarios/eenvoudig_afgewezen.json"]})
    assert check.added == ["scenarios/nieuw_pad.json"] and check.problems == []


def test_a_deploy_whose_scenarios_fail_is_refused_unless_a_reason_is_given(loket: Loket) -> None:
    longer_norm = FILES["eenvoudig.bpmn"].replace(b"werkdagen(10)", b"werkdagen(15)")
    checked = studio.check(loket, {"eenvoudig.bpmn": longer_norm})
    assert [problem.file for problem in checked.problems] == ["scenarios/eenvoudig_servicenorm_verlopen.json"]
    refused, nothing = studio.deploy(loket, {"eenvoudig.bpmn": longer_norm}, actor="paul@gemeente.example")
    assert nothing is None and [problem.code for problem in refused.problems] == ["scenario.failed"]
    assert studio.file_in_use(loket, "eenvoudig.bpmn") == FILES["eenvoudig.bpmn"]

    done, result = studio.deploy(loket, {"eenvoudig.bpmn": longer_norm}, actor="paul@gemeente.example",
                                 note="Norm 15 werkdagen.", reason="Het scenario volgt na de evaluatie.")
    assert result is not None and [problem.code for problem in done.warnings] == ["scenario.failed"]
    note = next(row for row in versions.overview(loket) if row.process_id == "eenvoudig").current.note
    assert note == ("Norm 15 werkdagen.\nToch in gebruik genomen terwijl 1 scenario('s) mislukten "
                    "(scenarios/eenvoudig_servicenorm_verlopen.json). Reden: Het scenario volgt na de evaluatie.")


def test_models_deploy_needs_a_reason_when_scenarios_fail(app: Flask, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "modellen"
    shutil.copytree(MODELS_DIR, folder)
    (folder / "eenvoudig.bpmn").write_bytes(FILES["eenvoudig.bpmn"].replace(b"werkdagen(10)", b"werkdagen(15)"))
    runner = app.test_cli_runner()
    refused = runner.invoke(cli, ["models", "deploy", str(folder)])
    assert refused.exit_code == 1 and "eenvoudig_servicenorm_verlopen.json" in refused.output
    done = runner.invoke(cli, ["models", "deploy", str(folder), "--reden", "evaluatie"])
    assert done.exit_code == 0, done.output
    assert "eenvoudig: versie 2 (nieuw)" in done.output
