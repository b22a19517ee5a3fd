"""The monitoring's facts follow the steps of an initiative (the engine's step hook, in the step's
own transaction), and the upgrade fills the same facts from the stored cases and audit trails,
on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from engine import StepDone, StepSql, clock
from engine.rawsql import RawSql
from engine.service import Engine
from processes import MODELS_DIR
from processes.demo.organisation import load_organisation
from processes.facts import fill_facts, keep_facts
from processes.facts.workdays import day_number
from processes.loket import Loket
from processes.monitoring import Filters, Scope, dashboard
from processes.schema import upgrade_database
from processes.tables.facts import CaseFact, StepFact
from tests.processes.factories import INITIATOR, START, Case, intake_data
from tests.web.staff.support import ACCEPT, GROEN, INTAKE
from web import create_app, loket_of
from web.cli import cli

MONDAY = START.replace(tzinfo=UTC)  # 3 March 2025, 09:00


def fact(loket: Loket, instance_id: int) -> dict[str, Any]:
    with loket.reading() as session:
        row = session.get(CaseFact, instance_id)
        assert row is not None
        return {column: getattr(row, column) for column in CaseFact.__table__.columns.keys()}


def steps(loket: Loket, instance_id: int) -> list[tuple[Any, ...]]:
    with loket.reading() as session:
        return [tuple(row) for row in session.execute(
            select(StepFact.process, StepFact.element, StepFact.done_at, StepFact.seconds, StepFact.work_days,
                   StepFact.calendar_days, StepFact.actor, StepFact.case_ref, StepFact.created_at)
            .where(StepFact.instance_id == instance_id).order_by(StepFact.id))]


def walk(engine: Engine) -> Case:
    """A green initiative: a question on Friday, the answer after the weekend, the category
    confirmed, team Groen decides, the initiator fills in the survey."""
    case = Case.start(engine, intake_data())
    clock.advance(timedelta(days=4))  # Friday
    case.complete("categorie_bevestigen", {"aanvulling_nodig": True, "aanvulling_vraag": "Welke planten?"},
                  actor=INTAKE)
    clock.advance(timedelta(days=3))  # Monday
    case.answer()
    clock.advance(timedelta(days=1))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    clock.advance(timedelta(days=2))
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend", "afspraken": "Prima."},
                  actor=GROEN)
    return case


def test_a_case_walked_through_the_product_changes_its_fact_row(loket: Loket) -> None:
    engine = loket.engine
    case = Case.start(engine, intake_data())
    started = fact(loket, case.id)
    assert started["state"] == "running" and started["category"] is None
    assert (started["suggested"], started["district"], started["kind"], started["channel"]) == (
        "eenvoudig", "oost", "inwoner", "online")
    assert (started["month"], started["created_work"]) == ("2025-03", day_number(date(2025, 3, 3)))
    assert steps(loket, case.id) == []

    clock.advance(timedelta(days=4))
    case.complete("categorie_bevestigen", {"aanvulling_nodig": True, "aanvulling_vraag": "Welke planten?"},
                  actor=INTAKE)
    asked = fact(loket, case.id)
    assert (asked["asked"], asked["first_asked_at"], asked["answered"]) == (1, MONDAY + timedelta(days=4), 0)
    [(process, element, done_at, seconds, work, calendar, actor, ref, came)] = steps(loket, case.id)
    assert (process, element, done_at, actor, ref, came) == (
        "initiatief", "categorie_bevestigen", MONDAY + timedelta(days=4), INTAKE, case.info.case_ref, MONDAY)
    assert (seconds, work, calendar) == (4 * 86400, 4, 4)

    clock.advance(timedelta(days=3))
    case.answer()
    assert fact(loket, case.id)["answered"] == 1
    clock.advance(timedelta(days=1))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert fact(loket, case.id)["category"] == "eenvoudig"
    assert [row[4] for row in steps(loket, case.id)] == [4, 1]  # Monday to Tuesday: one working day
    clock.advance(timedelta(days=2))
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend", "afspraken": "Prima."},
                  actor=GROEN)
    assert fact(loket, case.id)["outcome"] == "toegekend"
    survey = case.task("tevredenheid")
    clock.advance(timedelta(hours=3))
    engine.complete_task(case.id, survey.task_id, {"tevredenheid_score": 4, "tevredenheid_opmerking": "Fijn!"},
                         actor=INITIATOR)
    done = fact(loket, case.id)
    assert (done["state"], done["score"], done["commented_at"]) == ("completed", 4, clock.now())
    found = dashboard(loket, Filters(), Scope())
    assert (found.questions.asked, found.questions.answered, found.questions.answer_time.counts) == (1, 1, {1: 1})
    assert found.volumes.per_state == {"completed": 1}
    assert found.satisfaction.comments[0].text == "Fijn!"


def test_the_upgrade_fills_the_facts_the_steps_kept(loket: Loket) -> None:
    case = walk(loket.engine)
    other = Case.start(loket.engine, intake_data(wijk="west", kanaal="telefoon"))
    kept = {case.id: (fact(loket, case.id), steps(loket, case.id)),
            other.id: (fact(loket, other.id), steps(loket, other.id))}
    with loket.transaction() as session:  # as a database looks right after the migration
        session.execute(delete(StepFact))
        session.execute(delete(CaseFact))
    assert fill_facts(loket.engine) == 2
    assert {key: (fact(loket, key), steps(loket, key)) for key in kept} == kept
    assert fill_facts(loket.engine) is None  # kept since: nothing to do


def test_the_first_completed_task_that_sets_the_outcome_decides(loket: Loket) -> None:
    case = Case.start(loket.engine, intake_data())

    def step(days: int, outcome: str) -> None:
        at = MONDAY + timedelta(days=days)
        done = StepDone(case.id, case.info.case_ref, "initiatief", "running", {"uitkomst": outcome}, (
            {"kind": "task_completed", "at": at, "actor": "t",
             "detail": {"changes": {"uitkomst": {"old": None, "new": outcome}}}},), None, at)
        with loket.engine.db.connection() as conn:
            keep_facts(StepSql(RawSql(conn)), done)

    step(9, "toegekend")  # Wednesday the week after: 7 working days
    step(12, "afgewezen")
    decided = fact(loket, case.id)
    assert (decided["decided_at"], decided["decision_days"], decided["outcome"]) == (
        MONDAY + timedelta(days=9), 7, "afgewezen")
    assert dashboard(loket, Filters(), Scope()).cases["onbekend"].counts == {7: 1}  # no category yet


def test_db_upgrade_fills_the_facts_of_initiatives_from_before(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'loket.sqlite3'}"
    upgrade_database(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "MAIL_FOLDER": str(tmp_path / "mail")})
    engine = loket_of(app).engine
    engine.deploy_directory(MODELS_DIR, actor="test")
    with engine.db.transaction() as session:
        load_organisation(session)
    info = engine.start("initiatief", intake_data(), actor=INITIATOR)
    with engine.db.transaction() as session:
        session.execute(delete(CaseFact))
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Cijfers voor de monitor bijgewerkt: 1 initiatieven." in result.output
    with engine.db.reading() as session:
        assert session.scalar(select(CaseFact.district).where(CaseFact.instance_id == info.id)) == "oost"
    assert "Cijfers voor de monitor" not in runner.invoke(cli, ["db", "upgrade"]).output
    engine.db.dispose()


def test_an_outcome_a_script_sets_decides_the_case_at_that_step(loket: Loket) -> None:
    case = walk(loket.engine)
    decided = fact(loket, case.id)
    # groen_beoordelen answers "besluit"; the model's script turns it into "uitkomst" in the same step
    assert (decided["outcome"], decided["decided_at"], decided["decision_days"]) == (
        "toegekend", MONDAY + timedelta(days=10), 8)
    clock.advance(timedelta(days=5))
    loket.engine.complete_task(case.id, case.task("tevredenheid").task_id, {"tevredenheid_score": 5},
                               actor=INITIATOR)
    assert fact(loket, case.id)["decided_at"] == MONDAY + timedelta(days=10)  # the survey does not move it
    found = dashboard(loket, Filters(), Scope())
    assert found.cases["eenvoudig"].counts == {8: 1}
