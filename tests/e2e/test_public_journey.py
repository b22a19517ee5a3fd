"""The initiator's journey in a real browser, with the keyboard: register a wijkwens, get the
confirmation mail, log in through the mailed link, see the status, answer the intake team's
question with an upload. axe-core finds no WCAG 2.1 A/AA violation on any page, in Dutch and
in English."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from engine.service import Engine
from tests.e2e.conftest import LiveServer, Mailbox, axe_violations
from web import engine_of

EMAIL = "e2e.initiatiefnemer@example.nl"
QUESTION = "Kunt u een tekening van de opstelling sturen?"
TEXTS = {
    "nl": {"next": "Volgende", "check": "Naar controleren", "send": "Versturen", "sent": "Uw initiatief is verstuurd",
           "login": "Stuur mij een inloglink", "mail": "Kijk in uw e-mail", "confirm": "Inloggen",
           "status": "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief.",
           "asked": "We hebben meer informatie van u nodig.", "thanks": "We hebben uw antwoord ontvangen.",
           "confirmation_subject": "Uw initiatief is ontvangen", "login_subject": "in te loggen",
           "error_title": "Fout:", "save": "Opslaan en later verder", "save_link": "Stuur mij de link"},
    "en": {"next": "Next", "check": "Check your answers", "send": "Send", "sent": "Your initiative has been sent",
           "login": "Send me a login link", "mail": "Check your e-mail", "confirm": "Log in",
           "status": "The initiatives team is deciding which approach suits your initiative.",
           "asked": "We need more information from you.", "thanks": "We have received your answer.",
           "confirmation_subject": "We received your initiative", "login_subject": "log in",
           "error_title": "Error:", "save": "Save and continue later", "save_link": "Send me the link"},
}


def no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has focus: the keyboard reaches it."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def press_button(page: Page, name: str) -> None:
    """Tab to a button and press Enter."""
    button = page.get_by_role("button", name=name, exact=True)
    button.evaluate("element => element.id || (element.id = 'knop-' + Math.random().toString(36).slice(2))")
    tab_to(page, str(button.get_attribute("id")))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def fill_wijkwens(page: Page, texts: dict[str, str], attachment: Path) -> None:
    # Step 1: sending it empty first shows the error summary, which gets the focus.
    press_button(page, texts["next"])
    assert page.title().startswith(texts["error_title"].rstrip(":"))
    # autofocus runs after the first rendering, so wait for it instead of reading at once.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'foutmeldingen'",
                           timeout=5000)
    no_violations(page)
    tab_to(page, "veld-soort_initiatiefnemer-0")
    page.keyboard.press("Space")
    type_into(page, "veld-naam", "Eva de Vries")
    type_into(page, "veld-email", EMAIL)
    page.keyboard.press("Enter")  # implicit submission uses the first button: Next
    page.wait_for_url(re.compile(r"/aanmelden/stap/wat$"))
    no_violations(page)
    type_into(page, "veld-titel", "Speelmiddag Oosterpark")
    type_into(page, "veld-omschrijving", "Een middag met spelletjes voor de kinderen uit de buurt.")
    tab_to(page, "veld-soort_initiatief-0")
    page.keyboard.press("ArrowDown")  # "Een activiteit"
    tab_to(page, "veld-reikwijdte-0")
    page.keyboard.press("ArrowDown")  # "Mijn buurt"
    tab_to(page, "veld-disciplines-7")  # "Evenementen"
    page.keyboard.press("Space")
    press_button(page, texts["next"])
    page.wait_for_url(re.compile(r"/aanmelden/stap/waar$"))
    tab_to(page, "veld-wijk")
    page.keyboard.press("ArrowDown")  # Oost
    press_button(page, texts["next"])
    page.wait_for_url(re.compile(r"/aanmelden/stap/afronden$"))
    type_into(page, "veld-gevraagd_bedrag", "450")
    page.set_input_files("#veld-bijlagen", str(attachment))  # choosing a file is the browser's own dialog
    tab_to(page, "veld-publicatie_toestemming")
    page.keyboard.press("Space")
    no_violations(page)
    press_button(page, texts["check"])
    page.wait_for_url(re.compile(r"/aanmelden/controleren$"))


def wait_until_asked(engine: Engine, instance_id: int, timeout: float = 10.0) -> None:
    """The worker mails the question and the case starts waiting for the answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine.waiting_messages(instance_id):
            return
        time.sleep(0.1)
    raise AssertionError("the case does not wait for the initiator's answer")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_register_a_wijkwens_log_in_by_mail_and_answer_a_question(
    live_server: LiveServer, mailbox: Mailbox, page: Page, tmp_path: Path, lang: str
) -> None:
    texts = TEXTS[lang]
    attachment = tmp_path / "begroting.pdf"
    attachment.write_bytes(b"%PDF-1.4\n% begroting\n")
    drawing = tmp_path / "tekening.png"
    drawing.write_bytes(b"\x89PNG\r\n\x1a\n tekening")

    page.goto(live_server.url + "/")
    if lang == "en":
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == lang
    no_violations(page)
    page.goto(live_server.url + "/indeling")
    no_violations(page)

    page.goto(live_server.url + "/aanmelden")
    fill_wijkwens(page, texts, attachment)
    expect(page.locator("main")).to_contain_text("begroting.pdf")
    no_violations(page)
    press_button(page, texts["send"])
    expect(page.locator("h1")).to_have_text(texts["sent"])
    case_ref = page.locator(".loket-reference").inner_text()
    assert re.fullmatch(r"INI-\d{4}-\d{6}", case_ref)
    no_violations(page)

    confirmation = mailbox.wait_for(EMAIL, texts["confirmation_subject"])
    assert case_ref in str(confirmation["Subject"])
    case_link = re.search(r"https?://\S+", Mailbox.body(confirmation))
    assert case_link and case_link.group(0) == f"{live_server.url}/mijn-initiatieven/{case_ref}"

    # The link in the mail asks for a login first and comes back to the case afterwards.
    page.goto(case_link.group(0))
    page.wait_for_url(re.compile(r"/inloggen\?next="))
    no_violations(page)
    type_into(page, "veld-email", EMAIL)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(texts["mail"])
    no_violations(page)
    login_mail = mailbox.wait_for(EMAIL, texts["login_subject"])
    login_link = re.search(r"https?://\S+/inloggen/\S+", Mailbox.body(login_mail))
    assert login_link
    page.goto(login_link.group(0))
    no_violations(page)
    press_button(page, texts["confirm"])
    page.wait_for_url(f"{live_server.url}/mijn-initiatieven/{case_ref}")
    expect(page.locator("main")).to_contain_text(texts["status"])
    no_violations(page)

    # Staff ask for more information (driven on the engine directly, as the intake team would).
    engine = engine_of(live_server.app)
    [task] = [t for t in engine.open_tasks() if t.case_ref == case_ref]
    engine.complete_task(task.instance_id, task.task_id, {"aanvulling_nodig": True, "aanvulling_vraag": QUESTION},
                         actor="intake@gemeente.example")
    wait_until_asked(engine, task.instance_id)
    page.reload()
    expect(page.locator("main")).to_contain_text(QUESTION)
    expect(page.locator("main")).to_contain_text(texts["asked"])
    no_violations(page)
    type_into(page, "veld-antwoord", "Hierbij de tekening van de opstelling.")
    page.set_input_files("#veld-documenten", str(drawing))
    tab_to(page, "veld-documenten")
    page.keyboard.press("Tab")  # on to the send button of this form
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(texts["thanks"])
    expect(page.get_by_role("link", name="tekening.png")).to_be_visible()
    expect(page.get_by_role("link", name="begroting.pdf")).to_be_visible()
    no_violations(page)
    assert [m.message for m in engine.waiting_messages(task.instance_id)] == []

    page.goto(live_server.url + "/mijn-initiatieven")
    expect(page.locator("main")).to_contain_text(case_ref)
    no_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_save_for_later_and_expired_link_pages(live_server: LiveServer, mailbox: Mailbox, page: Page,
                                                lang: str) -> None:
    texts = TEXTS[lang]
    page.goto(f"{live_server.url}/taal/{lang}?next=/aanmelden/stap/wie")
    type_into(page, "veld-naam", "Eva de Vries")
    press_button(page, texts["save"])
    page.wait_for_url(re.compile(r"/aanmelden/opslaan$"))
    no_violations(page)
    type_into(page, "veld-email", EMAIL)
    press_button(page, texts["save_link"])
    expect(page.locator("h1")).to_have_text(texts["mail"])
    no_violations(page)
    resume = re.search(r"https?://\S+/aanmelden/verder/\S+", Mailbox.body(mailbox.wait_for(EMAIL)))
    assert resume
    page.goto(live_server.url + "/inloggen/verlopen-of-verzonnen")
    no_violations(page)
    page.context.clear_cookies()
    page.goto(resume.group(0))
    expect(page.locator("#veld-naam")).to_have_value("Eva de Vries")
