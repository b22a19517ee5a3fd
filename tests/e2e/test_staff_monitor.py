"""The monitor in a real browser: the process owner filters the figures with the form (no
JavaScript needed), sees every chart as an image with its table, and the page has no axe-core
violations (WCAG 2.1 A and AA)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from processes.demo.staff import load_staff
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_journey import log_in
from tests.processes.monitoring.factories import write_history
from web import loket_of

OWNER = "paul.hendriks@gemeente.example"


def test_the_owner_reads_the_monitor(live_server: LiveServer, page: Page) -> None:
    loket = loket_of(live_server.app)
    write_history(loket)
    with loket.transaction() as session:
        load_staff(session)
    log_in(page, live_server, OWNER)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Monitor").click()
    expect(page.locator("h1")).to_have_text("Monitor van de pilot")
    page.get_by_label("Binnengekomen vanaf (dag)").fill("2025-12-01")
    page.get_by_label("Tot en met (dag)").fill("2026-01-31")
    page.get_by_label("Wijk", exact=True).select_option("oost")
    page.get_by_role("button", name="Toon de cijfers").click()
    expect(page.get_by_text("Totaal in deze selectie: 2 initiatieven.")).to_be_visible()
    assert "wijk=oost" in page.url
    images = page.locator("img.staff-chart-image")
    assert images.count() >= 10
    assert all(page.evaluate("(img) => img.naturalWidth > 0", images.nth(i).element_handle())
               for i in range(images.count()))  # every chart drawn
    assert axe_violations(page) == []
