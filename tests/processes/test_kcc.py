"""The contact centre: search by reference, name, e-mail, postcode or title; a read-only view;
every view of personal data logged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import NotFound
from engine.service import Engine
from processes import kcc
from processes.access import Principal
from processes.loket import Loket
from processes.tables.staff import KccAccess
from tests.processes.factories import intake_data
from tests.web.staff.support import GUIDE, KCC, complex_case, green_case, principal, start


@pytest.fixture
def agent(engine: Engine) -> Principal:
    return principal(engine, KCC)


def found(engine: Engine, agent: Principal, query: str) -> list[str]:
    with engine.db.transaction() as session:
        return [hit.case_ref for hit in kcc.find(session, agent, query).hits]


def log(engine: Engine) -> list[tuple[str, str | None, int | None, int | None]]:
    with engine.db.transaction() as session:
        rows = session.scalars(select(KccAccess).order_by(KccAccess.id)).all()
        return [(row.action, row.query, row.result_count, row.instance_id) for row in rows]


def test_search_by_reference_name_email_postcode_and_title(engine: Engine, agent: Principal) -> None:
    anna = start(engine, intake_data(naam="Anna de Boer", email="anna@example.nl", postcode="3311 AB",
                                     titel="Bloembakken Voorstraat"))
    bert = start(engine, intake_data(naam="Bert Visser", email="bert@example.nl", postcode="3312 CD",
                                     titel="Speeltuin Wielwijk"))
    assert found(engine, agent, anna.info.case_ref) == [anna.info.case_ref]
    assert found(engine, agent, "de boer") == [anna.info.case_ref]
    assert found(engine, agent, "BERT@example.nl") == [bert.info.case_ref]
    assert found(engine, agent, "3312cd") == [bert.info.case_ref]
    assert found(engine, agent, "3311 ab") == [anna.info.case_ref]
    assert found(engine, agent, "speeltuin") == [bert.info.case_ref]
    assert sorted(found(engine, agent, "INI-")) == sorted([anna.info.case_ref, bert.info.case_ref])
    assert found(engine, agent, "niemand") == []
    assert found(engine, agent, "x") == []  # too short: not even logged
    assert found(engine, agent, "%") == []


def test_every_search_is_logged_with_its_query_and_count(engine: Engine, agent: Principal) -> None:
    case = start(engine, intake_data(naam="Anna de Boer"))
    found(engine, agent, "Anna")
    found(engine, agent, "Nobody")
    assert log(engine) == [("search", "Anna", 1, None), ("search", "Nobody", 0, None)]
    assert case.id


def test_the_case_view_shows_status_handler_next_date_and_is_logged(
    loket: Loket, engine: Engine, agent: Principal,
) -> None:
    case = complex_case(engine)
    view = kcc.view_case(loket, agent, case.info.case_ref)
    assert view.case.status_text == "We beoordelen uw initiatief."
    assert view.category == "complex"
    assert view.guide is not None and view.guide.email == GUIDE
    assert {(h.task, h.team, h.assignee) for h in view.handlers} == {
        ("Toets regels en vergunningen", "Team Vergunningen", None),
        ("Toets locatie", "Team Vastgoed", None),
        ("Toets financiële haalbaarheid", "Team Subsidies", None),
        ("Toets participatie en buurt", "Team Participatie", None),
    }
    assert view.next_date == min(t.due_at for t in case.tasks() if t.due_at)
    assert view.waiting == []
    assert log(engine) == [("view", None, None, case.id)]


def test_the_case_view_shows_what_the_initiator_must_do(loket: Loket, engine: Engine, agent: Principal) -> None:
    case = green_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": True, "aanvulling_vraag": "Stuur een foto van de gevel."})
    view = kcc.view_case(loket, agent, case.info.case_ref)
    assert [(w.message, w.data["aanvulling_vraag"]) for w in view.waiting] == [
        ("aanvulling_ontvangen", "Stuur een foto van de gevel.")]
    assert view.handlers == []
    assert view.next_date is not None  # the reminder timer


def test_viewing_an_unknown_case_is_not_found(loket: Loket, engine: Engine, agent: Principal) -> None:
    with pytest.raises(NotFound):
        kcc.view_case(loket, agent, "INI-2000-000000")
