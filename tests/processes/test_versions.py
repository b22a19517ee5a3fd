"""Versions: running initiatives counted on every version they run, also inside a call activity;
a change note per deploy; and an earlier version made current again with one action."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, event

from engine import RunningCount
from engine.service import Engine
from processes import MODELS_DIR, studio, versions
from processes.loket import Loket
from tests.processes.factories import Case, complex_data, intake_data, wijkwens_data
from tests.processes.test_migration import deploy_new_version
from tests.web.staff.support import ACCEPT, INTAKE, PROCES


def _rows(loket: Loket) -> dict[str, versions.ProcessRow]:
    return {row.process_id: row for row in versions.overview(loket)}


def test_running_initiatives_are_counted_in_the_processes_they_run_as_call_activities(
    loket: Loket, engine: Engine
) -> None:
    wish = Case.start(engine, wijkwens_data())
    wish.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    complex_case = Case.start(engine, complex_data())  # still at the intake: not in complex yet
    rows = _rows(loket)
    assert rows["initiatief"].current.running == 2
    assert rows["wijkwens"].current.running == 1
    assert (rows["complex"].current.running, rows["eenvoudig"].current.running) == (0, 0)

    complex_case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert _rows(loket)["complex"].current.running == 1
    engine.cancel(complex_case.id, actor=INTAKE, reason="ingetrokken door de initiatiefnemer")
    rows = _rows(loket)
    assert (rows["initiatief"].current.running, rows["complex"].current.running) == (1, 0)


def test_the_counters_are_what_the_stored_workflows_say_and_follow_a_moved_case(loket: Loket,
                                                                                engine: Engine) -> None:
    moved = Case.start(engine, complex_data())
    moved.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    green = Case.start(engine, intake_data())
    green.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    Case.start(engine, wijkwens_data())
    kept = engine.running_counts()
    assert engine.recount_running() == 3
    assert engine.running_counts() == kept

    new_version = deploy_new_version(loket)
    engine.move_case(moved.id, new_version, actor=PROCES)
    rows = _rows(loket)
    initiatief = {version.version_id: version.running for version in rows["initiatief"].versions}
    assert initiatief[new_version] == 1 and sum(initiatief.values()) == 3
    assert [version.running for version in rows["complex"].versions] == [1, 0]  # newest first
    kept = engine.running_counts()
    assert engine.recount_running() == 3
    assert engine.running_counts() == kept


def test_the_owners_page_counts_without_reading_the_initiatives(loket: Loket, engine: Engine) -> None:
    Case.start(engine, wijkwens_data())
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.lower())

    event.listen(engine.db.engine, "before_cursor_execute", seen)
    try:
        assert _rows(loket)["initiatief"].current.running == 1
    finally:
        event.remove(engine.db.engine, "before_cursor_execute", seen)
    assert statements and not [text for text in statements if "process_instance" in text]


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


def test_an_upgrade_counts_the_initiatives_that_were_running_before_the_counters(loket: Loket,
                                                                                  engine: Engine) -> None:
    wish = Case.start(engine, wijkwens_data())
    wish.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    kept = engine.running_counts()
    with engine.db.transaction() as session:
        session.execute(delete(RunningCount))  # as a database looks right after the migration
    assert engine.running_counts() == {}
    assert engine.fill_running_counts() == 1
    assert engine.running_counts() == kept
    assert engine.fill_running_counts() is None  # kept since: nothing to do
