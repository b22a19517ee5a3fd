"""Pilot lessons made in the process studio, in the browser only: (a) a new user task
"Participatiecheck" with its own new form, drawn in the BPMN modeler on the complex path, and
(d) a status text and the confirmation mail changed in Dutch and English. After each, a new
initiative sent through the public form shows the change, and a case started before keeps its
version."""

from __future__ import annotations

import re
import time

from lxml import etree
from playwright.sync_api import Page, expect
from sqlalchemy import select

from engine import OpenTask, ProcessInstance
from engine.service import Engine
from processes import studio
from processes.intake import submit_initiative
from tests.e2e.conftest import LiveServer, Mailbox, axe_violations
from tests.e2e.test_pilot_lessons import open_task_of
from tests.e2e.test_public_journey import TEXTS
from tests.e2e.test_staff_accounts import prepare
from tests.e2e.test_staff_editor import select_element
from tests.e2e.test_staff_form_editor import new_question
from tests.e2e.test_staff_journey import log_in, log_out, open_task
from tests.processes.factories import intake_data
from web import engine_of, loket_of

PROCES = "paul.hendriks@gemeente.example"
INTAKE = "ilse.dewit@gemeente.example"
PARTICIPATIE = "linda.bos@gemeente.example"  # specialist in team Participatie
QUESTION = "Hoe zijn de buren bij het initiatief betrokken?"
OLD_STATUS = "Team Groen bekijkt uw initiatief."
OLD_STATUS_EN = "The green team is looking at your initiative."
NEW_STATUS = {"nl": "Team Groen kijkt deze week naar uw geveltuin.",
              "en": "The green team is looking at your front garden this week."}
NEW_SUBJECT = {"nl": "Bedankt, we hebben uw initiatief ({{ case_ref }})",
               "en": "Thank you, we have your initiative ({{ case_ref }})"}
NEW_LINE = {"nl": "Binnen vijf werkdagen hoort u van ons.", "en": "You will hear from us within five working days."}
DEPLOY_TIMEOUT = 60_000  # a deploy runs every scenario of the bundle first
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"


# --- the public side -------------------------------------------------------------------------

SEND = {"nl": {"next": "Volgende", "check": "Naar controleren", "send": "Versturen"},
        "en": {"next": "Next", "check": "Check your answers", "send": "Send"}}
SCOPES = {"straat": 0, "stad": 3}


def send_initiative(page: Page, server: LiveServer, title: str, *, lang: str, email: str,
                    scope: str) -> ProcessInstance:
    """Fill in and send the public start form in Dutch or English (a green initiative for the
    street, or for the whole city, which makes it complex); the stored case."""
    texts = SEND[lang]
    page.goto(f"{server.url}/taal/{lang}?next=/aanmelden")
    page.wait_for_url(re.compile(r"/aanmelden/stap/wie$"))
    assert page.locator("html").get_attribute("lang") == lang
    page.locator("#veld-soort_initiatiefnemer-0").check()
    page.locator("#veld-naam").fill("Sam Smit")
    page.locator("#veld-email").fill(email)
    page.get_by_role("button", name=texts["next"], exact=True).click()
    page.wait_for_url(re.compile(r"/aanmelden/stap/wat$"))
    page.locator("#veld-titel").fill(title)
    page.locator("#veld-omschrijving").fill("Groen langs de gevels, samen met de buren.")
    page.locator("#veld-soort_initiatief-0").check()  # green
    page.locator(f"#veld-reikwijdte-{SCOPES[scope]}").check()
    page.locator("#veld-disciplines-0").check()  # green and nature
    page.get_by_role("button", name=texts["next"], exact=True).click()
    page.wait_for_url(re.compile(r"/aanmelden/stap/waar$"))
    page.locator("#veld-wijk").select_option("oost")
    page.get_by_role("button", name=texts["next"], exact=True).click()
    page.wait_for_url(re.compile(r"/aanmelden/stap/afronden$"))
    page.locator("#veld-gevraagd_bedrag").fill("0")
    page.get_by_role("button", name=texts["check"], exact=True).click()
    page.wait_for_url(re.compile(r"/aanmelden/controleren$"))
    page.get_by_role("button", name=texts["send"], exact=True).click()
    expect(page.locator("h1")).to_have_text(TEXTS[lang]["sent"])
    with engine_of(server.app).db.reading() as session:
        case = session.scalars(select(ProcessInstance).where(ProcessInstance.title == title)).one()
        session.expunge(case)
    return case


def log_in_as_initiator(page: Page, server: LiveServer, mailbox: Mailbox, email: str, lang: str) -> None:
    """Log in to Mijn initiatieven with the link the loket mails."""
    texts = TEXTS[lang]
    page.goto(f"{server.url}/taal/{lang}?next=/inloggen")
    page.locator("#veld-email").fill(email)
    page.get_by_role("button", name=texts["login"]).click()
    expect(page.locator("h1")).to_have_text(texts["mail"])
    link = re.search(r"https?://\S+/inloggen/\S+", Mailbox.body(mailbox.wait_for(email, texts["login_subject"])))
    assert link
    page.goto(link.group(0))
    page.get_by_role("button", name=texts["confirm"], exact=True).click()
    page.wait_for_url(re.compile(r"/mijn-initiatieven$"))


# --- staff steps the lessons do not change ---------------------------------------------------

def confirm_category(engine: Engine, instance_id: int) -> None:
    """The intake team accepts the proposed category (not what these lessons change, so done
    through the engine, as the intake team's task page would)."""
    with engine.db.reading() as session:
        task = session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id,
                                                      OpenTask.task_name == "categorie_bevestigen")).one()
    engine.complete_task(instance_id, task.task_id, {"aanvulling_nodig": False, "categorie_akkoord": True},
                         actor=INTAKE)


def wait_for_status(engine: Engine, instance_id: int, timeout: float = 15.0) -> tuple[str | None, str | None]:
    """The case's status text (Dutch, English) once it has moved on from the category."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.db.reading() as session:
            case = session.get(ProcessInstance, instance_id)
            assert case is not None
            if case.status_text != "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief.":
                return case.status_text, case.status_text_en
        if time.monotonic() > deadline:
            raise AssertionError(f"case {instance_id} did not move on")
        time.sleep(0.2)


# --- the studio ------------------------------------------------------------------------------

def open_processen(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/medewerker/")
    page.get_by_role("link", name="Processen", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Processen")


def open_diagram(page: Page, server: LiveServer, name: str) -> None:
    open_processen(page, server)
    page.get_by_role("link", name=f"bewerken ({name})").click()
    expect(page.locator("#editor")).to_have_attribute("data-geladen", "ja")


def centre(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def zoom_in_on(page: Page, selector: str) -> None:
    """Drag the drawing until the element is in the middle of the canvas, then zoom in on it
    with Ctrl and the mouse wheel, as an owner does on a big diagram."""
    canvas = page.locator("#editor-canvas")
    # Wholly in view: clicking into the drawing focuses it, and a half-visible canvas would
    # then scroll the page away under the mouse.
    canvas.evaluate("element => element.scrollIntoView({block: 'center'})")
    box = canvas.bounding_box()
    assert box is not None
    x, y = centre(page, selector)
    empty = (box["x"] + box["width"] - 60, box["y"] + box["height"] - 60)  # no element there
    drag(page, empty, (empty[0] + box["x"] + box["width"] / 2 - x, empty[1] + box["y"] + box["height"] / 2 - y))
    page.mouse.move(*centre(page, selector))
    page.keyboard.down("Control")
    for _ in range(8):
        page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    expect(page.locator(selector)).to_be_visible()


def put_into_use(page: Page, expected: str) -> None:
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status")).to_contain_text(f"In gebruik genomen: {expected}", timeout=DEPLOY_TIMEOUT)


def in_use(server: LiveServer, name: str) -> bytes:
    content = studio.file_in_use(loket_of(server.app), name)
    assert content is not None
    return content


def make_participation_form(page: Page, server: LiveServer) -> None:
    open_processen(page, server)
    page.get_by_role("link", name="Nieuw formulier maken").click()
    page.get_by_label("Id van het formulier", exact=True).fill("participatiecheck")
    page.get_by_label("Titel (Nederlands)", exact=True).fill("Participatiecheck")
    page.get_by_label("Titel (Engels)").fill("Participation check")
    page.get_by_role("button", name="Formulier maken").click()
    expect(page.locator("#formulier-editor")).to_have_attribute("data-geladen", "ja")
    card = new_question(page)
    card.get_by_label("Naam van het antwoord", exact=True).fill("buren_betrokken")
    card.get_by_label("Vraag (Nederlands)", exact=True).fill(QUESTION)
    card.get_by_label("Vraag (Engels)", exact=True).fill("How are the neighbours involved in the initiative?")
    card.get_by_label("Verplicht", exact=True).check()
    expect(page.locator("[data-form-preview]").get_by_label(QUESTION, exact=True)).to_be_visible()
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.locator("#editor-uitkomst")).to_contain_text("Het formulier is in gebruik genomen",
                                                            timeout=DEPLOY_TIMEOUT)


def draw_participation_check(page: Page) -> None:
    """Make room after the start of the complex path, drop a new task on the arrow from the
    start to the invitation for the intake meeting (bpmn-js splits the arrow), name it and make
    it a user task with the new form and team Participatie."""
    flow = '.djs-connection[data-element-id="Flow_start_complex_uitnodigen"]'
    zoom_in_on(page, flow)
    x, y = centre(page, flow)
    page.get_by_role("button", name="Ruimte maken of weghalen").click()
    drag(page, (x, y - 150), (x + 200, y - 150))  # everything right of the start moves right
    x, y = centre(page, flow)
    drag(page, centre(page, '.djs-palette [data-action="create.task"]'), (x, y))
    editing = page.locator(".djs-direct-editing-content")  # a new task asks for its name at once
    expect(editing).to_be_focused()
    page.keyboard.type("Participatiecheck")
    page.keyboard.press("Enter")
    new_task = page.locator(".djs-element.djs-shape.selected")
    expect(new_task).to_contain_text("Participatiecheck")
    page.get_by_title("Soort element veranderen").click()
    page.locator(".djs-popup").get_by_text("Gebruikerstaak", exact=True).click()
    panel = page.locator("#editor-eigenschappen")
    expect(panel.locator(".bio-properties-panel-header-type")).to_have_text("Gebruikerstaak")
    expect(panel.locator(".bio-properties-panel-header-label")).to_have_text("Participatiecheck")
    page.get_by_label("Formulier", exact=True).select_option("participatiecheck")
    page.get_by_label("Wie pakt deze taak op").select_option("team-participatie")
    page.get_by_label("Statustekst (Nederlands)").fill("We kijken hoe de buurt bij uw initiatief betrokken is.")
    page.get_by_label("Statustekst (Engels)").fill("We are looking at how the neighbourhood is involved.")


def new_user_task(server: LiveServer) -> etree._Element:
    """The one user task named Participatiecheck in complex.bpmn as it is in use, checked to
    sit between the start of the complex path and the invitation for the intake meeting."""
    root = etree.fromstring(in_use(server, "complex.bpmn"))
    [task] = root.findall(f".//{BPMN}userTask[@name='Participatiecheck']")
    flows = {flow.get("id"): flow for flow in root.iter(f"{BPMN}sequenceFlow")}
    [incoming] = [flows[str(ref.text)] for ref in task.iter(f"{BPMN}incoming")]
    [outgoing] = [flows[str(ref.text)] for ref in task.iter(f"{BPMN}outgoing")]
    assert (incoming.get("sourceRef"), outgoing.get("targetRef")) == ("start_complex", "uitnodigen")
    return task


def test_a_new_user_task_with_its_own_form_on_the_complex_path(live_server: LiveServer, page: Page) -> None:
    prepare(live_server)
    engine = engine_of(live_server.app)
    page.set_viewport_size({"width": 1600, "height": 1000})  # room for the drawing and its panel
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    before = submit_initiative(loket_of(live_server.app), intake_data(titel="Stadstuin vooraf", reikwijdte="stad"),
                               channel="online", actor="eerder@example.nl")

    log_in(page, live_server, PROCES)
    make_participation_form(page, live_server)
    open_diagram(page, live_server, "complex.bpmn")
    draw_participation_check(page)
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    refused = page.get_by_role("alert")  # the complex scenarios do not expect the new task
    expect(refused).to_contain_text("Er is niets in gebruik genomen", timeout=DEPLOY_TIMEOUT)
    expect(refused).to_contain_text("scenarios/complex_")
    page.get_by_label("Als scenario's mislukken: waarom toch in gebruik nemen?").fill(
        "Na de evaluatie eerst een participatiecheck; de scenario's passen we deze week aan.")
    put_into_use(page, "complex (versie 3)")
    assert axe_violations(page) == []
    assert errors == []
    log_out(page)

    task = new_user_task(live_server)
    properties = {p.get("name"): p.get("value") for p in task.iter(f"{SPIFF}property")}
    assert properties["formId"] == "participatiecheck"
    assert properties["candidateGroups"] == "'team-participatie'"

    after = send_initiative(page, live_server, "Stadstuin achteraf", lang="nl", email="sam.smit@example.nl",
                            scope="stad")
    confirm_category(engine, after.id)
    check = open_task_of(engine, after.id)
    assert (check.task_name, check.candidate_group) == (task.get("id"), "team-participatie")

    log_in(page, live_server, PARTICIPATIE)
    open_task(page, live_server, "/medewerker/werkvoorraad", "Participatiecheck")
    answer = page.get_by_label(QUESTION, exact=True)  # the new form's question
    expect(answer).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Afronden").click()  # required: refused empty
    expect(page.get_by_role("alert")).to_contain_text(QUESTION)
    page.get_by_label(QUESTION, exact=True).fill("Twintig buren doen mee; de bewonersvereniging steunt het.")
    page.get_by_role("button", name="Afronden").click()
    expect(page.get_by_role("status").first).to_contain_text("is afgerond")
    assert open_task_of(engine, after.id).task_name == "uitnodigen"  # and on along the complex path

    # The case sent before the new version enters the complex path on its own version.
    confirm_category(engine, before.id)
    assert open_task_of(engine, before.id).task_name == "uitnodigen"
    with engine.db.reading() as session:
        versions = {case.id: case.model_version_id for case in session.scalars(
            select(ProcessInstance).where(ProcessInstance.id.in_([before.id, after.id])))}
    assert versions[before.id] != versions[after.id]


def change_status_text(page: Page, server: LiveServer) -> None:
    open_diagram(page, server, "eenvoudig.bpmn")
    select_element(page, "groen_beoordelen")
    dutch = page.get_by_label("Statustekst (Nederlands)")
    expect(dutch).to_have_value(OLD_STATUS)
    dutch.fill(NEW_STATUS["nl"])
    page.get_by_label("Statustekst (Engels)").fill(NEW_STATUS["en"])
    put_into_use(page, "eenvoudig (versie 2)")


def change_confirmation_mail(page: Page, server: LiveServer) -> None:
    open_processen(page, server)
    page.get_by_role("link", name="bewerken (texts/bevestiging.nl.txt)").click()
    expect(page.locator("h1")).to_have_text("Tekst ‘bevestiging’ bewerken")
    for lang, language in (("nl", "Nederlands"), ("en", "Engels")):
        page.get_by_label(f"Onderwerp ({language})").fill(NEW_SUBJECT[lang])
        body = page.get_by_label(f"Tekst van de e-mail ({language})")
        first, rest = body.input_value().split("\n\n", 1)  # after the greeting
        body.fill(f"{first}\n\n{NEW_LINE[lang]}\n\n{rest}")
    page.get_by_label("Wat is er veranderd?").fill("Vriendelijker onderwerp en wanneer men iets hoort")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status").first).to_contain_text("De tekst is in gebruik genomen",
                                                              timeout=DEPLOY_TIMEOUT)
    assert axe_violations(page) == []


def test_a_status_text_and_a_mail_changed_in_dutch_and_english(live_server: LiveServer, page: Page,
                                                               mailbox: Mailbox) -> None:
    prepare(live_server)
    engine = engine_of(live_server.app)
    nl_email, en_email = "sam.smit@example.nl", "sam.smith@example.org"
    before = submit_initiative(loket_of(live_server.app), intake_data(titel="Geveltuin vooraf", email=nl_email),
                               channel="online", actor=nl_email)

    log_in(page, live_server, PROCES)
    change_status_text(page, live_server)
    change_confirmation_mail(page, live_server)
    log_out(page)

    cases = {"nl": send_initiative(page, live_server, "Geveltuin Lindenstraat", lang="nl", email=nl_email,
                                   scope="straat"),
             "en": send_initiative(page, live_server, "Front garden Elm Street", lang="en", email=en_email,
                                   scope="straat")}
    for lang, email in (("nl", nl_email), ("en", en_email)):
        case = cases[lang]
        confirmation = mailbox.wait_for(email, NEW_SUBJECT[lang].replace("{{ case_ref }}", str(case.case_ref)))
        assert NEW_LINE[lang] in Mailbox.body(confirmation)
        confirm_category(engine, case.id)
        assert wait_for_status(engine, case.id) == (NEW_STATUS["nl"], NEW_STATUS["en"])
    confirm_category(engine, before.id)  # after the change, on the version it started with
    assert wait_for_status(engine, before.id) == (OLD_STATUS, OLD_STATUS_EN)

    log_in_as_initiator(page, live_server, mailbox, nl_email, "nl")
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text=str(cases["nl"].case_ref))).to_contain_text(NEW_STATUS["nl"])
    expect(rows.filter(has_text=str(before.case_ref))).to_contain_text(OLD_STATUS)
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/mijn-initiatieven/{cases['nl'].case_ref}")
    expect(page.locator("main")).to_contain_text(NEW_STATUS["nl"])
    page.goto(f"{live_server.url}/mijn-initiatieven/{before.case_ref}")
    expect(page.locator("main")).to_contain_text(OLD_STATUS)
    expect(page.locator("main")).not_to_contain_text(NEW_STATUS["nl"])

    page.context.clear_cookies()
    log_in_as_initiator(page, live_server, mailbox, en_email, "en")
    page.goto(f"{live_server.url}/mijn-initiatieven/{cases['en'].case_ref}")
    expect(page.locator("main")).to_contain_text(NEW_STATUS["en"])
    assert axe_violations(page) == []
