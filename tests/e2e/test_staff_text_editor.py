"""The process owner changes the Dutch and English subject of the confirmation mail in the
browser: previews it, keeps it as a draft, leaves and comes back to the draft, and puts it into
use; the next initiative's confirmation has the new subject. The diagram editor keeps a draft
too. axe-core finds no violations on the way."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from processes import studio
from processes.demo.staff import DEMO_PASSWORD
from processes.intake import submit_initiative
from tests.e2e.conftest import LiveServer, Mailbox, axe_violations
from tests.e2e.test_staff_accounts import prepare, submit_login
from tests.e2e.test_staff_editor import open_editor, select_element
from tests.processes.factories import wijkwens_data
from web import loket_of

PROCES = "paul.hendriks@gemeente.example"
NL_SUBJECT = "Bedankt voor uw initiatief ({{ case_ref }})"
EN_SUBJECT = "Thank you for your initiative ({{ case_ref }})"


def in_use(server: LiveServer, name: str) -> str:
    content = studio.file_in_use(loket_of(server.app), name)
    assert content is not None
    return content.decode("utf-8")


def open_text_editor(page: Page) -> None:
    page.get_by_role("link", name="Processen", exact=True).first.click()
    page.get_by_role("link", name="bewerken (texts/bevestiging.nl.txt)").click()
    expect(page.locator("h1")).to_have_text("Tekst ‘bevestiging’ bewerken")


def test_a_process_owner_edits_previews_keeps_and_deploys_a_mail_text(live_server: LiveServer, page: Page,
                                                                       mailbox: Mailbox) -> None:
    prepare(live_server)
    submit_login(page, live_server, PROCES, DEMO_PASSWORD)
    open_text_editor(page)
    assert axe_violations(page) == []

    page.get_by_label("Onderwerp (Nederlands)").fill(NL_SUBJECT)
    page.get_by_label("Onderwerp (Engels)").fill(EN_SUBJECT)
    page.get_by_label("Voorbeeldwaarde van case_ref").fill("INI-2026-000777")
    page.get_by_role("button", name="Voorbeeld").click()
    expect(page.locator("#voorbeeld-nl .staff-text-preview-subject")).to_have_text(
        "Bedankt voor uw initiatief (INI-2026-000777)")
    expect(page.locator("#voorbeeld-en .staff-text-preview-subject")).to_have_text(
        "Thank you for your initiative (INI-2026-000777)")
    assert "Bedankt" not in in_use(live_server, "texts/bevestiging.nl.txt")  # a preview changes nothing
    assert axe_violations(page) == []

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Terug naar Processen").click()  # shown, but kept nowhere: the browser asks
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page.locator("h1")).to_have_text("Tekst ‘bevestiging’ bewerken")

    page.get_by_role("button", name="Concept bewaren").click()
    expect(page.get_by_text("Uw concept is bewaard.")).to_be_visible()
    expect(page.get_by_label("Onderwerp (Engels)")).to_have_value(EN_SUBJECT)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Terug naar Processen").click()  # kept as a draft: no question
    expect(page.locator("h1")).to_have_text("Processen")
    assert dialogs == ["beforeunload"]
    drafts = page.locator("#concepten + p + ul")
    expect(drafts).to_contain_text("texts/bevestiging.nl.txt")
    expect(drafts).to_contain_text("texts/bevestiging.en.txt")
    assert axe_violations(page) == []

    page.get_by_role("link", name="bewerken (texts/bevestiging.nl.txt)").click()
    offer = page.locator("#concept")
    expect(offer).to_contain_text("U heeft een concept van")
    expect(page.get_by_label("Onderwerp (Nederlands)")).to_have_value("Uw initiatief is ontvangen ({{ case_ref }})")
    assert axe_violations(page) == []
    offer.get_by_role("link", name="Verder met het concept").click()
    expect(page.get_by_label("Onderwerp (Nederlands)")).to_have_value(NL_SUBJECT)
    expect(page.get_by_label("Onderwerp (Engels)")).to_have_value(EN_SUBJECT)

    page.get_by_label("Wat is er veranderd?").fill("Vriendelijker onderwerp")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status").first).to_contain_text("De tekst is in gebruik genomen")
    assert in_use(live_server, "texts/bevestiging.nl.txt").startswith(f"Onderwerp: {NL_SUBJECT}\n")
    assert in_use(live_server, "texts/bevestiging.en.txt").startswith(f"Subject: {EN_SUBJECT}\n")
    expect(page.locator("#concept")).to_have_count(0)  # the draft went with it
    assert axe_violations(page) == []

    info = submit_initiative(loket_of(live_server.app), wijkwens_data(email="bewoner@example.org"),
                             channel="online", actor="bewoner@example.org")
    mailbox.wait_for("bewoner@example.org", f"Bedankt voor uw initiatief ({info.case_ref})")


def test_the_diagram_editor_keeps_a_draft_and_offers_it_again(live_server: LiveServer, page: Page) -> None:
    open_editor(page, live_server, "eenvoudig.bpmn")
    select_element(page, "groen_beoordelen")
    page.get_by_label("Statustekst (Nederlands)").fill("Team Groen kijkt ernaar.")
    page.get_by_role("button", name="Concept bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Uw concept is bewaard")
    assert "Team Groen kijkt ernaar." not in in_use(live_server, "eenvoudig.bpmn")
    assert axe_violations(page) == []

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.reload()  # kept as a draft: leaving does not ask
    expect(page.locator("#editor")).to_have_attribute("data-geladen", "ja")
    assert dialogs == []
    offer = page.locator("#concept")
    expect(offer).to_contain_text("U heeft een concept van")
    assert axe_violations(page) == []
    offer.get_by_role("button", name="Verder met het concept").click()
    expect(offer).to_have_count(0)
    select_element(page, "groen_beoordelen")
    expect(page.get_by_label("Statustekst (Nederlands)")).to_have_value("Team Groen kijkt ernaar.")

    with page.expect_response(lambda response: response.request.method == "DELETE") as discarded:
        page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    assert discarded.value.ok
    expect(page.get_by_role("status")).to_contain_text("In gebruik genomen")
    assert 'value="Team Groen kijkt ernaar."' in in_use(live_server, "eenvoudig.bpmn")
    page.reload()
    expect(page.locator("#editor")).to_have_attribute("data-geladen", "ja")
    expect(page.locator("#concept")).to_have_count(0)  # put into use: the draft is gone
