"""The staff workspace in a real browser, second part: a beheerder adds a regiegroep member who
must choose a password at the first login; the contact centre registers a caller's initiative
with an attachment and pages through search results. axe-core finds no violations on the way."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from processes import kcc
from processes.demo.staff import DEMO_PASSWORD, load_staff
from processes.tables.case import Document
from tests.e2e.conftest import LiveServer, axe_violations
from tests.processes.factories import intake_data
from web import engine_of

BEHEER = "ria.vanleeuwen@gemeente.example"
KCC = "kim.jansen@gemeente.example"
NEW_USER = "noor.haddad@gemeente.example"
ONE_TIME = "tijdelijk-Zonnebloem-42"


def prepare(server: LiveServer) -> None:
    with engine_of(server.app).db.transaction() as session:
        load_staff(session)


def submit_login(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(server.url + "/medewerker/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").first.click()
    expect(page.locator("h1")).to_have_text("Inloggen voor medewerkers")


def stored_documents(server: LiveServer) -> list[tuple[str, bool]]:
    with engine_of(server.app).db.transaction() as session:
        return [(doc.filename, doc.instance_id is not None) for doc in session.query(Document).order_by(Document.id)]


def fill_start_form(page: Page) -> None:
    page.get_by_label("Inwoner").check()
    page.get_by_label("Uw naam").fill("Henk de Bakker")
    page.get_by_label("Uw e-mailadres").fill("henk@example.nl")
    page.get_by_label("Naam van uw initiatief").fill("Bankje bij de vijver")
    page.get_by_label("Wat is uw idee?").fill("Een bankje voor ouderen bij de vijver.")
    page.get_by_label("Groen, bijvoorbeeld een geveltuin of adoptiegroen").check()
    page.get_by_label("Mijn straat").check()
    page.get_by_label("Groen en natuur").check()
    page.get_by_label("In welke wijk?").select_option("oost")
    page.get_by_label("Hoeveel geld vraagt u aan de gemeente? (in euro)").fill("0")


def test_a_new_regiegroep_member_chooses_a_password_first(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    submit_login(page, live_server, BEHEER, DEMO_PASSWORD)
    page.get_by_role("link", name="Gebruikers", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Gebruikers")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Gebruiker toevoegen").first.click()
    assert axe_violations(page) == []

    # Sent without a district: the error summary says what to do and links to the field.
    page.get_by_label("Naam", exact=True).fill("Noor Haddad")
    page.get_by_label("E-mailadres").fill(NEW_USER)
    page.get_by_label("Regiegroep", exact=True).check()
    page.get_by_label("Tijdelijk wachtwoord").fill(ONE_TIME)
    page.get_by_role("button", name="Gebruiker toevoegen").click()
    summary = page.locator("#foutmeldingen")
    expect(summary).to_contain_text("Kies de wijk van de regiegroep.")
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Wijk van de regiegroep")).to_be_focused()
    page.get_by_label("Wijk van de regiegroep").select_option("west")
    page.get_by_label("Tijdelijk wachtwoord").fill(ONE_TIME)
    page.get_by_role("button", name="Gebruiker toevoegen").click()
    expect(page.locator("h1")).to_have_text("Noor Haddad")
    expect(page.get_by_role("status").first).to_contain_text("Het account van Noor Haddad is aangemaakt.")
    assert axe_violations(page) == []
    log_out(page)

    # The new member logs in with the one-time password and must choose their own.
    submit_login(page, live_server, NEW_USER, ONE_TIME)
    expect(page.locator("h1")).to_have_text("Wachtwoord wijzigen")
    assert axe_violations(page) == []
    page.get_by_label("Huidig wachtwoord").fill(ONE_TIME)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("paarse olifant danst")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("paarse olifant danst")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.locator("h1")).to_have_text("Werkplek medewerkers")
    expect(page.get_by_role("status").first).to_contain_text("Uw wachtwoord is gewijzigd.")
    page.get_by_role("link", name="Werkvoorraad").first.click()
    expect(page.locator("h1")).to_have_text("Werkvoorraad van mijn teams")


def test_register_with_an_attachment_and_page_through_results(live_server: LiveServer, page: Page, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(live_server)
    monkeypatch.setattr(kcc, "PAGE_SIZE", 2)
    engine = engine_of(live_server.app)
    for n in range(2):
        engine.start("initiatief", intake_data(naam=f"Bewoner {n}", titel=f"Bloembak Voorstraat {n}"),
                     actor="bewoner@example.nl")
    drawing = tmp_path / "tekening.pdf"
    drawing.write_bytes(b"%PDF-1.4 tekening van de bloembak")

    submit_login(page, live_server, KCC, DEMO_PASSWORD)
    page.get_by_role("link", name="Aanmelden namens").first.click()
    page.get_by_role("radio", name="Telefoon").check()
    assert axe_violations(page) == []
    # Not everything filled in: the file is not kept and the page says so.
    page.set_input_files("#veld-bijlagen", str(drawing))
    page.get_by_role("button", name="Initiatief aanmelden").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Kies de bijlagen opnieuw.")
    assert axe_violations(page) == []
    assert stored_documents(live_server) == []
    fill_start_form(page)
    page.set_input_files("#veld-bijlagen", str(drawing))
    page.get_by_role("button", name="Initiatief aanmelden").click()
    expect(page.locator("h1")).to_have_text("Het initiatief is aangemeld")
    assert [name for name, linked in stored_documents(live_server)] == ["tekening.pdf"]
    assert all(linked for _name, linked in stored_documents(live_server))

    page.get_by_role("link", name="Zoeken (KCC)").first.click()
    page.get_by_label("Zoekterm").fill("Voorstraat")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("h2").first).to_have_text("2 initiatieven gevonden")
    engine.start("initiatief", intake_data(naam="Bewoner 2", titel="Bloembak Voorstraat 2"), actor="b@example.nl")
    page.reload()
    pages = page.get_by_role("navigation", name="Pagina's met zoekresultaten")
    expect(pages.locator("[aria-current=page]")).to_have_text("Pagina 1")
    assert axe_violations(page) == []
    pages.get_by_role("link", name="Volgende pagina").click()
    expect(page.get_by_role("navigation", name="Pagina's met zoekresultaten").locator("[aria-current=page]")
           ).to_have_text("Pagina 2")
    expect(page.get_by_label("Zoekterm")).to_have_value("Voorstraat")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert axe_violations(page) == []
