"""The staff queries on SQLite and PostgreSQL: JSON fields, LIKE, row locks and the guide step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from processes import assignment, case_actions, kcc
from processes.access import may_view_case
from processes.accounts import authenticate, colleagues_for
from processes.demo.staff import load_staff
from processes.tables.organisation import Guide
from processes.tasklist import TaskFilter, list_tasks
from tests.factories import loket_for
from tests.processes.factories import create_loket_engine, intake_data
from tests.web.staff.support import (
    GUIDE,
    INTAKE,
    KCC,
    OOST,
    OTHER_GUIDE,
    PASSWORD,
    assessed_case,
    principal,
    start,
    wijkwens_case,
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine, _mailer = create_loket_engine(database_url, year=clock.now().year)
    clock.set_time(None)
    with engine.db.transaction() as session:
        load_staff(session, password=PASSWORD)
    yield engine
    engine.db.dispose()


def test_lists_search_claim_and_reassign(engine: Engine) -> None:
    loket = loket_for(engine)
    oost = wijkwens_case(engine, "oost", naam="Anna de Boer", postcode="3311 AB")
    plain = start(engine, intake_data(titel="Bankje 100% hout", wijk="west"))
    complex_ = assessed_case(engine)
    assert authenticate(loket_for(engine), INTAKE, PASSWORD).outcome == "ok"
    intake, oost_member, agent = principal(engine, INTAKE), principal(engine, OOST), principal(engine, KCC)
    with engine.db.transaction() as session:
        team = list_tasks(session, oost_member, TaskFilter(view="team", district="oost", search="buurtfeest"))
        assert [row.case_ref for row in team.rows] == [oost.info.case_ref]
        assert [row.case_ref for row in list_tasks(session, intake, TaskFilter(view="team", search="100%")).rows] \
            == [plain.info.case_ref]
        assert [hit.case_ref for hit in kcc.find(session, agent, "3311ab").hits] == [oost.info.case_ref]
        assert [hit.case_ref for hit in kcc.find(session, agent, "de boer").hits] == [oost.info.case_ref]
        assert may_view_case(session, oost_member, oost.id) and not may_view_case(session, oost_member, plain.id)
        assert [user.email for user in colleagues_for(session, ["initiatieventeam"], exclude=INTAKE)] == [
            "karim.bouzid@gemeente.example"]
    assignment.claim(loket, intake, plain.task("categorie_bevestigen").task_id)
    assert plain.task("categorie_bevestigen").assignee == INTAKE
    with engine.db.transaction() as session:
        other = session.scalar(select(Guide.id).where(Guide.email == OTHER_GUIDE))
        assert other is not None
    case_actions.reassign_guide(loket, intake, complex_.info.case_ref, other, "")
    assert {task.assignee for task in complex_.tasks()} == {OTHER_GUIDE}
    with engine.db.transaction() as session:
        mine = list_tasks(session, principal(engine, GUIDE), TaskFilter(view="mijn"))
    assert mine.total == 0
