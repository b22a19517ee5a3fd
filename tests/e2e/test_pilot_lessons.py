"""Pilot lessons made in the browser, as the process owner and the beheerder make them: a changed
norm, a category routed to another team, a new district with its regiegroep and budget. After
each, a new initiative sent through the public form shows the change, and a case started before
keeps its version."""

from __future__ import annotations

import re
import time
from datetime import datetime

from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine import OpenTask, ProcessInstance
from engine.service import Engine, InstanceInfo
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import prepare
from tests.e2e.test_staff_editor import select_element
from tests.e2e.test_staff_journey import log_in, log_out, open_task
from tests.processes.factories import intake_data
from web import engine_of

PROCES = "paul.hendriks@gemeente.example"
BEHEER = "ria.vanleeuwen@gemeente.example"
INTAKE = "ilse.dewit@gemeente.example"
GREEN_TASK = "groen_beoordelen"


def send_initiative(page: Page, server: LiveServer, title: str, *, kind: str, scope: str, topic: str,
                    district: str, amount: str = "0") -> ProcessInstance:
    """Fill in and send the public start form as an initiator; the stored case."""
    page.goto(server.url + "/aanmelden")
    page.get_by_label("Inwoner").check()
    page.get_by_label("Uw naam").fill("Sam Smit")
    page.get_by_label("Uw e-mailadres").fill("sam.smit@example.nl")
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/aanmelden/stap/wat$"))
    page.get_by_label("Naam van uw initiatief").fill(title)
    page.get_by_label("Wat is uw idee?").fill("Een idee om de buurt mooier en gezelliger te maken.")
    page.get_by_label(kind).check()
    page.get_by_label(scope).check()
    page.get_by_label(topic).check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/aanmelden/stap/waar$"))
    page.get_by_label("In welke wijk?").select_option(label=district)
    page.get_by_label("Het initiatief is op straat, in een park of op een plein").check()
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/aanmelden/stap/afronden$"))
    page.get_by_label("Hoeveel geld vraagt u aan de gemeente? (in euro)").fill(amount)
    page.get_by_role("button", name="Naar controleren").click()
    page.wait_for_url(re.compile(r"/aanmelden/controleren$"))
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("h1")).to_contain_text("Uw initiatief is verstuurd")
    with engine_of(server.app).db.reading() as session:
        case = session.scalars(select(ProcessInstance).where(ProcessInstance.title == title)).one()
        session.expunge(case)
    return case


def confirm_category(page: Page, server: LiveServer) -> None:
    """The intake team accepts the proposed category of the one case waiting for it."""
    log_in(page, server, INTAKE)
    open_task(page, server, "/medewerker/werkvoorraad", "Categorie bevestigen")
    page.get_by_label("Ja, dit is de goede categorie").check()
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")
    log_out(page)


def open_task_of(engine: Engine, instance_id: int, timeout: float = 15.0) -> OpenTask:
    """The case's open staff task once the worker has run the steps before it."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.db.reading() as session:
            task = session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id)
                                   .order_by(OpenTask.created_at.desc())).first()
            if task is not None and task.task_name != "categorie_bevestigen":
                session.expunge(task)
                return task
        if time.monotonic() > deadline:
            raise AssertionError(f"case {instance_id} has no new task")
        time.sleep(0.2)


def started_before(server: LiveServer, title: str, **answers: object) -> InstanceInfo:
    """A simple green initiative that already passed the intake under the version in use."""
    engine = engine_of(server.app)
    info = engine.start("initiatief", intake_data(titel=title, **answers), actor="eerder@example.nl")
    with engine.db.reading() as session:
        task = session.scalars(select(OpenTask).where(OpenTask.instance_id == info.id)).one()
    engine.complete_task(info.id, task.task_id, {"aanvulling_nodig": False, "categorie_akkoord": True},
                         actor=INTAKE)
    return info


def change_in_editor(page: Page, server: LiveServer, name: str) -> None:
    page.goto(server.url + "/medewerker/processen")
    page.get_by_role("link", name=f"bewerken ({name})").click()
    expect(page.locator("#editor")).to_have_attribute("data-geladen", "ja")


def put_into_use(page: Page, expected: str) -> None:
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status")).to_contain_text(f"In gebruik genomen: {expected}")
    assert axe_violations(page) == []


def working_days_between(start: datetime, end: datetime) -> int:
    days, current = 0, start.date()
    while current < end.date():
        current = current.fromordinal(current.toordinal() + 1)
        days += current.weekday() < 5
    return days


def test_a_changed_norm_reaches_new_initiatives_and_earlier_ones_keep_theirs(live_server: LiveServer,
                                                                             page: Page) -> None:
    prepare(live_server)
    engine = engine_of(live_server.app)
    before = started_before(live_server, "Geveltuin vooraf")
    before_task = open_task_of(engine, before.id)

    log_in(page, live_server, PROCES)
    change_in_editor(page, live_server, "eenvoudig.bpmn")
    select_element(page, GREEN_TASK)
    page.get_by_label("Servicenorm in werkdagen").fill("15")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()  # a scenario expects the old norm
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("scenarios/eenvoudig_servicenorm_verlopen.json")
    expect(alert).to_contain_text('klopt niet meer: mails: op plaats 1 verwacht "escalatie"')
    page.get_by_label("Als scenario's mislukken: waarom toch in gebruik nemen?").fill(
        "Na de evaluatie 15 werkdagen; het scenario passen we deze week aan.")
    put_into_use(page, "eenvoudig (versie 2)")
    log_out(page)

    after = send_initiative(page, live_server, "Geveltuin achteraf", kind="Groen, bijvoorbeeld een geveltuin",
                            scope="Mijn straat", topic="Groen en natuur", district="Oost")
    confirm_category(page, live_server)
    task = open_task_of(engine, after.id)
    assert task.task_name == GREEN_TASK and task.due_at is not None and task.created_at is not None
    assert working_days_between(task.created_at, task.due_at) >= 14  # the new norm (15 working days)
    assert before_task.due_at is not None and before_task.created_at is not None
    assert working_days_between(before_task.created_at, before_task.due_at) <= 11  # still the old one (10)
    assert after.model_version_id != before.model_version_id


def test_a_category_routed_to_another_team(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    engine = engine_of(live_server.app)
    before = started_before(live_server, "Boomspiegel vooraf")

    log_in(page, live_server, PROCES)
    change_in_editor(page, live_server, "eenvoudig.bpmn")
    select_element(page, GREEN_TASK)
    page.get_by_label("Wie pakt deze taak op").select_option("team-participatie")
    put_into_use(page, "eenvoudig (versie 2)")
    log_out(page)

    after = send_initiative(page, live_server, "Boomspiegel achteraf", kind="Groen, bijvoorbeeld een geveltuin",
                            scope="Mijn straat", topic="Groen en natuur", district="Oost")
    confirm_category(page, live_server)
    assert open_task_of(engine, after.id).candidate_group == "team-participatie"
    assert open_task_of(engine, before.id).candidate_group == "team-groen"


def test_a_new_district_gets_its_regiegroep_and_budget_and_is_on_the_start_form(live_server: LiveServer,
                                                                                page: Page) -> None:
    prepare(live_server)
    engine = engine_of(live_server.app)
    log_in(page, live_server, BEHEER)
    page.goto(live_server.url + "/medewerker/beheer/wijken")
    page.locator("#nieuwe-wijk-code").fill("havens")
    page.locator("#nieuwe-wijk-naam").fill("Havenkwartier")
    page.locator("#nieuwe-wijk-bedrag").fill("12.500")
    page.get_by_role("button", name="Wijk toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text("Havenkwartier")
    assert axe_violations(page) == []
    log_out(page)

    after = send_initiative(page, live_server, "Buurtfeest Havenkwartier",
                            kind="Een activiteit, bijvoorbeeld een buurtfeest", scope="Mijn buurt",
                            topic="Evenementen", district="Havenkwartier", amount="750")
    assert (after.case_data or {}).get("wijk") == "havens"
    confirm_category(page, live_server)
    task = open_task_of(engine, after.id)
    assert task.candidate_group == "regiegroep-havens"
