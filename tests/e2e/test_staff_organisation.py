"""The staff workspace in a real browser, third part: a beheerder goes from the beheer overview to
the guides and adds one (after a mistake the error summary leads to the field), then to the
budgets and adds next year's, then changes a team's lead on the team's own page; a regiegroep
member sees a short budget highlighted beside the task. axe-core finds no violations on the way."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine import clock
from processes.demo.staff import DEMO_PASSWORD
from processes.tables.organisation import DistrictBudget, Guide
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import log_out, prepare, submit_login
from tests.processes.factories import Case, wijkwens_data
from web import engine_of

BEHEER = "ria.vanleeuwen@gemeente.example"
INTAKE = "ilse.dewit@gemeente.example"
OOST = "bram.verhoeven@gemeente.example"
NEXT_YEAR = str(clock.now().year + 1)


def test_a_beheerder_adds_a_guide_and_next_years_budgets(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    submit_login(page, live_server, BEHEER, DEMO_PASSWORD)
    page.get_by_role("link", name="Beheer", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Beheer")
    assert axe_violations(page) == []
    page.get_by_role("navigation", name="Onderdelen van beheer").get_by_role("link", name="Begeleiders").click()
    expect(page.locator("h1")).to_have_text("Begeleiders")
    assert axe_violations(page) == []

    new_guide = page.locator("form", has=page.get_by_role("heading", name="Begeleider toevoegen"))
    new_guide.get_by_label("Naam", exact=True).fill("Yara Bos")
    new_guide.get_by_label("E-mailadres").fill("yara.bos")
    new_guide.get_by_label("Sport").check()
    new_guide.get_by_role("button", name="Begeleider toevoegen").click()
    summary = page.locator("#foutmeldingen")
    expect(summary).to_contain_text("Vul een goed e-mailadres in")
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    email = page.locator("#nieuwe-begeleider-email")
    expect(email).to_be_focused()
    expect(page.locator("#nieuwe-begeleider-naam")).to_have_value("Yara Bos")
    email.fill("yara.bos@gemeente.example")
    page.locator("form", has=page.get_by_role("heading", name="Begeleider toevoegen")).get_by_role(
        "button", name="Begeleider toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text("Yara Bos is toegevoegd als begeleider.")

    expect(page.locator("h1")).to_have_text("Begeleiders")
    page.get_by_role("navigation", name="Onderdelen van beheer").get_by_role(
        "link", name="Budgetten wijkwensen").click()
    expect(page.get_by_role("link", name="Budgetten wijkwensen")).to_have_attribute("aria-current", "page")
    budgets = page.locator("form", has=page.get_by_role("heading", name="Budgetten voor een nieuw jaar"))
    budgets.get_by_label("Jaar").fill(NEXT_YEAR)
    budgets.get_by_label("Budget voor wijkwensen in Oost (in euro)").fill("30.000")
    budgets.get_by_label("Budget voor wijkwensen in West (in euro)").fill("27.500")
    budgets.get_by_label("Budget voor wijkwensen in Centrum (in euro)").fill("20.000")
    budgets.get_by_role("button", name="Budgetten toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text(f"De budgetten voor {NEXT_YEAR} zijn toegevoegd.")
    expect(page.get_by_role("heading", name=f"Wijkwensen Oost {NEXT_YEAR}")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Onderdelen van beheer").get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Team Groen", exact=True).click()
    expect(page.locator("h1")).to_have_text("Team Groen")
    expect(page.get_by_role("link", name="Teams", exact=True)).to_have_attribute("aria-current", "true")
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres van de teamleider").fill("nieuwe.leider@gemeente.example")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("h1")).to_have_text("Teams")
    expect(page.get_by_role("status").first).to_contain_text("De gegevens van Team Groen zijn opgeslagen.")
    expect(page.get_by_role("cell", name="nieuwe.leider@gemeente.example")).to_be_visible()
    assert axe_violations(page) == []
    with engine_of(live_server.app).db.transaction() as session:
        assert session.scalar(select(Guide.expertise).where(Guide.email == "yara.bos@gemeente.example")) == "sport"
        assert session.scalar(select(DistrictBudget.amount).where(
            DistrictBudget.year == int(NEXT_YEAR), DistrictBudget.district_code == "oost")) == Decimal("30000")
    log_out(page)


def test_a_short_budget_is_highlighted_beside_the_regiegroep_task(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    engine = engine_of(live_server.app)
    with engine.db.transaction() as session:
        budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == "oost"))
        assert budget is not None
        budget.amount = Decimal("100")
    case = Case.start(engine, wijkwens_data(wijk="oost"))
    case.complete("categorie_bevestigen", {"aanvulling_nodig": False, "categorie_akkoord": True}, actor=INTAKE)
    submit_login(page, live_server, OOST, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/medewerker/taken/{case.task('regiegroep_beoordelen').task_id}")
    expect(page.locator("#budget-melding")).to_contain_text("Niet genoeg budget:")
    assert axe_violations(page) == []
