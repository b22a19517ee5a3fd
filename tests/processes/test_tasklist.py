"""Task lists: "mijn taken" and the team queue, with filters, search, sort and pagination,
read from the task projection only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from engine import clock
from engine.service import Engine
from engine.tables import OpenTask, OpenTaskGroup
from processes import assignment
from processes.access import Principal, may_work_on
from processes.loket import Loket
from processes.tasklist import TaskFilter, count_tasks, list_tasks
from tests.processes.factories import intake_data
from tests.web.staff.support import (
    GROEN,
    GUIDE,
    INTAKE,
    OOST,
    VERGUNNINGEN,
    WEST,
    assessed_case,
    complex_case,
    green_case,
    principal,
    start,
    wijkwens_case,
)


def listed(engine: Engine, email: str, **filters: object) -> list[tuple[str, str]]:
    flt = TaskFilter(**filters)  # type: ignore[arg-type]
    with engine.db.transaction() as session:
        page = list_tasks(session, principal(engine, email), flt, page_size=100)
    return [(row.case_ref, row.task_name) for row in page.rows]


def test_the_team_queue_holds_the_tasks_of_the_users_teams(engine: Engine) -> None:
    intake = start(engine)
    groen = green_case(engine)
    oost = wijkwens_case(engine, "oost")
    west = wijkwens_case(engine, "west")
    assert listed(engine, INTAKE, view="team") == [(intake.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, GROEN, view="team") == [(groen.info.case_ref, "groen_beoordelen")]
    assert listed(engine, OOST, view="team") == [(oost.info.case_ref, "regiegroep_beoordelen")]
    assert listed(engine, WEST, view="team") == [(west.info.case_ref, "regiegroep_beoordelen")]
    assert listed(engine, INTAKE, view="mijn") == []


def test_my_tasks_hold_the_guide_tasks_the_diagram_assigned_to_me(engine: Engine) -> None:
    case = assessed_case(engine)  # first: Pieter Jansen guides it (the next case goes to a less loaded guide)
    waiting = complex_case(engine)
    assert listed(engine, GUIDE, view="mijn") == [(case.info.case_ref, "advies_besluit")]
    # Each specialist team sees the assessment of its own team in the queue, not assigned to anyone.
    assert listed(engine, VERGUNNINGEN, view="team") == [(waiting.info.case_ref, "toets_regels")]
    assert listed(engine, VERGUNNINGEN, view="mijn") == []
    assert listed(engine, GUIDE, view="team") == []


def test_claimed_tasks_move_to_my_tasks(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task = case.task("categorie_bevestigen")
    assignment.claim(loket, principal(engine, INTAKE), task.task_id)
    assert listed(engine, INTAKE, view="mijn") == [(case.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, INTAKE, view="team", status="vrij") == []
    assert listed(engine, INTAKE, view="team", status="toegewezen") == [(case.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, INTAKE, view="team", status="bij_mij") == [(case.info.case_ref, "categorie_bevestigen")]
    with engine.db.transaction() as session:
        row = list_tasks(session, principal(engine, INTAKE), TaskFilter(view="mijn")).rows[0]
    assert row.assignee_name == "Ilse de Wit"


def test_filters_category_district_search_and_overdue(engine: Engine) -> None:
    oost = start(engine, intake_data(wijk="oost", titel="Bankje bij de speeltuin"))
    west = start(engine, intake_data(wijk="west", titel="Moestuin achter de school"))
    complex_case(engine)  # intakegesprek etc. are not in the initiatieventeam queue any more
    assert {ref for ref, _ in listed(engine, INTAKE, view="team", district="oost")} == {oost.info.case_ref}
    assert {ref for ref, _ in listed(engine, INTAKE, view="team", category="initiatief")} == {
        oost.info.case_ref, west.info.case_ref}
    assert listed(engine, INTAKE, view="team", category="complex") == []
    assert listed(engine, INTAKE, view="team", search="moestuin") == [(west.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, INTAKE, view="team", search=oost.info.case_ref[-6:]) == [
        (oost.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, INTAKE, view="team", search="100%_") == []
    assert listed(engine, INTAKE, view="team", overdue=True) == []
    with engine.db.transaction() as session:
        session.execute(update(OpenTask).where(OpenTask.instance_id == west.id).values(overdue=True))
    assert listed(engine, INTAKE, view="team", overdue=True) == [(west.info.case_ref, "categorie_bevestigen")]


def test_a_due_date_in_the_past_counts_as_late_before_the_timer_ran(engine: Engine) -> None:
    case = start(engine)
    clock.set_time(clock.now() + timedelta(days=30))
    with engine.db.transaction() as session:
        page = list_tasks(session, principal(engine, INTAKE), TaskFilter(view="team", overdue=True))
    assert [row.case_ref for row in page.rows] == [case.info.case_ref]
    assert page.rows[0].late and not page.rows[0].overdue


def test_sorting_and_pagination(engine: Engine) -> None:
    cases = []
    for number in range(5):
        clock.set_time(clock.now() + timedelta(minutes=1))
        cases.append(start(engine, intake_data(titel=f"Initiatief {number}")))
    refs = [case.info.case_ref for case in cases]
    who = principal(engine, INTAKE)
    with engine.db.transaction() as session:
        newest = list_tasks(session, who, TaskFilter(view="team", sort="nieuwste"), page_size=2)
        oldest = list_tasks(session, who, TaskFilter(view="team", sort="oudste"), page_size=2)
        last = list_tasks(session, who, TaskFilter(view="team", sort="oudste", page=3), page_size=2)
        beyond = list_tasks(session, who, TaskFilter(view="team", sort="oudste", page=99), page_size=2)
        by_ref = list_tasks(session, who, TaskFilter(view="team", sort="nummer"), page_size=10)
        by_due = list_tasks(session, who, TaskFilter(view="team"), page_size=10)
    assert [row.case_ref for row in newest.rows] == refs[::-1][:2]
    assert [row.case_ref for row in oldest.rows] == refs[:2]
    assert (oldest.total, oldest.pages) == (5, 3)
    assert [row.case_ref for row in last.rows] == refs[4:]
    assert beyond.page == 3 and [row.case_ref for row in beyond.rows] == refs[4:]
    assert [row.case_ref for row in by_ref.rows] == sorted(refs)
    dues = [row.due_at for row in by_due.rows]
    assert dues == sorted(dues)


def test_filter_from_query_arguments_ignores_nonsense() -> None:
    flt = TaskFilter.from_args({"categorie": "x", "status": "y", "sortering": "z", "pagina": "-3", "te_laat": "1",
                                "zoek": "  abc  ", "wijk": "oost"}, "team")
    assert flt == TaskFilter(view="team", district="oost", overdue=True, search="abc")
    assert TaskFilter.from_args({"pagina": "twee"}, "mijn").page == 1
    assert TaskFilter.from_args({}, "elders").view == "mijn"
    assert flt.args(pagina=2) == {"wijk": "oost", "te_laat": "1", "zoek": "abc", "pagina": 2}


def test_lists_never_deserialize_a_workflow(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    assessed_case(engine)
    green_case(engine)

    def forbidden(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a task list must not load a workflow")

    monkeypatch.setattr(engine.serializer, "loads", forbidden)
    monkeypatch.setattr(Engine, "load_workflow", forbidden)
    assert len(listed(engine, GUIDE, view="mijn")) == 1
    with engine.db.transaction() as session:
        assert count_tasks(session, principal(engine, GROEN)) == {"mijn": 0, "team": 1}


def test_tasks_for_the_initiator_never_show_to_staff(engine: Engine) -> None:
    case = start(engine, intake_data(email=GUIDE))
    with engine.db.transaction() as session:
        session.execute(update(OpenTask).where(OpenTask.instance_id == case.id)
                        .values(candidate_group="initiatiefnemer", assignee=GUIDE))
    assert listed(engine, GUIDE, view="mijn") == []
    task = case.task("categorie_bevestigen")
    assert not may_work_on(principal(engine, GUIDE), task)


def test_a_task_with_several_groups_shows_to_each_group(engine: Engine) -> None:
    case = start(engine)
    with engine.db.transaction() as session:  # as the engine writes a task a diagram gives two groups
        session.execute(update(OpenTask).where(OpenTask.instance_id == case.id)
                        .values(candidate_group="team-groen,regiegroep-oost"))
        task = session.scalars(select(OpenTask).where(OpenTask.instance_id == case.id)).one()
        session.execute(delete(OpenTaskGroup).where(OpenTaskGroup.task_id == task.task_id))
        session.add_all(OpenTaskGroup(task_id=task.task_id, group_code=group, due_at=task.due_at,
                                      created_at=task.created_at) for group in ("team-groen", "regiegroep-oost"))
    assert listed(engine, GROEN, view="team") == [(case.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, OOST, view="team") == [(case.info.case_ref, "categorie_bevestigen")]
    assert listed(engine, WEST, view="team") == []
    assert listed(engine, INTAKE, view="team") == []


def test_principal_without_worker_role_has_no_tasks() -> None:
    nobody = Principal(id=1, email="kcc@x", name="K", session_token="t", roles=frozenset({"kcc"}),
                       groups=frozenset({"initiatieventeam"}), identities=frozenset({"kcc@x"}))

    class Task:
        candidate_group = "initiatieventeam"
        assignee = "kcc@x"

    assert not may_work_on(nobody, Task())
