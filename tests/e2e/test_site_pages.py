"""The public start page in a real browser: accessible in both languages, keyboard reachable."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.conftest import LiveServer, axe_violations


def test_home_page_has_no_axe_violations_in_dutch_and_english(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Initiatievenloket"
    assert axe_violations(page) == []
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Initiatives desk"
    assert axe_violations(page) == []


def test_skip_link_is_the_first_thing_the_keyboard_reaches(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
