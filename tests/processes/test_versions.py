"""Versions: running initiatives counted on every version they run, also inside a call activity;
a change note per deploy; and an earlier version made current again with one action."""

from __future__ import annotations

from engine.service import Engine
from processes import MODELS_DIR, studio, versions
from processes.loket import Loket
from tests.processes.factories import Case, complex_data, wijkwens_data
from tests.web.staff.support import ACCEPT, INTAKE, PROCES


def _rows(loket: Loket) -> dict[str, versions.ProcessRow]:
    return {row.process_id: row for row in versions.overview(loket)}


def test_running_initiatives_are_counted_in_the_processes_they_run_as_call_activities(
    loket: Loket, engine: Engine
) -> None:
    wish = Case.start(engine, wijkwens_data())
    wish.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    Case.start(engine, complex_data())  # still at the intake: its category is proposed already
    rows = _rows(loket)
    assert rows["initiatief"].current.running == 2
    assert rows["wijkwens"].current.running == 1
    assert rows["complex"].current.running == 1
    assert rows["eenvoudig"].current.running == 0


def test_a_deploy_keeps_its_change_note_and_an_earlier_version_becomes_current_again(
    loket: Loket, engine: Engine
) -> None:
    changed = (MODELS_DIR / "eenvoudig.bpmn").read_text().replace("werkdagen(10)", "werkdagen(8)")
    _check, result = studio.deploy(loket, {"eenvoudig.bpmn": changed.encode()}, actor=PROCES,
                                   note="  Norm team Groen naar 8 werkdagen.  ")
    assert result is not None
    eenvoudig = _rows(loket)["eenvoudig"]
    assert [v.version_no for v in eenvoudig.versions] == [2, 1]
    assert (eenvoudig.current.note, eenvoudig.current.deployed_by) == ("Norm team Groen naar 8 werkdagen.", PROCES)

    first = eenvoudig.versions[1]
    again = versions.make_current(loket, first.version_id, actor=PROCES)
    assert [(v.process_id, v.version_no) for v in again.versions if v.new and v.process_id == "eenvoudig"] == [
        ("eenvoudig", 3)]
    current = _rows(loket)["eenvoudig"].current
    assert current.version_no == 3 and current.note == "Versie 1 van eenvoudig weer in gebruik genomen."
    assert "werkdagen(10)" in (studio.file_in_use(loket, "eenvoudig.bpmn") or b"").decode()
