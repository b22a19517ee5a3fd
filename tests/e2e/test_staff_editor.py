"""The process owner edits the diagrams and decision tables in use in the browser: changes a
status text in the properties panel, checks it, puts it into use, and sees a broken change
refused with its problem in Dutch. Every file survives a load and save unchanged. axe-core
finds no violations on the way."""

from __future__ import annotations

import pytest
from lxml import etree
from playwright.sync_api import Page, expect

from processes import MODELS_DIR, studio
from processes.demo.staff import DEMO_PASSWORD
from processes.loket import Loket
from tests.e2e.conftest import LiveServer, axe_violations
from tests.e2e.test_staff_accounts import prepare, submit_login
from web import loket_of

PROCES = "paul.hendriks@gemeente.example"
NEW_STATUS = "Team Groen kijkt nu naar uw initiatief."
DIAGRAMS = sorted(path.name for path in MODELS_DIR.iterdir() if path.suffix in (".bpmn", ".dmn"))
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def open_editor(page: Page, server: LiveServer, name: str) -> None:
    prepare(server)
    submit_login(page, server, PROCES, DEMO_PASSWORD)
    page.get_by_role("link", name="Processen", exact=True).first.click()
    page.get_by_role("link", name=f"bewerken ({name})").click()
    expect(page.locator("h1")).to_have_text(f"{name} bewerken")
    expect(page.locator("#editor")).to_have_attribute("data-geladen", "ja")


def select_element(page: Page, element_id: str) -> None:
    page.locator(f'.djs-element.djs-shape[data-element-id="{element_id}"]').click()
    expect(page.locator(".bio-properties-panel-header-label")).to_be_visible()


def in_use(server: LiveServer, name: str) -> str:
    content = studio.file_in_use(loket_of(server.app), name)
    assert content is not None
    return content.decode("utf-8")


def test_a_process_owner_changes_a_status_text_checks_it_and_puts_it_into_use(live_server: LiveServer,
                                                                            page: Page) -> None:
    open_editor(page, live_server, "eenvoudig.bpmn")
    assert axe_violations(page) == []

    select_element(page, "groen_beoordelen")
    status = page.get_by_label("Statustekst (Nederlands)")
    expect(status).to_have_value("Team Groen bekijkt uw initiatief.")
    status.fill(NEW_STATUS)
    page.get_by_role("button", name="Alleen controleren").click()
    expect(page.get_by_role("status")).to_contain_text("Geen problemen gevonden")
    assert NEW_STATUS not in in_use(live_server, "eenvoudig.bpmn")  # checking deploys nothing
    assert axe_violations(page) == []

    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status")).to_contain_text("In gebruik genomen: eenvoudig (versie 2)")
    assert f'name="statusText" value="{NEW_STATUS}"' in in_use(live_server, "eenvoudig.bpmn")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Terug naar Processen").click()  # saved: no question on leaving
    expect(page.locator("h1")).to_have_text("Processen")
    expect(page.get_by_role("row", name="(eenvoudig)").get_by_role("cell").first).to_have_text("2")


def test_a_broken_team_expression_is_refused_with_the_problem_in_dutch(live_server: LiveServer,
                                                                          page: Page) -> None:
    open_editor(page, live_server, "eenvoudig.bpmn")
    select_element(page, "groen_beoordelen")
    page.get_by_label("Wie pakt deze taak op").select_option("__uitdrukking__")
    page.get_by_label("Uitdrukking voor het team").fill("'team-' + ")  # not a Python expression
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 probleem gevonden")
    expect(alert).to_contain_text("eenvoudig.bpmn · groen_beoordelen (Beoordelen door team Groen)")
    expect(alert).to_contain_text("Er is niets in gebruik genomen")
    assert "'team-' + " not in in_use(live_server, "eenvoudig.bpmn")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Toon in het model").click()  # back to the element with the problem
    expect(page.locator(".bio-properties-panel-header-label")).to_have_text("Beoordelen door team Groen")

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Terug naar Processen").click()  # unsaved changes: the browser asks
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page.locator("h1")).to_have_text("eenvoudig.bpmn bewerken")


def test_a_user_task_without_a_form_is_refused(live_server: LiveServer, page: Page) -> None:
    open_editor(page, live_server, "wijkwens.bpmn")
    page.get_by_label("Stap kiezen").select_option("regiegroep_beoordelen")  # the keyboard way to a step
    page.get_by_label("Formulier", exact=True).select_option("")
    page.get_by_role("button", name="Alleen controleren").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Deze gebruikerstaak heeft geen formulier.")
    expect(alert).to_contain_text("wijkwens.bpmn · regiegroep_beoordelen")


def test_the_norm_in_working_days_is_written_on_the_overdue_timer(live_server: LiveServer, page: Page) -> None:
    open_editor(page, live_server, "eenvoudig.bpmn")
    select_element(page, "groen_beoordelen")
    norm = page.get_by_label("Servicenorm in werkdagen")
    expect(norm).to_have_value("10")
    norm.fill("12")
    page.get_by_label("Als scenario's mislukken: waarom toch in gebruik nemen?").fill("Norm verlengd na de evaluatie.")
    page.get_by_role("button", name="Controleren en in gebruik nemen").click()
    expect(page.get_by_role("status")).to_contain_text("In gebruik genomen")
    assert ">werkdagen(12)</bpmn:timeDate>" in in_use(live_server, "eenvoudig.bpmn")


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, bytes]]:
    """The files the server was asked to check (what the editor sent)."""
    calls: list[dict[str, bytes]] = []
    real = studio.check

    def recording(loket: Loket, uploaded: dict[str, bytes]) -> studio.Check:
        calls.append(dict(uploaded))
        return real(loket, uploaded)

    monkeypatch.setattr(studio, "check", recording)
    return calls


# Attributes bpmn-js leaves out because they say what BPMN says anyway.
DEFAULTS = {("cancelActivity", "true")}
PLANE = "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNPlane"


def canonical(element: etree._Element) -> tuple[object, ...]:
    """An element as what it means: its name, attributes, trimmed text and children (layout,
    attribute order, namespace prefixes and attributes at their default left out). Shapes
    are compared by what they draw: bpmn-js puts an attached event after its task in the
    drawing order."""
    attributes = tuple(sorted((key, value.strip()) for key, value in element.attrib.items()
                              if (key, value.strip()) not in DEFAULTS))
    children = [canonical(child) for child in element if isinstance(child.tag, str)]
    if element.tag == PLANE:
        children.sort(key=repr)
    return element.tag, attributes, (element.text or "").strip(), tuple(children)


@pytest.mark.parametrize("name", DIAGRAMS)
def test_every_file_in_use_survives_a_load_and_save_unchanged(live_server: LiveServer, page: Page,
                                                             checked: list[dict[str, bytes]], name: str) -> None:
    open_editor(page, live_server, name)
    page.get_by_role("button", name="Alleen controleren").click()
    expect(page.get_by_role("status")).to_contain_text("Geen problemen gevonden")
    assert [list(files) for files in checked] == [[name]]
    saved = etree.fromstring(checked[0][name])
    original = etree.fromstring((MODELS_DIR / name).read_bytes())
    assert canonical(saved) == canonical(original)
    if name.endswith(".bpmn"):
        assert len(saved.findall(f".//{{{SPIFF}}}*")) == len(original.findall(f".//{{{SPIFF}}}*")) > 0
    assert axe_violations(page) == []
