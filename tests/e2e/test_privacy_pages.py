"""Privacy in a real browser: the privacy page, Mijn gegevens, the access log and the retention
settings have no axe-core violations; the footer leads to the privacy page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from processes.demo.staff import DEMO_PASSWORD
from processes.portal_login import issue_login_link
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import log_out, prepare, submit_login
from tests.processes.factories import Case, intake_data
from web import engine_of

INITIATOR = "henk@example.nl"


def test_the_privacy_page_and_mijn_gegevens(live_server: LiveServer, page: Page) -> None:
    engine = engine_of(live_server.app)
    Case.start(engine, intake_data(email=INITIATOR, naam="Henk de Bakker"))
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Privacy").click()
    expect(page.locator("h1")).to_have_text("Privacy: wat doen we met uw gegevens?")
    assert axe_violations(page) == []
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Privacy: what do we do with your data?")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nederlands").click()

    with engine.db.transaction() as session:
        link = issue_login_link(session, INITIATOR, next_path="/mijn-gegevens")
    assert link is not None
    page.goto(f"{live_server.url}/inloggen/{link.token}")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("h1")).to_have_text("Mijn gegevens")
    expect(page.locator("main")).to_contain_text("Henk de Bakker")
    assert axe_violations(page) == []


def test_the_access_log_and_the_retention_settings(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    submit_login(page, live_server, "esther.dehaan@gemeente.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Inzagelog", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Inzagelog persoonsgegevens")
    assert axe_violations(page) == []
    log_out(page)

    submit_login(page, live_server, "ria.vanleeuwen@gemeente.example", DEMO_PASSWORD)
    page.goto(live_server.url + "/medewerker/beheer")
    page.get_by_role("link", name="Bewaartermijnen").click()
    expect(page.locator("h1")).to_have_text("Bewaartermijnen")
    assert axe_violations(page) == []
    wish = page.locator("form", has=page.get_by_role("heading", name="Wijkwens"))
    wish.get_by_label("Bijlagen verwijderen na (maanden)").fill("30")
    wish.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[role=alert]")).to_contain_text("De bijlagen kunnen niet langer blijven")
    assert axe_violations(page) == []
