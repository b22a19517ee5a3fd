"""The task page's work: drafts, completing through the engine, conflicts, asking for information."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import InvalidTaskData, TaskAlreadyCompleted
from engine.service import Engine
from processes import assignment, taskwork
from processes.errors import AccessDenied, InvalidInput, NotAllowedHere
from processes.loket import Loket
from processes.tables.staff import TaskDraft
from tests.web.staff.support import (
    ACCEPT,
    GROEN,
    GUIDE,
    INTAKE,
    INTAKE_2,
    KCC,
    OOST,
    VERGUNNINGEN,
    WEST,
    complex_case,
    green_case,
    principal,
    start,
    wijkwens_case,
)


def test_load_task_gives_form_case_and_draft(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    ctx = taskwork.load_task(loket, principal(engine, INTAKE), task_id)
    assert ctx.definition is not None and ctx.definition.id == "categorie_bevestigen"
    assert ctx.case.data["categorie_voorstel"] == "eenvoudig"
    assert ctx.draft is None and ctx.can_complete
    taskwork.save_draft(loket, principal(engine, INTAKE), task_id, {"categorie_akkoord": False})
    taskwork.save_draft(loket, principal(engine, INTAKE_2), task_id, {"categorie_akkoord": True})
    ctx = taskwork.load_task(loket, principal(engine, INTAKE), task_id)
    assert ctx.draft == {"categorie_akkoord": True} and ctx.draft_by == INTAKE_2


def test_complete_moves_the_case_on_and_removes_the_draft(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    taskwork.save_draft(loket, principal(engine, INTAKE), task_id, {"categorie_akkoord": True})
    info = taskwork.complete(loket, principal(engine, INTAKE), task_id, ACCEPT)
    assert info.data["categorie"] == "eenvoudig"
    case.run_jobs()
    assert case.task_names() == ["groen_beoordelen"]
    with engine.db.transaction() as session:
        assert session.scalar(select(TaskDraft).where(TaskDraft.task_id == task_id)) is None


def test_the_engine_checks_the_answers_against_the_form(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    with pytest.raises(InvalidTaskData):
        taskwork.complete(loket, principal(engine, INTAKE), task_id, {"aanvulling_nodig": False})
    assert case.task_names() == ["categorie_bevestigen"]


def test_the_second_completion_gets_a_conflict_not_a_crash(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    taskwork.complete(loket, principal(engine, INTAKE_2), task_id, ACCEPT)
    with pytest.raises(TaskAlreadyCompleted) as caught:
        taskwork.complete(loket, principal(engine, INTAKE), task_id, ACCEPT)
    assert caught.value.completed_by == INTAKE_2


def test_a_task_assigned_to_a_colleague_must_be_taken_over_first(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    assignment.claim(loket, principal(engine, INTAKE_2), task_id)
    ctx = taskwork.load_task(loket, principal(engine, INTAKE), task_id)
    assert not ctx.can_complete and ctx.assignee_name == "Karim Bouzid"
    with pytest.raises(AccessDenied):
        taskwork.complete(loket, principal(engine, INTAKE), task_id, ACCEPT)
    with pytest.raises(AccessDenied):
        taskwork.save_draft(loket, principal(engine, INTAKE), task_id, {})
    assert case.task_names() == ["categorie_bevestigen"]


@pytest.mark.parametrize("email", [GROEN, KCC, GUIDE, OOST])
def test_nobody_outside_the_group_opens_or_completes_a_task(loket: Loket, engine: Engine, email: str) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    with pytest.raises(AccessDenied):
        taskwork.load_task(loket, principal(engine, email), task_id)
    with pytest.raises(AccessDenied):
        taskwork.complete(loket, principal(engine, email), task_id, ACCEPT)
    assert case.task_names() == ["categorie_bevestigen"]


def test_another_districts_wijkwens_is_out_of_reach(loket: Loket, engine: Engine) -> None:
    west = wijkwens_case(engine, "west")
    task_id = west.task("regiegroep_beoordelen").task_id
    with pytest.raises(AccessDenied):
        taskwork.load_task(loket, principal(engine, OOST), task_id)
    decision = {"aanvulling_nodig": False, "besluit": "toegekend", "toegekend_bedrag": 750}
    with pytest.raises(AccessDenied):
        taskwork.complete(loket, principal(engine, OOST), task_id, decision)
    taskwork.complete(loket, principal(engine, WEST), task_id, decision)
    west.run_jobs()
    assert west.data["uitkomst"] == "toegekend"


def test_the_specialist_team_completes_an_assessment_the_guide_may_not(loket: Loket, engine: Engine) -> None:
    case = complex_case(engine)
    task_id = case.task("toets_regels").task_id
    answers = {"regels_oordeel": "positief", "regels_toelichting": "Past binnen de regels."}
    with pytest.raises(AccessDenied):
        taskwork.complete(loket, principal(engine, GUIDE), task_id, answers)
    taskwork.complete(loket, principal(engine, VERGUNNINGEN), task_id, answers)
    assert "toets_regels" not in case.task_names()


def test_ask_information_completes_the_task_with_the_question(loket: Loket, engine: Engine) -> None:
    case = green_case(engine)
    task_id = case.task("groen_beoordelen").task_id
    taskwork.ask_information(loket, principal(engine, GROEN), task_id, "  Hoe breed is de stoep?  ")
    case.run_jobs()
    assert case.task_names() == []
    waiting = engine.waiting_messages(case.id)
    assert [w.message for w in waiting] == ["aanvulling_ontvangen"]
    assert waiting[0].data["aanvulling_vraag"] == "Hoe breed is de stoep?"
    assert case.templates()[-1] == "aanvulling_gevraagd"
    case.answer({"antwoord": "Anderhalve meter."})
    assert case.task_names() == ["groen_beoordelen"]


def test_ask_information_only_where_the_form_has_the_question(loket: Loket, engine: Engine) -> None:
    case = complex_case(engine)
    task_id = case.task("toets_regels").task_id
    with pytest.raises(NotAllowedHere, match="no_question_on_form"):
        taskwork.ask_information(loket, principal(engine, VERGUNNINGEN), task_id, "Vraag")
    other = green_case(engine)
    with pytest.raises(InvalidInput, match="empty_question"):
        taskwork.ask_information(loket, principal(engine, GROEN), other.task("groen_beoordelen").task_id,
                                 "   ")
    with pytest.raises(AccessDenied):
        taskwork.ask_information(loket, principal(engine, KCC), other.task("groen_beoordelen").task_id,
                                 "Vraag")
