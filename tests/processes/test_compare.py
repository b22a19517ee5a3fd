"""Comparing two versions: elements, properties, expressions, form questions, texts and
scenarios added, removed or changed, with the diagram element that shows each change."""

from __future__ import annotations

import json

from engine import read_bundle_files
from processes import MODELS_DIR, studio, versions
from processes.compare import ADDED, CHANGED, REMOVED, compare_bundles, compare_versions
from processes.loket import Loket
from tests.web.staff.support import PROCES

OLD = read_bundle_files(MODELS_DIR)


def changed_bundle() -> dict[str, bytes]:
    new = dict(OLD)
    new["eenvoudig.bpmn"] = (OLD["eenvoudig.bpmn"].replace(b"werkdagen(10)", b"werkdagen(12)")
                             .replace(b"Team Groen bekijkt uw initiatief.", b"Team Groen kijkt ernaar."))
    new["categorisatie.dmn"] = OLD["categorisatie.dmn"].replace(b'"In_R6_bedrag"><text>&lt;= 2500',
                                                                b'"In_R6_bedrag"><text>&lt;= 1000')
    form = json.loads(OLD["forms/intake.json"])
    form["fields"]["naam"]["label"]["nl"] = "Naam"
    form["fields"]["kvk"] = {"label": {"nl": "KvK-nummer", "en": "Chamber of Commerce number"}, "widget": "text"}
    new["forms/intake.json"] = json.dumps(form).encode()
    new["texts/bevestiging.nl.txt"] = OLD["texts/bevestiging.nl.txt"].replace(b"Onderwerp:", b"Onderwerp: [proef]")
    del new["scenarios/enquete_verlopen.json"]
    return new


def test_every_kind_of_change_is_named_with_its_details() -> None:
    changes = {(change.file, change.what): change for change in compare_bundles(OLD, changed_bundle())}
    task = changes[("eenvoudig.bpmn", "groen_beoordelen")]
    assert (task.kind, task.label, task.drawn) == (CHANGED, "Beoordelen door team Groen", "groen_beoordelen")
    assert task.details == ("statusText: 'Team Groen bekijkt uw initiatief.' → 'Team Groen kijkt ernaar.'",)
    timer = changes[("eenvoudig.bpmn", "Timer_norm_groen_beoordelen")]
    assert timer.details == ("timeDate: 'werkdagen(10)' → 'werkdagen(12)'",) and timer.drawn == "norm_groen_beoordelen"
    cell = changes[("categorisatie.dmn", "In_R6_bedrag")]
    # R6 is the table's first row, and the editor numbers rows from 1
    assert (cell.label, cell.drawn, cell.details) == ("regel 1", "Rule_R6", ("text: '<= 2500' → '<= 1000'",))
    form = changes[("forms/intake.json", "intake")]
    assert form.details == ("vraag kvk toegevoegd", "vraag naam gewijzigd")
    text = changes[("texts/bevestiging.nl.txt", "bevestiging.nl.txt")]
    assert any(line.startswith("+Onderwerp: [proef]") for line in text.details)
    assert changes[("scenarios/enquete_verlopen.json", "enquete_verlopen.json")].kind == REMOVED
    assert len(changes) == 6


def test_an_added_and_a_removed_task_are_drawn_where_they_are() -> None:
    new = dict(OLD)
    new["eenvoudig.bpmn"] = OLD["eenvoudig.bpmn"].replace(b'id="groen_beoordelen"', b'id="groen_keuren"')
    changes = compare_bundles(OLD, new)
    kinds = {(change.kind, change.what) for change in changes}
    assert (ADDED, "groen_keuren") in kinds and (REMOVED, "groen_beoordelen") in kinds


def test_the_same_files_compare_as_unchanged() -> None:
    assert compare_bundles(OLD, dict(OLD)) == []


def test_two_deployed_versions_are_compared_with_markers_for_the_diagram(loket: Loket) -> None:
    studio.deploy(loket, {"eenvoudig.bpmn": changed_bundle()["eenvoudig.bpmn"]}, actor=PROCES, reason="proef")
    eenvoudig = next(row for row in versions.overview(loket) if row.process_id == "eenvoudig")
    new, old = eenvoudig.versions[0], eenvoudig.versions[1]
    comparison = compare_versions(loket, old.version_id, new.version_id)
    assert (comparison.old_label, comparison.new_label) == ("eenvoudig versie 1", "eenvoudig versie 2")
    assert comparison.diagrams == ["eenvoudig.bpmn"]
    assert comparison.markers("eenvoudig.bpmn") == {ADDED: [], REMOVED: [],
                                                     CHANGED: ["norm_groen_beoordelen", "groen_beoordelen"]}
