"""The process owner compares two versions in a real browser: the changes are listed and the
changed elements are outlined on the diagram; axe-core finds no violations."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from engine import read_bundle_files
from processes import MODELS_DIR, studio
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import prepare
from tests.e2e.test_staff_journey import log_in
from web import loket_of

PROCES = "paul.hendriks@gemeente.example"


def test_the_changed_norm_is_listed_and_outlined_on_the_diagram(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    changed = read_bundle_files(MODELS_DIR)["eenvoudig.bpmn"].replace(b"werkdagen(10)", b"werkdagen(12)")
    studio.deploy(loket_of(live_server.app), {"eenvoudig.bpmn": changed}, actor=PROCES,
                  reason="De proefscenario's volgen in een latere versie.")
    log_in(page, live_server, PROCES)
    page.goto(live_server.url + "/medewerker/processen")
    page.get_by_role("link", name="vergelijken met versie 1 (Eenvoudig (groen) initiatief)").click()
    expect(page.locator("h1")).to_have_text("Versies vergelijken")
    expect(page.get_by_role("table")).to_contain_text("werkdagen(12)")
    diagram = page.locator("#nieuw-1")
    expect(diagram).to_have_attribute("data-getoond", "ja")
    expect(diagram.locator('.djs-element.staff-gewijzigd[data-element-id="norm_groen_beoordelen"]')).to_have_count(1)
    assert axe_violations(page) == []
