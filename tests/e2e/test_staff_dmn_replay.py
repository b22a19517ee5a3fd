"""The process owner looks back before putting a changed categorisation table into use: changes a
cell in the dmn-js table, replays the table as it is on the screen on the initiatives of the
pilot in the "Terugkijken op eerdere initiatieven" panel, sees the counts per category and the
initiatives that would switch, then the same for a period — with nothing deployed. axe-core finds
no violations on the way. The history is the test's own: every combination of answers, decided
by the table in use (whatever its rules are)."""

from __future__ import annotations

from datetime import date
from typing import Any

from lxml import etree
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_editor import in_use, open_editor
from tests.processes.test_replay_edited import add_intakes, decided_by, every_answer
from web import loket_of

NAME = "categorisatie.dmn"


def first_category_cell(table: str) -> tuple[str, str, str]:
    """The first rule's id, the category output's id and the rule label the first rule gives."""
    root = etree.fromstring(table.encode("utf-8"))
    decision = root.xpath("//*[local-name()='decisionTable']")[0]
    outputs = decision.xpath("./*[local-name()='output']")
    rule = decision.xpath("./*[local-name()='rule']")[0]
    names = [output.get("name") for output in outputs]
    texts = [entry.xpath("string(./*[local-name()='text'])") for entry in rule.xpath("./*[local-name()='outputEntry']")]
    return rule.get("id"), outputs[names.index("categorie_voorstel")].get("id"), \
        texts[names.index("categorie_regel")].strip("'\"")


def edit_cell(page: Page, rule_id: str, column_id: str, text: str) -> None:
    """Type a new cell text in the table, then leave the cell."""
    cell = page.locator(f'td[data-row-id="{rule_id}"][data-col-id="{column_id}"]')
    cell.click()
    editor = cell.locator("[contenteditable=true]").first
    expect(editor).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
    page.locator("#terugkijken-titel").click()  # leave the cell
    expect(cell).to_contain_text(text)


def history(server: LiveServer) -> list[dict[str, Any]]:
    return add_intakes(loket_of(server.app), decided_by(in_use(server, NAME).encode("utf-8"), every_answer()))


def test_a_process_owner_looks_back_with_a_changed_cell_before_putting_it_into_use(live_server: LiveServer,
                                                                                 page: Page) -> None:
    rows = history(live_server)
    rule_id, output_id, rule_label = first_category_cell(in_use(live_server, NAME))
    switching = [row for row in rows if row["case_data"].get("_rij") == 1]
    assert switching, "the first rule fires for some of the answers"
    open_editor(page, live_server, NAME)
    panel = page.locator("#terugkijken")
    expect(panel.get_by_role("heading", name="Terugkijken op eerdere initiatieven")).to_be_visible()
    assert axe_violations(page) == []

    edit_cell(page, rule_id, output_id, "'proef'")
    panel.get_by_role("button", name="Terugkijken", exact=True).click()
    status = panel.locator("#terugkijken-status")
    expect(status).to_have_attribute("aria-live", "polite")  # read out, without reading out the tables
    expect(status).to_have_text(f"{len(switching)} van de {len(rows)} initiatieven krijgen met deze tabel "
                                "een andere categorie.")
    counts = panel.get_by_role("table", name="Aantal initiatieven per categorie")
    expect(counts.get_by_role("row", name="proef").get_by_role("cell")).to_have_text(
        ["0", str(len(switching)), f"+{len(switching)}"])
    first = switching[0]
    listed = panel.get_by_role("table", name="Initiatieven 1 tot en met").get_by_role("row").nth(1)
    expect(listed).to_contain_text(first["case_ref"])
    expect(listed).to_contain_text(f"(regel {first['case_data']['categorie_regel']})")
    expect(listed).to_contain_text(f"proef (regel {rule_label})")
    assert "'proef'" not in in_use(live_server, NAME)  # looking back deploys nothing
    assert axe_violations(page) == []

    panel.get_by_label("Van (dag)").fill("2025-01-02")
    panel.get_by_label("Tot en met (dag)").fill("2025-01-03")
    panel.get_by_role("button", name="Terugkijken", exact=True).click()
    in_period = [row for row in rows if date(2025, 1, 2) <= row["created_at"].date() <= date(2025, 1, 3)]
    moved = [row for row in in_period if row in switching]
    verb = "krijgt" if len(moved) == 1 else "krijgen"
    expect(status).to_have_text(f"{len(moved)} van de {len(in_period)} initiatieven {verb} met deze tabel "
                                "een andere categorie.")
    expect(panel).to_contain_text("Periode: initiatieven van 02-01-2025 tot en met 03-01-2025.")


def test_a_wrong_period_and_a_broken_cell_are_explained(live_server: LiveServer, page: Page) -> None:
    history(live_server)
    rule_id, output_id, _ = first_category_cell(in_use(live_server, NAME))
    open_editor(page, live_server, NAME)
    panel = page.locator("#terugkijken")
    status = panel.locator("#terugkijken-status")
    panel.get_by_label("Van (dag)").fill("2025-02-01")
    panel.get_by_label("Tot en met (dag)").fill("2025-01-01")
    panel.get_by_role("button", name="Terugkijken", exact=True).click()
    expect(status).to_contain_text("De dag bij ‘Tot en met’ ligt vóór de dag bij ‘Van’.")
    expect(panel.get_by_label("Tot en met (dag)")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    panel.get_by_label("Tot en met (dag)").fill("")
    edit_cell(page, rule_id, output_id, "().__class__")
    panel.get_by_role("button", name="Terugkijken", exact=True).click()
    expect(status).to_contain_text("Met deze tabel kan niet worden teruggekeken.")
    expect(panel.get_by_label("Tot en met (dag)")).not_to_have_attribute("aria-invalid", "true")
