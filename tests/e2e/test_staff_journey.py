"""The staff workspace in a real browser: the intake team confirms the category and couples a
guide, the guide completes an assessment, the contact centre finds the case and logs a call.
Every staff page on the way has no axe-core violations."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from engine.service import InstanceInfo
from processes.demo.staff import DEMO_PASSWORD, load_staff
from tests.e2e.conftest import LiveServer, axe_violations
from tests.processes.factories import complex_data
from web import engine_of

INTAKE = "ilse.dewit@gemeente.example"
GUIDE = "pieter.jansen@gemeente.example"
KCC = "kim.jansen@gemeente.example"
SPECIALIST = "vincent.kok@gemeente.example"  # team Vergunningen


def log_in(page: Page, server: LiveServer, email: str, *, check_axe: bool = False) -> None:
    page.goto(server.url + "/medewerker/inloggen")
    if check_axe:
        assert axe_violations(page) == []
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator("h1")).to_have_text("Werkplek medewerkers")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.locator("h1")).to_have_text("Inloggen voor medewerkers")


def open_task(page: Page, server: LiveServer, list_path: str, title: str, timeout: float = 15.0) -> None:
    """Open a task from a list; service tasks before it run in the worker, so wait for it."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(server.url + list_path)
        link = page.get_by_role("link", name=title, exact=True)
        if link.count() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    link.first.click()
    expect(page.locator("h1")).to_have_text(title)


def start_case(server: LiveServer) -> InstanceInfo:
    engine = engine_of(server.app)
    with engine.db.transaction() as session:
        load_staff(session)
    return engine.start("initiatief", complex_data(naam="Marloes Verbeek", titel="Voedselbos Weizigt"),
                        actor="marloes@example.nl")


def test_intake_guide_and_contact_centre(live_server: LiveServer, page: Page) -> None:
    case = start_case(live_server)

    # The intake employee confirms the category and couples the suggested guide.
    log_in(page, live_server, INTAKE, check_axe=True)
    assert axe_violations(page) == []
    open_task(page, live_server, "/medewerker/werkvoorraad", "Categorie bevestigen")
    assert axe_violations(page) == []
    expect(page.locator("aside")).to_contain_text("vergunning")
    page.get_by_label("Ja, dit is de goede categorie").check()
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")

    # It proposes a moment for the intake meeting; the initiator accepts it in Mijn initiatieven.
    open_task(page, live_server, "/medewerker/werkvoorraad", "Uitnodigen voor het kennismakingsgesprek")
    page.get_by_label("Datum van het gesprek").fill("2025-03-10")
    page.get_by_label("Tijd", exact=True).fill("19:30")
    page.get_by_label("Waar?").fill("Buurthuis De Horizon, Laan 12")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")
    engine = engine_of(live_server.app)
    engine.run_due_jobs()
    engine.deliver_message(case.id, "uitnodiging_beantwoord", {"uitnodiging_antwoord": "akkoord"},
                           actor="marloes@example.nl")
    engine.run_due_jobs()

    open_task(page, live_server, "/medewerker/werkvoorraad", "Kennismakingsgesprek voeren")
    page.get_by_label("Datum van het gesprek").fill("2025-03-10")
    page.get_by_label("Korte samenvatting van het gesprek").fill("Enthousiaste groep, locatie nog zoeken.")
    page.get_by_label("Welke kennis heeft de begeleider nodig?").select_option("geen_voorkeur")
    page.get_by_role("button", name="Afronden").click()

    open_task(page, live_server, "/medewerker/werkvoorraad", "Begeleider kiezen")
    expect(page.locator("aside")).to_contain_text("Pieter Jansen")
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")

    page.goto(f"{live_server.url}/medewerker/dossier/{case.case_ref}")
    expect(page.locator("h1")).to_contain_text(case.case_ref)
    expect(page.locator("body")).to_contain_text("Pieter Jansen")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Aanmelden namens").first.click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Register on behalf of an initiator")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nederlands").click()
    log_out(page)

    # Team Vergunningen finds its assessment in the team's queue and completes it.
    log_in(page, live_server, SPECIALIST)
    open_task(page, live_server, "/medewerker/werkvoorraad", "Toets regels en vergunningen")
    assert axe_violations(page) == []
    page.get_by_label("Positief", exact=True).check()
    page.get_by_label("Toelichting").fill("Een omgevingsvergunning is niet nodig voor een voedselbos.")
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")
    expect(page.get_by_role("link", name="Toets regels en vergunningen")).to_have_count(0)
    log_out(page)

    # The guide sees in "Mijn taken" which teams still assess the initiative.
    log_in(page, live_server, GUIDE)
    page.goto(f"{live_server.url}/medewerker/taken")
    guided = page.locator("section[aria-labelledby=begeleid]")
    expect(guided).to_contain_text(case.case_ref)
    expect(guided).to_contain_text("Toets locatie – Team Vastgoed, nog niet opgepakt")
    expect(guided).not_to_contain_text("Toets regels en vergunningen")
    assert axe_violations(page) == []
    # Where the case is: the three open assessments outlined in the diagram of its process.
    page.goto(f"{live_server.url}/medewerker/dossier/{case.case_ref}")
    expect(page.locator(".staff-diagram").first).to_have_attribute("data-getoond", "ja")
    expect(page.locator(".djs-element.staff-actief")).to_have_count(3)
    assert axe_violations(page) == []
    log_out(page)

    # The contact centre finds the case by the initiator's name and logs the call.
    log_in(page, live_server, KCC)
    page.get_by_role("link", name="Zoeken (KCC)").first.click()
    page.get_by_label("Zoekterm").fill("Verbeek")
    page.get_by_role("button", name="Zoeken").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=case.case_ref).click()
    expect(page.locator("dl")).to_contain_text("Pieter Jansen")
    expect(page.locator("dl")).to_contain_text("Toets locatie")
    expect(page.locator(".staff-diagram").first).to_have_attribute("data-getoond", "ja")
    expect(page.locator(".djs-element.staff-actief")).to_have_count(3)
    assert axe_violations(page) == []
    page.get_by_label("Telefoon").check()
    page.get_by_label("Waar ging het over?").fill("Mevrouw Verbeek vroeg wie haar begeleider is.")
    page.get_by_role("button", name="Contactmoment vastleggen").click()
    contacts = page.locator("section[aria-labelledby=contact]")
    expect(contacts).to_contain_text("Mevrouw Verbeek vroeg wie haar begeleider is.")
    assert axe_violations(page) == []
