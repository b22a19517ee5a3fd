"""The form editor's use cases: which bundle files are forms to edit, a new form, reading the
edited JSON, the preview (the form as the loket shows it, or its problems in words) and checking
and putting a form into use with the same versioning as a diagram."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine import InvalidTaskData
from engine.service import Engine
from forms import find_problems
from processes import FORMS_DIR, form_studio, studio, versions
from processes.errors import InvalidInput
from processes.loket import Loket
from tests.processes.factories import Case, complex_data
from tests.web.staff.support import ACCEPT, INTAKE, PROCES

CONFIRM = "categorie_bevestigen"
CONFIRM_FILE = f"forms/{CONFIRM}.json"


def confirm_form() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads((FORMS_DIR / f"{CONFIRM}.json").read_text(encoding="utf-8"))
    return parsed


def with_required_check(form: dict[str, Any]) -> dict[str, Any]:
    form["schema"]["properties"]["dubbel_gecontroleerd"] = {"type": "boolean", "enum": [True]}
    form["schema"]["required"].append("dubbel_gecontroleerd")
    form["fields"]["dubbel_gecontroleerd"] = {"label": {"nl": "Ik heb dit dubbel gecontroleerd"},
                                              "widget": "checkbox"}
    return form


@pytest.mark.parametrize(("name", "form_id"), [
    ("forms/intake.json", "intake"),
    ("intake.json", "intake"),
    ("forms/toets-regels_2.json", "toets-regels_2"),
    ("scenarios/eenvoudig_toegekend.json", None),
    ("forms/Intake.json", None),
    ("forms/intake.JSON", None),
    ("wijkwens.bpmn", None),
    ("texts/bevestiging.nl.txt", None),
])
def test_which_bundle_paths_can_hold_a_form(name: str, form_id: str | None) -> None:
    assert form_studio.form_id_of(name) == form_id


def test_a_form_in_use_opens_with_the_bundles_text(loket: Loket) -> None:
    found = form_studio.form_in_use(loket, CONFIRM_FILE)
    assert found is not None and not found.new and found.form_id == CONFIRM
    assert found.text == (FORMS_DIR / f"{CONFIRM}.json").read_text(encoding="utf-8")
    assert form_studio.form_in_use(loket, "scenarios/eenvoudig_toegekend.json") is None
    assert form_studio.form_in_use(loket, "forms/bestaat_niet.json") is None


def test_the_editor_may_send_a_form_in_use_or_a_new_one_that_takes_no_files_name(loket: Loket) -> None:
    assert form_studio.editable_name(loket, CONFIRM_FILE) == CONFIRM_FILE
    assert form_studio.editable_name(loket, "forms/peiling.json") == "forms/peiling.json"
    assert form_studio.editable_name(loket, "peiling.json") is None  # a new form goes in forms/
    assert form_studio.editable_name(loket, "forms/eenvoudig_toegekend.json") is None  # a scenario's name
    assert form_studio.editable_name(loket, "scenarios/eenvoudig_toegekend.json") is None


def test_a_new_form_is_small_valid_and_not_yet_in_use(loket: Loket) -> None:
    new = form_studio.new_form(loket, "peiling", " Peiling ", "")
    assert new.new and new.name == "forms/peiling.json" and new.form_id == "peiling"
    raw = json.loads(new.text)
    assert raw["title"] == {"nl": "Peiling"} and find_problems(raw, expected_id="peiling") == []
    assert new.text == form_studio.formatted(raw)
    assert "forms/peiling.json" not in studio.files_in_use(loket)
    with pytest.raises(form_studio.FormExists) as exists:
        form_studio.new_form(loket, "intake", "Nog een")
    assert exists.value.name == "forms/intake.json"
    with pytest.raises(InvalidInput) as invalid:
        form_studio.new_form(loket, "Niet Goed", "")
    assert invalid.value.problems == {"id": "invalid", "titel": "required"}


@pytest.mark.parametrize(("text", "dutch", "english"), [
    ('{\n  "id": "x",\n  "title" {}\n}', "Dit is geen geldige JSON (regel 3, teken 11)",
     "This is not valid JSON (line 3, character 11)"),
    ("[" * 100_000, "te diep genest", "nested too deeply"),
    ("[" * 41 + "]" * 41, "te diep genest (meer dan 40 niveaus)", "more than 40 levels"),
    ("x" * (5 * 1024 * 1024 + 1), "groter dan 5 MB", "larger than 5 MB"),
])
def test_json_that_cannot_be_read_is_told_in_both_languages(text: str, dutch: str, english: str) -> None:
    raw, problem = form_studio.read_json(text)
    assert raw is None and problem is not None
    assert dutch in problem.text("nl") and english in problem.text("en")


def test_json_forty_levels_deep_is_still_read() -> None:
    raw, problem = form_studio.read_json("[" * 40 + "]" * 40)
    assert problem is None and isinstance(raw, list)


def test_the_preview_is_the_form_as_the_loket_shows_it_now(loket: Loket) -> None:
    text = json.dumps(with_required_check(confirm_form()))
    shown = form_studio.preview(loket, CONFIRM_FILE, text)
    assert shown.problems == [] and shown.definition is not None
    assert shown.definition.fields["dubbel_gecontroleerd"].required
    intake = form_studio.form_in_use(loket, "forms/intake.json")
    assert intake is not None
    start = form_studio.preview(loket, intake.name, intake.text).definition
    assert start is not None  # the districts are the organisation's, as on the start form
    assert {option.value for option in start.fields["wijk"].options} >= {"oost", "west", "centrum"}


def test_the_preview_tells_every_problem_in_the_language_asked(loket: Loket) -> None:
    form = confirm_form()
    form["id"] = "anders"
    form["fields"]["categorie_gekozen"]["widget"] = "schuifje"
    dutch = form_studio.preview(loket, CONFIRM_FILE, json.dumps(form))
    assert dutch.definition is None
    assert any("moet gelijk zijn aan de bestandsnaam" in problem for problem in dutch.problems)
    assert any("het widget 'schuifje' bestaat niet" in problem for problem in dutch.problems)
    english = form_studio.preview(loket, CONFIRM_FILE, json.dumps(form), "en")
    assert any("the widget 'schuifje' does not exist" in problem for problem in english.problems)
    assert form_studio.preview(loket, CONFIRM_FILE, "null").problems != []


def test_checking_finds_the_problems_of_the_whole_bundle_and_changes_nothing(loket: Loket) -> None:
    before = studio.files_in_use(loket)
    form = confirm_form()
    del form["fields"]["categorie_akkoord"], form["schema"]["properties"]["categorie_akkoord"]
    form["schema"]["required"].remove("categorie_akkoord")
    for field in form["fields"].values():  # as the editor does when a question others wait for goes
        field.pop("show_if", None)
    found = form_studio.check(loket, CONFIRM_FILE, json.dumps(form).encode())
    assert found.replaced == [CONFIRM_FILE]
    [problem] = found.problems
    assert (problem.file, problem.element_id) == ("initiatief.bpmn", "categorie_vastleggen")
    assert "Het script leest 'categorie_akkoord'" in problem.message("nl")
    assert studio.files_in_use(loket) == before
    broken = form_studio.check(loket, CONFIRM_FILE, b'{"id": ')
    assert [problem.code for problem in broken.problems] == ["form.invalid"]
    assert broken.problems[0].file == CONFIRM_FILE and "regel 1" in broken.problems[0].message("nl")


def test_a_form_put_into_use_reaches_new_cases_and_running_ones_keep_theirs(loket: Loket, engine: Engine) -> None:
    before = Case.start(engine, complex_data())
    compact = json.dumps(with_required_check(confirm_form()), separators=(",", ":")).encode()
    refused, nothing = form_studio.deploy(loket, CONFIRM_FILE, compact, actor=PROCES)
    assert nothing is None and {problem.code for problem in refused.problems} == {"scenario.failed"}
    check, result = form_studio.deploy(loket, CONFIRM_FILE, compact, actor=PROCES,
                                       reason="de scenario's krijgen het vinkje in de volgende ronde")
    assert result is not None, [problem.format() for problem in check.problems]
    assert {version.process_id for version in result.versions if version.new} >= {"initiatief"}
    newest = {row.process_id: row.current for row in versions.overview(loket)}
    assert newest["initiatief"].note is not None
    assert "Reden: de scenario's krijgen het vinkje in de volgende ronde" in newest["initiatief"].note
    stored = studio.file_in_use(loket, CONFIRM_FILE)
    assert stored is not None and stored.decode() == form_studio.formatted(json.loads(compact))  # kept tidy

    after = Case.start(engine, complex_data())
    before.complete(CONFIRM, ACCEPT, actor=INTAKE)  # its own version's form did not ask it
    with pytest.raises(InvalidTaskData):
        after.complete(CONFIRM, ACCEPT, actor=INTAKE)
    after.complete(CONFIRM, {**ACCEPT, "dubbel_gecontroleerd": True}, actor=INTAKE)


def test_putting_into_use_keeps_who_and_why_with_the_new_versions(loket: Loket) -> None:
    form = confirm_form()
    form["title"]["nl"] = "Categorie vaststellen"
    _check, result = form_studio.deploy(loket, CONFIRM_FILE, json.dumps(form).encode(), actor=PROCES,
                                        note="  Titel korter  ")
    assert result is not None
    newest = {row.process_id: row.current for row in versions.overview(loket)}
    assert (newest["initiatief"].deployed_by, newest["initiatief"].note) == (PROCES, "Titel korter")
    form["title"]["nl"] = "Categorie kiezen"
    form_studio.deploy(loket, CONFIRM_FILE, json.dumps(form).encode(), actor=PROCES)
    newest = {row.process_id: row.current for row in versions.overview(loket)}
    assert newest["initiatief"].note == "Formulier categorie_bevestigen.json gewijzigd in de formulier-editor."


def test_a_form_that_cannot_be_read_is_not_put_into_use(loket: Loket) -> None:
    before = studio.files_in_use(loket)
    check, result = form_studio.deploy(loket, CONFIRM_FILE, b"[" * 1000 + b"]" * 1000, actor=PROCES)
    assert result is None and [problem.code for problem in check.problems] == ["form.invalid"]
    assert "te diep genest" in check.problems[0].message("nl")
    assert studio.files_in_use(loket) == before


def test_json_that_reads_as_a_scenario_is_not_put_with_the_scenarios(loket: Loket) -> None:
    before = studio.files_in_use(loket)
    scenario = {"id": "peiling", "stappen": [], "verwacht": {}}
    check, result = form_studio.deploy(loket, "forms/peiling.json", json.dumps(scenario).encode(), actor=PROCES)
    assert result is None and "Dit is geen formulier" in check.problems[0].message("nl")
    assert studio.files_in_use(loket) == before
