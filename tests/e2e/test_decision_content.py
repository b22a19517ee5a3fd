"""The decision with its content in a real browser: a regiegroep member grants less than was
asked, with an explanation and agreements, on the staff task page; the initiator gets a mail
that names them and holds the decision, and reads the same decision in Mijn initiatieven, in
Dutch and English. The survey is a separate, optional section below it. No axe-core violations."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine import OpenTask
from processes.demo.staff import load_staff
from tests.e2e.conftest import LiveServer, Mailbox, axe_violations
from tests.e2e.test_staff_journey import log_in, log_out, open_task
from tests.processes.factories import wijkwens_data
from web import engine_of

EMAIL = "sam.smit@example.nl"
PANEL = "bram.verhoeven@gemeente.example"  # regiegroep Oost
REASON = "De huur van de zaal valt buiten de regeling; de rest betalen we."
AGREEMENTS = "Hang de poster van de gemeente op."


def _start_and_confirm(server: LiveServer) -> str:
    engine = engine_of(server.app)
    with engine.db.transaction() as session:
        load_staff(session)
    info = engine.start("initiatief", wijkwens_data(email=EMAIL, naam="Sam Smit", gevraagd_bedrag=800),
                        actor=EMAIL)
    with engine.db.reading() as session:
        task = session.scalars(select(OpenTask).where(OpenTask.instance_id == info.id,
                                                      OpenTask.task_name == "categorie_bevestigen")).one()
    engine.complete_task(info.id, task.task_id, {"aanvulling_nodig": False, "categorie_akkoord": True},
                         actor="ilse.dewit@gemeente.example")
    return info.case_ref


def _log_in_as_initiator(page: Page, server: LiveServer, mailbox: Mailbox) -> None:
    page.goto(f"{server.url}/inloggen")
    page.locator("#veld-email").fill(EMAIL)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.locator("h1")).to_have_text("Kijk in uw e-mail")
    link = re.search(r"https?://\S+/inloggen/\S+", Mailbox.body(mailbox.wait_for(EMAIL, "in te loggen")))
    assert link
    page.goto(link.group(0))
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(re.compile(r"/mijn-initiatieven$"))


def test_the_panel_decides_and_the_initiator_reads_the_decision(live_server: LiveServer, page: Page,
                                                                 mailbox: Mailbox) -> None:
    case_ref = _start_and_confirm(live_server)

    # The regiegroep grants € 600 of the € 800 asked, and says why, on its task page.
    log_in(page, live_server, PANEL)
    open_task(page, live_server, "/medewerker/werkvoorraad", "Beoordelen door regiegroep")
    page.get_by_label("Toekennen", exact=True).check()
    page.get_by_label("Toegekend bedrag (in euro)").fill("600")
    page.get_by_label("Toelichting voor de initiatiefnemer").fill(REASON)
    page.get_by_label("Afspraken met de initiatiefnemer").fill(AGREEMENTS)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")
    log_out(page)

    # The decision mail names the initiator and holds the decision's content.
    mail = Mailbox.body(mailbox.wait_for(EMAIL, "Besluit over uw initiatief"))
    assert mail.startswith("Beste Sam Smit,")
    assert "Toegekend bedrag: € 600 (u vroeg € 800)." in mail
    assert REASON in mail and AGREEMENTS in mail and "De volgende stap:" in mail

    # Mijn initiatieven: the decision is the headline; the survey is a separate, optional section.
    _log_in_as_initiator(page, live_server, mailbox)
    page.goto(f"{live_server.url}/mijn-initiatieven/{case_ref}")
    expect(page.locator("h2").first).to_have_text("Het besluit")
    decision = page.locator("section.loket-outcome")
    expect(decision).to_contain_text("Toegekend: € 600")
    expect(decision).to_contain_text("U vroeg € 800. Toegekend is € 600.")
    expect(decision).to_contain_text(REASON)
    expect(decision).to_contain_text(AGREEMENTS)
    expect(decision).to_contain_text("We maken het binnen 4 weken over.")
    expect(page.get_by_role("heading", name="Wilt u ons vertellen hoe het ging?")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/taal/en?next=/mijn-initiatieven/{case_ref}")
    expect(page.locator("h2").first).to_have_text("The decision")
    expect(decision).to_contain_text("Granted: €600")
    expect(decision).to_contain_text("You asked for €800. €600 has been granted.")
    expect(decision).to_contain_text("We transfer the amount within 4 weeks.")
    assert axe_violations(page) == []

    # Answering the survey leaves the decision where it was.
    survey = page.locator("section.loket-follow-up")
    survey.get_by_label("5 – Very satisfied").check()
    survey.get_by_role("button", name="Send").click()
    expect(page.locator("h2").first).to_have_text("The decision")
    expect(page.locator("section.loket-follow-up")).to_have_count(0)
    expect(decision).to_contain_text("Granted: €600")
