"""The pages where staff decide, in a real browser: the four assessments side by side beside the
advice task, and the regiegroep's budget above its form; no axe-core violations on either."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from processes.demo.staff import load_staff
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_journey import GUIDE, log_in, open_task
from tests.processes.factories import Case, complex_data, wijkwens_data
from tests.web.staff.support import ACCEPT, INTAKE, INTAKEGESPREK, TOETSEN
from web import engine_of

OOST = "bram.verhoeven@gemeente.example"


def test_the_advice_task_shows_the_assessments_side_by_side(live_server: LiveServer, page: Page) -> None:
    engine = engine_of(live_server.app)
    with engine.db.transaction() as session:
        load_staff(session)
    case = Case.start(engine, complex_data(titel="Voedselbos Weizigt"))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    case.invite()
    case.complete("intakegesprek", INTAKEGESPREK, actor=INTAKE)
    case.complete("begeleider_koppelen", {"begeleider_akkoord": True}, actor=INTAKE)
    for name, answers in TOETSEN.items():
        case.complete(name, answers, actor=GUIDE)
    page.set_viewport_size({"width": 1400, "height": 900})
    log_in(page, live_server, GUIDE)
    open_task(page, live_server, "/medewerker/taken", "Advies en besluit")
    cards = page.locator(".staff-case-panel .staff-assessment")
    expect(cards).to_have_count(4)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first is not None and second is not None
    assert abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"], "side by side, not stacked"
    assert axe_violations(page) == []


def test_the_regiegroep_sees_the_budget_above_its_form(live_server: LiveServer, page: Page) -> None:
    engine = engine_of(live_server.app)
    with engine.db.transaction() as session:
        load_staff(session)
    case = Case.start(engine, wijkwens_data(wijk="oost"))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    log_in(page, live_server, OOST)
    open_task(page, live_server, "/medewerker/werkvoorraad", "Beoordelen door regiegroep")
    expect(page.locator("#budget")).to_contain_text("Nog over na de reservering voor deze wijkwens")
    expect(page.locator("body")).not_to_contain_text("budget_resterend")
    assert axe_violations(page) == []
