"""The process owner in a real browser: finds the processes in the menu, checks a changed
diagram, sees a broken one refused with its problems, and puts the change into use. axe-core
finds no violations on the way."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from processes import MODELS_DIR
from processes.demo.staff import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import prepare, submit_login

PROCES = "paul.hendriks@gemeente.example"
WIJKWENS = (MODELS_DIR / "wijkwens.bpmn").read_bytes()
UPLOAD = "Procesmodellen (.bpmn), beslistabellen (.dmn), formulieren (.json) en teksten (.txt)"


def write(folder: Path, content: bytes, name: str = "wijkwens.bpmn") -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_a_process_owner_changes_a_mail_text_in_the_same_bundle(live_server: LiveServer, page: Page,
                                                                 tmp_path: Path) -> None:
    prepare(live_server)
    submit_login(page, live_server, PROCES, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/medewerker/processen")
    text = (MODELS_DIR / "texts" / "bevestiging.nl.txt").read_text(encoding="utf-8")
    without_subject = write(tmp_path, text.partition("\n")[2].encode(), "bevestiging.nl.txt")
    page.get_by_label(UPLOAD).set_input_files(without_subject)
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("alert")).to_contain_text("texts/bevestiging.nl.txt")
    expect(page.get_by_role("alert")).to_contain_text("De eerste regel moet het onderwerp zijn")

    changed = write(tmp_path, text.replace("Onderwerp:", "Onderwerp: Ontvangen -", 1).encode(), "bevestiging.nl.txt")
    page.get_by_label(UPLOAD).set_input_files(changed)
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status").first).to_contain_text("In gebruik genomen: ")
    expect(page.get_by_role("status").first).to_contain_text("initiatief (versie 2)")
    assert axe_violations(page) == []


def test_a_process_owner_checks_and_deploys_a_changed_diagram(live_server: LiveServer, page: Page,
                                                            tmp_path: Path) -> None:
    prepare(live_server)
    submit_login(page, live_server, PROCES, DEMO_PASSWORD)
    page.get_by_role("link", name="Processen", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Processen")
    expect(page.get_by_role("row", name="(wijkwens)")).to_be_visible()
    assert axe_violations(page) == []

    broken = write(tmp_path, WIJKWENS.replace(b'value="wijkwens_beoordelen"', b'value="bestaat_niet"'))
    page.get_by_label(UPLOAD).set_input_files(broken)
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("alert")).to_contain_text("1 probleem gevonden")
    expect(page.get_by_role("alert")).to_contain_text("bestaat_niet")
    assert axe_violations(page) == []

    changed = write(tmp_path, WIJKWENS.replace(b"beoordeelt uw wijkwens.", b"kijkt naar uw wijkwens."))
    page.get_by_label(UPLOAD).set_input_files(changed)
    page.get_by_role("button", name="Alleen controleren").click()
    expect(page.get_by_role("status").first).to_contain_text("Geen problemen gevonden")
    assert axe_violations(page) == []

    page.get_by_label(UPLOAD).set_input_files(changed)
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status").first).to_contain_text("In gebruik genomen: ")
    expect(page.get_by_role("status").first).to_contain_text("wijkwens (versie 2)")
    assert axe_violations(page) == []

    page.get_by_role("link", name="bekijken (wijkwens.bpmn)").click()
    expect(page.locator("h1")).to_have_text("Model wijkwens.bpmn")
    expect(page.locator("#diagram")).to_have_attribute("data-getoond", "ja")  # bpmn-js drew it
    expect(page.locator("#diagram .djs-element", has_text="Beoordelen door regiegroep").first).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Beoordelen door regiegroep")).to_be_visible()
    assert axe_violations(page) == []
