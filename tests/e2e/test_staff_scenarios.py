"""Proefdraaien in a real browser, as the process owner does it: record a scenario by walking the
models through their own forms in the sandbox, run it with the other scenarios, put it into use;
then a draft of a form makes it fail when run against the draft, and the deploy of that form is
refused until the owner says why."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from processes import studio
from processes.demo.staff import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import prepare, submit_login
from tests.e2e.test_staff_form_editor import in_use, new_question
from web import loket_of

PROCES = "paul.hendriks@gemeente.example"
TITLE = "Geveltuin uit de browser"
FILE = "scenarios/opgenomen_geveltuin_uit_de_browser.json"


def fill_start_form(page: Page) -> None:
    page.get_by_label("Inwoner").check()
    page.get_by_label("Uw naam").fill("Sam Smit")
    page.get_by_label("Uw e-mailadres").fill("sam.smit@example.nl")
    page.get_by_label("Naam van uw initiatief").fill("Geveltuin Lindenstraat")
    page.get_by_label("Wat is uw idee?").fill("Een geveltuin langs de gevels van de Lindenstraat.")
    page.get_by_label("Groen, bijvoorbeeld een geveltuin of adoptiegroen").check()
    page.get_by_label("Groen en natuur").check()
    page.get_by_label("Mijn straat").check()
    page.get_by_label("In welke wijk?").select_option(label="Oost")
    page.get_by_label("Het initiatief is op straat, in een park of op een plein").check()
    page.get_by_label("Hoeveel geld vraagt u aan de gemeente? (in euro)").fill("0")


def record_a_green_initiative(page: Page) -> None:
    page.get_by_role("link", name=re.compile("^Proefdraaien")).click()
    expect(page.locator("h1")).to_have_text("Proefdraaien")
    page.get_by_role("link", name="Een nieuw scenario opnemen").click()
    expect(page.locator("h1")).to_have_text("Een scenario opnemen")
    fill_start_form(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start het scenario").click()
    expect(page.locator("#taak-titel")).to_have_text("Taak: Categorie bevestigen")
    expect(page.locator("#opname-categorie")).to_contain_text("eenvoudig")
    page.get_by_label("Ja, dit is de goede categorie").check()
    page.get_by_role("button", name="Taak afronden").click()
    expect(page.locator("#gedaan")).to_contain_text("Taak afgerond: categorie_bevestigen")
    page.get_by_label("Toekennen").check()
    page.get_by_label("Afspraken met de initiatiefnemer").fill("U plant zelf; de gemeente haalt twee tegels weg.")
    page.get_by_role("button", name="Taak afronden").click()
    expect(page.locator("#gedaan")).to_contain_text("Taak afgerond: groen_beoordelen")
    assert axe_violations(page) == []
    page.get_by_label("Naam van het scenario").fill(TITLE)
    page.get_by_role("button", name="Scenario bewaren").click()
    expect(page.get_by_role("status").first).to_contain_text("Het scenario is bewaard als uw concept")


def test_record_a_scenario_run_it_against_a_draft_and_see_it_block_the_deploy(live_server: LiveServer,
                                                                               page: Page) -> None:
    prepare(live_server)
    submit_login(page, live_server, PROCES, DEMO_PASSWORD)
    page.get_by_role("link", name="Processen", exact=True).first.click()
    record_a_green_initiative(page)

    page.get_by_role("button", name="Alle scenario's draaien").click()
    outcome = page.locator("#uitkomst")
    expect(outcome).to_contain_text(" geslaagd, 0 mislukt")
    expect(outcome.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Geslaagd")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mijn concepten in gebruik nemen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw concepten zijn in gebruik genomen")
    assert FILE in studio.files_in_use(loket_of(live_server.app))

    # a draft of the form the scenario answers: one more required question
    page.goto(live_server.url + "/medewerker/processen/formulieren/forms/groen_beoordelen.json")
    expect(page.locator("#formulier-editor")).to_have_attribute("data-geladen", "ja")
    card = new_question(page)
    card.get_by_label("Naam van het antwoord", exact=True).fill("buren_gevraagd")
    card.get_by_label("Vraag (Nederlands)", exact=True).fill("Wat zeggen de buren?")
    card.get_by_label("Vraag (Engels)", exact=True).fill("What do the neighbours say?")
    card.get_by_label("Verplicht", exact=True).check()
    page.get_by_role("button", name="Concept bewaren").click()
    expect(page.get_by_text("Uw concept is bewaard")).to_be_visible()

    page.goto(live_server.url + "/medewerker/processen/proefdraaien")
    expect(page.locator("#concepten ~ ul").first).to_contain_text("forms/groen_beoordelen.json")
    page.get_by_role("button", name="Alle scenario's draaien").click()
    row = page.locator("#uitkomst").get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Mislukt")
    expect(row).to_contain_text("buren_gevraagd")

    page.goto(live_server.url + "/medewerker/processen/formulieren/forms/groen_beoordelen.json?concept=1")
    expect(page.locator("#formulier-editor")).to_have_attribute("data-geladen", "ja")
    page.get_by_role("button", name="Verder met het concept").click()
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    answer = page.locator("#editor-uitkomst")
    expect(answer).to_contain_text(f"Het scenario '{TITLE}' klopt niet meer")
    assert "buren_gevraagd" not in in_use(live_server, "forms/groen_beoordelen.json")["schema"]["properties"]

    page.get_by_label("Als scenario's mislukken: waarom toch in gebruik nemen?").fill(
        "De buren worden voortaan altijd gevraagd; de scenario's passen we morgen aan.")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(answer).to_contain_text("Het formulier is in gebruik genomen")
    assert "buren_gevraagd" in in_use(live_server, "forms/groen_beoordelen.json")["schema"]["properties"]
