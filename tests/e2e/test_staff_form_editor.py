"""The process owner edits a form in the browser: adds a required question to the first step of
the start form, sees it in the live preview (drawn by the server), puts it into use, and an
anonymous initiator is asked the new question on /aanmelden. Also: the JSON view with a broken
edit and the way back, and a new form. axe-core finds no violations on the way."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from processes import studio
from processes.demo.staff import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import prepare, submit_login
from web import loket_of

PROCES = "paul.hendriks@gemeente.example"
QUESTION = "Hoe hoorde u van het loket?"


def open_form_editor(page: Page, server: LiveServer, name: str) -> None:
    prepare(server)
    submit_login(page, server, PROCES, DEMO_PASSWORD)
    page.get_by_role("link", name="Processen", exact=True).first.click()
    page.get_by_role("link", name=f"bewerken ({name})").click()
    expect(page.locator("#formulier-editor")).to_have_attribute("data-geladen", "ja")


def in_use(server: LiveServer, name: str) -> dict[str, Any]:
    content = studio.file_in_use(loket_of(server.app), name)
    assert content is not None
    parsed: dict[str, Any] = json.loads(content)
    return parsed


def new_question(page: Page, step: str | None = None) -> Locator:
    """Add a question (to ``step``, or to a form without steps); the card of the new question, once it
    is drawn (its name field has the focus). The editor redraws just after the click, so a card looked
    up before then is the previous question's."""
    if step is None:
        page.get_by_role("button", name="Vraag toevoegen", exact=True).click()
    else:
        page.get_by_role("button", name=f"Vraag toevoegen ({step})").click()
    focused = page.locator("input:focus")
    expect(focused).to_have_value(re.compile(r"^vraag_\d+$"))
    key = str(focused.get_attribute("id")).removesuffix("-naam")
    return page.locator(f"li.fe-question:has(#{key}-naam)")


def test_a_new_required_question_reaches_the_public_start_form(live_server: LiveServer, page: Page,
                                                               browser: Browser) -> None:
    open_form_editor(page, live_server, "forms/intake.json")
    expect(page.locator("h1")).to_have_text("Formulier intake bewerken")
    preview = page.locator("[data-form-preview]")
    expect(preview.get_by_label("Uw naam")).to_be_visible()
    assert axe_violations(page) == []

    card = new_question(page, "Stap 1: Over u")
    expect(page.locator("#fe-melding")).to_have_text("Vraag vraag_1 is toegevoegd.")
    card.get_by_label("Naam van het antwoord", exact=True).fill("hoe_gehoord")
    card.get_by_label("Vraag (Nederlands)", exact=True).fill(QUESTION)
    card.get_by_label("Vraag (Engels)", exact=True).fill("How did you hear of us?")
    card.get_by_label("Verplicht", exact=True).check()
    expect(card.get_by_role("heading")).to_have_text(f"Vraag 6: {QUESTION}")

    shown = preview.get_by_label(QUESTION, exact=True)  # required: no "(niet verplicht)"
    expect(shown).to_be_visible()
    expect(shown).to_have_attribute("aria-required", "true")
    expect(shown).to_have_attribute("name", "hoe_gehoord")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    answer = page.locator("#editor-uitkomst")
    expect(answer).to_contain_text("Het formulier is in gebruik genomen: ")
    expect(answer).to_be_focused()
    form = in_use(live_server, "forms/intake.json")
    assert form["steps"][0]["fields"][-1] == "hoe_gehoord"
    assert "hoe_gehoord" in form["schema"]["required"]
    assert axe_violations(page) == []

    initiator = browser.new_context(locale="nl-NL").new_page()
    initiator.goto(live_server.url + "/aanmelden")
    initiator.wait_for_url(re.compile(r"/aanmelden/stap/wie$"))
    expect(initiator.get_by_label(QUESTION, exact=True)).to_be_visible()
    initiator.get_by_role("button", name="Volgende").click()
    expect(initiator.get_by_role("alert")).to_contain_text(f'Beantwoord de vraag "{QUESTION}".')
    initiator.context.close()


def test_the_json_view_keeps_changes_and_says_in_dutch_what_is_wrong(live_server: LiveServer, page: Page) -> None:
    open_form_editor(page, live_server, "forms/tevredenheid.json")
    page.get_by_label("Titel (Nederlands)", exact=True).fill("Hoe vond u het?")
    page.get_by_role("button", name="JSON bewerken").click()
    expect(page.get_by_role("button", name="JSON bewerken")).to_have_attribute("aria-pressed", "true")
    text = page.get_by_label("Het hele formulier als JSON")
    expect(text).to_have_value(re.compile('"nl": "Hoe vond u het\\?"'))
    preview = page.locator("[data-form-preview]")

    text.fill(text.input_value().replace('"Hoe vond u het?"', '"Hoe vond u het?",', 1))  # a comma too many
    expect(preview).to_contain_text("Dit is geen geldige JSON (regel")
    page.get_by_role("button", name="Vragen bewerken").click()
    expect(page.locator("#fe-json-tekst-fout")).to_contain_text("Dit is geen geldige JSON (regel 4")
    expect(text).to_be_focused()
    expect(text).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    text.fill(text.input_value().replace('"Hoe vond u het?",', '"Hoe vond u het?"', 1)
              .replace('"1 – Heel ontevreden"', '"1 – Erg ontevreden"', 1))
    page.get_by_role("button", name="Vragen bewerken").click()
    expect(page.get_by_label("Titel (Nederlands)", exact=True)).to_have_value("Hoe vond u het?")
    first_choice = page.get_by_role("group", name="Keuze 1").get_by_label("Tekst (Nederlands)", exact=True)
    expect(first_choice).to_have_value("1 – Erg ontevreden")
    expect(preview.get_by_label("1 – Erg ontevreden")).to_be_visible()
    page.get_by_role("button", name="Alleen controleren").click()
    expect(page.locator("#editor-uitkomst")).to_contain_text("Geen problemen gevonden")
    assert in_use(live_server, "forms/tevredenheid.json")["title"] == {"nl": "Wat vond u ervan?",
                                                                      "en": "How did we do?"}


def test_a_process_owner_makes_a_new_form(live_server: LiveServer, page: Page) -> None:
    open_form_editor(page, live_server, "forms/tevredenheid.json")
    page.get_by_role("link", name="Nieuw formulier").click()
    expect(page.locator("h1")).to_have_text("Nieuw formulier")
    page.get_by_label("Id van het formulier", exact=True).fill("Buurt Budget")
    page.get_by_label("Titel (Nederlands)", exact=True).fill("Buurtbudget beoordelen")
    page.get_by_role("button", name="Formulier maken").click()
    expect(page.get_by_role("alert")).to_contain_text("Gebruik voor het id alleen kleine letters")
    assert axe_violations(page) == []

    page.get_by_label("Id van het formulier", exact=True).fill("buurtbudget")
    page.get_by_role("button", name="Formulier maken").click()
    expect(page.locator("h1")).to_have_text("Nieuw formulier buurtbudget")
    expect(page.locator("#formulier-editor")).to_have_attribute("data-geladen", "ja")
    kind = new_question(page).get_by_label("Soort vraag", exact=True)  # a one-page form: no step to name
    kind.select_option(label="Keuzerondjes (één keuze)")
    preview = page.locator("[data-form-preview]")
    expect(preview.get_by_label("Optie 2")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.locator("#editor-uitkomst")).to_contain_text("Het formulier is in gebruik genomen")
    form = in_use(live_server, "forms/buurtbudget.json")
    assert form["schema"]["properties"]["vraag_1"] == {"type": "string", "enum": ["optie_1", "optie_2"]}
