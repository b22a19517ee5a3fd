"""The models in bpmn_models/, the forms and the mail templates follow the loket's conventions."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree

import processes.handlers
from engine.deploy import read_model_files
from engine.mail import MailRenderer
from engine.parsing import load_parser
from engine.scripting import make_engine_script_engine
from engine.validation import validate_paths
from forms import FormRegistry, check_definition
from processes.case_status import decision_values
from tests.processes.factories import complex_data, intake_data, wijkwens_data

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}
DMN_NS = {"dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/"}
OUR_FORMS = sorted(p.stem for p in processes.FORMS_DIR.glob("*.json") if p.stem != "voorbeeld")
PROCESS_FILES = sorted(processes.MODELS_DIR.glob("*.bpmn"))


def properties(element: Any) -> dict[str, str]:
    nodes = element.xpath("./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)
    return {node.get("name"): node.get("value") for node in nodes}


def elements(kind: str) -> list[tuple[str, Any]]:
    found = []
    for path in PROCESS_FILES:
        root = etree.parse(str(path)).getroot()
        found += [(path.name, element) for element in root.iter(f"{{{BPMN}}}{kind}")]
    return found


def test_models_validate_without_problems() -> None:
    forms = FormRegistry(processes.FORMS_DIR)
    problems = validate_paths([processes.MODELS_DIR], form_exists=forms.exists,
                              handler_exists=processes.handlers.handlers.__contains__)
    assert [p.format() for p in problems] == []


def test_processes_and_decision_are_there() -> None:
    parser = load_parser(read_model_files(processes.MODELS_DIR))
    assert sorted(parser.get_process_ids()) == ["aanvulling", "complex", "eenvoudig", "initiatief", "uitnodiging",
                                                "wijkwens"]
    assert sorted(parser.get_subprocess_specs("initiatief")) == ["aanvulling", "complex", "eenvoudig", "uitnodiging",
                                                                 "wijkwens"]
    assert "categorie" in parser.dmn_parsers


@pytest.mark.parametrize("form_id", OUR_FORMS)
def test_form_definitions_are_correct(form_id: str) -> None:
    raw = json.loads((processes.FORMS_DIR / f"{form_id}.json").read_text(encoding="utf-8"))
    assert check_definition(raw, expected_id=form_id) == []


def test_every_user_task_has_form_group_and_status() -> None:
    tasks = elements("userTask")
    assert len(tasks) == 13
    used = set()
    for file, task in tasks:
        props = properties(task)
        assert props.get("formId") in OUR_FORMS, (file, task.get("id"))
        assert props.get("candidateGroups"), (file, task.get("id"))
        assert props.get("statusText") and props.get("statusText_en"), (file, task.get("id"))
        assert props.get("informInitiator") in ("true", "false"), (file, task.get("id"))
        used.add(props["formId"])
    # one form per user task; the start form and the initiator's answer form are the other two
    assert len(used) == len(tasks)
    assert sorted(set(OUR_FORMS) - used) == ["aanvulling", "intake", "uitnodiging_antwoord"]  # start and answers


def test_service_norms_are_non_interrupting_and_mark_overdue() -> None:
    norms = [(f, e) for f, e in elements("boundaryEvent") if properties(e).get("overdue") == "true"]
    assert len(norms) == 10
    for file, event in norms:
        assert event.get("cancelActivity") == "false", (file, event.get("id"))
        assert event.xpath("./bpmn:timerEventDefinition", namespaces=NS), (file, event.get("id"))


def test_wijkwens_goes_to_the_districts_group_by_expression() -> None:
    [(_, task)] = [(f, t) for f, t in elements("userTask") if t.get("id") == "regiegroep_beoordelen"]
    assert properties(task)["candidateGroups"] == "'regiegroep-' + wijk"
    timer = task.getparent().xpath("./bpmn:boundaryEvent[@attachedToRef='regiegroep_beoordelen']"
                                   "//bpmn:timeDuration", namespaces=NS)
    assert [t.text for t in timer] == ['"P6W"']


def test_every_message_wait_has_a_variable_and_an_answer_form() -> None:
    found = {}
    for _, receive in elements("receiveTask"):
        [variable] = receive.xpath(".//spiffworkflow:messageVariable", namespaces=NS)
        found[receive.get("id")] = (variable.text, properties(receive).get("formId"))
    assert found == {"wacht_op_aanvulling": ("aanvulling", "aanvulling"),
                     "wacht_op_reactie_uitnodiging": ("uitnodiging_reactie", "uitnodiging_antwoord"),
                     "wacht_na_herinnering": ("uitnodiging_reactie", "uitnodiging_antwoord")}
    messages = [m.get("name") for _, m in elements("message")]
    assert sorted(messages) == ["aanvulling_ontvangen", "uitnodiging_beantwoord"]


# --- the decision table ----------------------------------------------------------------------------


def decide(data: dict[str, Any]) -> dict[str, Any]:
    parser = load_parser(read_model_files(processes.MODELS_DIR))
    engine = parser.get_engine("categorie", None)
    task = SimpleNamespace(data=data, workflow=SimpleNamespace(script_engine=make_engine_script_engine()))
    result: dict[str, Any] = engine.result(task)
    return result


@pytest.mark.parametrize(
    ("data", "category", "rule"),
    [
        (intake_data(), "eenvoudig", "R5"),
        (intake_data(gevraagd_bedrag=1500), "complex", "R8"),
        (intake_data(vergunning_nodig=True), "complex", "R1"),
        (intake_data(locatie_nodig=True), "complex", "R2"),
        (intake_data(reikwijdte="stad"), "complex", "R3"),
        (intake_data(disciplines=["groen", "sport", "cultuur"]), "complex", "R4"),
        (wijkwens_data(), "wijkwens", "R6"),
        (wijkwens_data(gevraagd_bedrag=2500), "wijkwens", "R6"),
        (wijkwens_data(gevraagd_bedrag=2600), "complex", "R7"),
        (intake_data(soort_initiatief="voorziening"), "complex", "R8"),
        (complex_data(), "complex", "R1"),
        # Issue 14: small initiatives answered honestly stay out of the complex route.
        (wijkwens_data(titel="Sinterklaas in het buurthuis", locatie_nodig=True, gevraagd_bedrag=450),
         "wijkwens", "R10"),
        (wijkwens_data(titel="Burendag", reikwijdte="straat", vergunning_nodig=True, gevraagd_bedrag=300),
         "wijkwens", "R9"),
        (wijkwens_data(titel="Wijkfeest", reikwijdte="wijk", gevraagd_bedrag=800), "wijkwens", "R6"),
        (intake_data(titel="Geveltuinen voor twintig huizen", gevraagd_bedrag=1200), "eenvoudig", "R5"),
        (intake_data(titel="Minibieb", soort_initiatief="anders", disciplines=["cultuur"], gevraagd_bedrag=100),
         "wijkwens", "R11"),
        (wijkwens_data(reikwijdte="stad", gevraagd_bedrag=800), "complex", "R3"),
    ],
)
def test_categorisation_rules(data: dict[str, Any], category: str, rule: str) -> None:
    result = decide(data)
    assert (result["categorie_voorstel"], result["categorie_regel"]) == (category, rule)
    assert result["categorie_uitleg"]


def test_every_rule_is_explained_in_plain_dutch_and_english() -> None:
    root = etree.parse(str(processes.MODELS_DIR / "categorisatie.dmn")).getroot()
    [table] = root.iter(f"{{{DMN_NS['dmn']}}}decisionTable")
    assert table.get("hitPolicy") == "FIRST"
    rules = table.findall("dmn:rule", DMN_NS)
    assert len(rules) == 11
    for rule in rules:
        description = rule.findtext("dmn:description", namespaces=DMN_NS)
        outputs = [o.findtext("dmn:text", namespaces=DMN_NS) for o in rule.findall("dmn:outputEntry", DMN_NS)]
        assert description and description.endswith(".")
        assert outputs[1] == f"'{rule.get('id').removeprefix('Rule_')}'"
        assert outputs[2] == repr(description)
        english = ast.literal_eval(outputs[3])
        assert english.endswith(".") and english != description
        # The explanation quotes the answers ("U gaf aan dat ..."), it never states a fact about the initiative.
        assert not description.startswith(("Voor dit initiatief is", "Dit initiatief is", "Dit is"))


# --- mail templates -------------------------------------------------------------------------------

CONTEXTS: dict[str, dict[str, Any]] = {
    "status_gewijzigd": {"case_ref": "INI-2025-000001", "title": "Geveltuin"},
    "aanvulling_gevraagd": {"case_ref": "INI-2025-000001", "titel": "Geveltuin"},
    "aanvulling_herinnering": {"case_ref": "INI-2025-000001", "titel": "Geveltuin"},
    "masterclass": {"case_ref": "INI-2025-000001", "titel": "Geveltuin"},
    "escalatie": {"case_ref": "INI-2025-000001", "titel": "Geveltuin", "taak": "Beoordelen", "team": "Team Groen"},
    "bevestiging": {"case_ref": "INI-2025-000001", "titel": "Geveltuin"},
}
# Mails with a login or resume link from the portal; rendered in tests/web/public/test_mail.py.
PORTAL_LINK_TEMPLATES = {"inloglink", "concept_link"}
# Mails to staff about their work; rendered in tests/web/staff/test_notifications.py.
STAFF_TEMPLATES = {"taak_toegewezen", "taak_in_wachtrij", "dagoverzicht", "reactie_initiatiefnemer"}
INVITATION = {"case_ref": "INI-2025-000001", "titel": "Geveltuin", "naam": "Sam Smit", "datum_nl": "10 december 2026",
              "datum_en": "10 December 2026", "tijd": "19:30", "plek": "Buurthuis De Horizon"}
TEMPLATE_NAMES = sorted({p.name.split(".")[0] for p in processes.TEXTS_DIR.glob("*.txt")})


def test_every_template_exists_in_dutch_and_english() -> None:
    for name in TEMPLATE_NAMES:
        for lang in ("nl", "en"):
            assert (processes.TEXTS_DIR / f"{name}.{lang}.txt").is_file()
    assert set(TEMPLATE_NAMES) == {*CONTEXTS, "resultaat", *PORTAL_LINK_TEMPLATES, *STAFF_TEMPLATES, "uitnodiging",
                                   "uitnodiging_herinnering"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", ["uitnodiging", "uitnodiging_herinnering"])
def test_the_invitation_says_when_and_where(name: str, lang: str) -> None:
    subject, body = MailRenderer(processes.TEXTS_DIR).render(name, lang, INVITATION)
    assert subject and "Sam Smit" in body and "INI-2025-000001" in body
    assert INVITATION[f"datum_{lang}"] in body and "19:30" in body and "Buurthuis De Horizon" in body


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_templates_render(name: str, lang: str) -> None:
    subject, body = MailRenderer(processes.TEXTS_DIR).render(name, lang, CONTEXTS[name])
    assert "INI-2025-000001" in subject
    assert "Geveltuin" in body


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("uitkomst", ["toegekend", "afgewezen", "doorverwezen", "ingetrokken"])
def test_result_mail_per_outcome(uitkomst: str, lang: str) -> None:
    data = {"uitkomst": uitkomst, "besluit_reden": "Omdat het kan.", "besluit_volgende_stap": "Wij bellen u.",
            "besluit_volgende_stap_en": "We will call you."}
    context = {"case_ref": "INI-2025-000001", "titel": "Geveltuin", "uitkomst": uitkomst, "naam": "Sam Smit",
               **decision_values(data, lang)}
    subject, body = MailRenderer(processes.TEXTS_DIR).render("resultaat", lang, context)
    assert subject
    survey = "vragenlijst" if lang == "nl" else "survey"
    assert (survey in body) == (uitkomst != "ingetrokken")
    assert body.startswith("Beste Sam Smit," if lang == "nl" else "Dear Sam Smit,")
    assert "Omdat het kan." in body
    assert ("Wij bellen u." if lang == "nl" else "We will call you.") in body


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_result_mail_without_a_name_greets_the_initiator(lang: str) -> None:
    context = {"case_ref": "INI-2025-000001", "titel": "Geveltuin", "uitkomst": "toegekend", "naam": "",
               **decision_values({"uitkomst": "toegekend"}, lang)}
    _subject, body = MailRenderer(processes.TEXTS_DIR).render("resultaat", lang, context)
    assert body.startswith("Beste initiatiefnemer," if lang == "nl" else "Dear initiator,")


def test_paths_exist() -> None:
    for path in (processes.MODELS_DIR, processes.FORMS_DIR, processes.TEXTS_DIR):
        assert Path(path).is_dir()
