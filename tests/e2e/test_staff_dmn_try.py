"""The process owner tries the categorisation table in the browser before putting it into use:
answers the table's inputs in the "Probeer het uit" panel, sees which rule fits, changes a
threshold in the table and sees the changed rule fit — with nothing deployed. axe-core finds no
violations on the way."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_editor import in_use, open_editor

NAME = "categorisatie.dmn"


def answer(page: Page, answers: dict[str, str]) -> None:
    panel = page.locator("#proberen")
    for label, value in answers.items():
        field = panel.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)


def edit_cell(page: Page, rule_id: str, input_id: str, text: str) -> None:
    """Type a new cell text in the table (dmn-js's FEEL cell editor), then leave the cell."""
    cell = page.locator(f'td[data-row-id="{rule_id}"][data-col-id="{input_id}"]')
    cell.click()
    editor = cell.locator("[contenteditable=true]").first
    expect(editor).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
    page.locator("#proberen-titel").click()  # leave the cell
    expect(cell).to_contain_text(text)


def test_a_process_owner_tries_a_changed_threshold_before_putting_it_into_use(live_server: LiveServer,
                                                                               page: Page) -> None:
    open_editor(page, live_server, NAME)
    panel = page.locator("#proberen")
    expect(panel.get_by_role("heading", name="Probeer het uit")).to_be_visible()
    outcome = page.locator("#proberen-uitkomst")
    expect(outcome).to_have_attribute("aria-live", "polite")
    assert axe_violations(page) == []

    answer(page, {"Vergunning nodig?": "Nee", "Locatie nodig?": "Nee", "Reikwijdte": "buurt",
                  "Aantal vakgebieden": "1", "Soort initiatief": "activiteit", "Gevraagd bedrag (euro)": "2.800"})
    panel.get_by_role("button", name="Probeer", exact=True).click()
    # R7 is row 10: the wijkwens rules come first
    expect(outcome).to_contain_text("Regel 10 past: categorie_voorstel = complex — U gaf aan dat u meer dan 2.500 euro")
    assert axe_violations(page) == []

    edit_cell(page, "Rule_R6", "Input_bedrag", "<= 3000")
    panel.get_by_role("button", name="Probeer", exact=True).click()
    expect(outcome).to_contain_text("Regel 1 past: categorie_voorstel = wijkwens — U gaf aan dat het gaat om een "
                                    "activiteit voor uw straat")
    expect(outcome).to_contain_text("Regels 10 en 11 passen ook, maar de eerste regel die past geldt.")
    assert "&lt;= 2500" in in_use(live_server, NAME) and "3000" not in in_use(live_server, NAME)  # not deployed
    assert axe_violations(page) == []

    outcome.get_by_role("link", name="Toon in de tabel (regel 1)").click()  # back to the rule in the table
    page.wait_for_function("document.activeElement.closest('[data-row-id]')?.dataset.rowId === 'Rule_R6'")


def test_a_wrong_answer_and_a_missing_one_are_explained(live_server: LiveServer, page: Page) -> None:
    open_editor(page, live_server, NAME)
    panel = page.locator("#proberen")
    outcome = page.locator("#proberen-uitkomst")
    answer(page, {"Vergunning nodig?": "Nee", "Locatie nodig?": "Nee", "Reikwijdte": "straat",
                  "Soort initiatief": "groen", "Gevraagd bedrag (euro)": "veel"})
    panel.get_by_role("button", name="Probeer", exact=True).click()
    expect(outcome).to_contain_text("Vul bij ‘Gevraagd bedrag (euro)’ een getal in, zoals 3 of 1.250,50.")
    expect(panel.get_by_label("Gevraagd bedrag (euro)")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    answer(page, {"Gevraagd bedrag (euro)": "500"})  # "Aantal vakgebieden" stays empty
    panel.get_by_role("button", name="Probeer", exact=True).click()
    expect(outcome).to_contain_text("Regel 8 heeft een antwoord nodig bij ‘Aantal vakgebieden’.")  # R4
    expect(panel.get_by_label("Gevraagd bedrag (euro)")).not_to_have_attribute("aria-invalid", "true")


def test_a_new_input_gets_its_field(live_server: LiveServer, page: Page) -> None:
    open_editor(page, live_server, NAME)
    answer(page, {"Reikwijdte": "wijk"})
    page.locator('th[data-col-id="Input_reikwijdte"]').click(button="right")
    page.get_by_text("Add input column right").or_(page.get_by_text("Invoerkolom rechts toevoegen")).first.click()
    panel = page.locator("#proberen")
    expect(panel.locator("label")).to_have_count(7)
    expect(panel.get_by_label("Reikwijdte", exact=True)).to_have_value("wijk")  # what was answered stays
