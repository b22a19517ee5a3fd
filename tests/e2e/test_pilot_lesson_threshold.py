"""Pilot lesson (c) of issue 12, made in the browser: a changed threshold in the categorisation
table. The process owner raises the amount up to which a green initiative is simple, in the
decision-table editor; the scenario check refuses at first because a bundled scenario expects the
old threshold, and deploys once the reason is given. A green initiative sent through the public
start form afterwards, with an amount between the old and the new threshold, is proposed as
simple; one sent before keeps its category, its rule and its version."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine import ProcessInstance
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_pilot_lessons import INTAKE, PROCES, change_in_editor, send_initiative
from tests.e2e.test_staff_accounts import prepare
from tests.e2e.test_staff_dmn_try import edit_cell
from tests.e2e.test_staff_editor import in_use
from tests.e2e.test_staff_journey import log_in, log_out
from web import engine_of

GREEN = {"kind": "Groen, bijvoorbeeld een geveltuin", "scope": "Mijn straat", "topic": "Groen en natuur",
         "district": "Oost"}
AMOUNT = "1800"
"""Between the threshold in use (below € 1.500 is simple) and the new one (below € 2.000)."""


def stored(server: LiveServer, case_id: int) -> ProcessInstance:
    with engine_of(server.app).db.reading() as session:
        case = session.scalars(select(ProcessInstance).where(ProcessInstance.id == case_id)).one()
        session.expunge(case)
    return case


def proposal(case: ProcessInstance) -> tuple[object, object]:
    data = case.case_data or {}
    return data.get("categorie_voorstel"), data.get("categorie_regel")


def test_a_raised_green_threshold_reaches_new_initiatives_and_earlier_ones_keep_theirs(live_server: LiveServer,
                                                                                        page: Page) -> None:
    prepare(live_server)
    before = send_initiative(page, live_server, "Geveltuinen Reeland vooraf", amount=AMOUNT, **GREEN)
    assert proposal(before) == ("complex", "R8")  # € 1.800 of green is more than the short route allows

    log_in(page, live_server, PROCES)
    change_in_editor(page, live_server, "categorisatie.dmn")
    edit_cell(page, "Rule_R5", "Input_bedrag", "< 2000")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    alert = page.get_by_role("alert")  # the bundled scenario for € 1.500 of green expects the old threshold
    expect(alert).to_contain_text("scenarios/categorie_r8_groen_met_geld.json")
    expect(alert).to_contain_text('categorie: verwacht "complex", maar het was "eenvoudig"')
    assert "&lt; 1500" in in_use(live_server, "categorisatie.dmn")  # refused: nothing went into use
    page.get_by_label("Als scenario's mislukken: waarom toch in gebruik nemen?").fill(
        "Na de evaluatie blijft groen tot 2.000 euro eenvoudig; de scenario's passen we deze week aan.")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status")).to_contain_text("In gebruik genomen")
    assert axe_violations(page) == []
    assert "&lt; 2000" in in_use(live_server, "categorisatie.dmn")
    log_out(page)

    page.goto(live_server.url + "/indeling")  # the public rules say the new threshold
    rule = page.locator("#regel-R5")
    expect(rule).to_contain_text("minder dan € 2.000")

    after = send_initiative(page, live_server, "Geveltuinen Reeland achteraf", amount=AMOUNT, **GREEN)
    assert proposal(after) == ("eenvoudig", "R5")
    assert after.model_version_id != before.model_version_id

    earlier = stored(live_server, before.id)
    assert proposal(earlier) == ("complex", "R8")
    assert earlier.model_version_id == before.model_version_id

    log_in(page, live_server, INTAKE)  # the intake team sees each proposal with its rule
    page.goto(f"{live_server.url}/medewerker/dossier/{after.case_ref}")
    expect(page.locator("main")).to_contain_text("Voorstel van de beslisregels: Eenvoudig (groen) (regel R5)")
    page.goto(f"{live_server.url}/medewerker/dossier/{before.case_ref}")
    expect(page.locator("main")).to_contain_text("Voorstel van de beslisregels: Complex initiatief (regel R8)")
