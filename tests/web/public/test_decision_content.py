"""The decision with its content — amount, reasons, advice, conditions from the assessments,
agreements and the next step — on the initiator's case page and in the decision mail, in Dutch
and English; the survey is a separate, optional section that never takes the decision's place."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine, InstanceInfo
from processes.intake import submit_initiative
from tests.factories import loket_for
from tests.processes.factories import INVITATION, complex_data
from tests.web.public.support import ALICE, body, log_in, mails, start_case
from tests.web_support import check_page

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}
STAFF = "medewerker@gemeente.example"


def _complete(engine: Engine, case: InstanceInfo, name: str, data: dict[str, Any]) -> None:
    [task] = [t for t in engine.open_tasks(instance_id=case.id) if t.task_name == name]
    engine.complete_task(case.id, task.task_id, data, actor=STAFF)
    engine.run_due_jobs()


def _decision_mail(app: Flask) -> str:
    found = [m for m in mails(app) if str(m["Subject"]).startswith(("Besluit over", "Decision on"))]
    assert len(found) == 1, [str(m["Subject"]) for m in mails(app)]
    return body(found[0])


def _page(client: FlaskClient, case: InstanceInfo, lang: str = "nl") -> BeautifulSoup:
    client.get(f"/taal/{lang}")
    return check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text)


def _section(page: BeautifulSoup, heading_id: str) -> str:
    heading = page.find(id=heading_id)
    assert heading is not None, f"no section {heading_id}"
    section = heading.find_parent("section")
    assert section is not None
    return " ".join(section.get_text(" ").split())


def _granted_wijkwens(engine: Engine, lang: str) -> InstanceInfo:
    case = start_case(engine, naam="Sam Smit", taal=lang)
    engine.run_due_jobs()
    _complete(engine, case, "categorie_bevestigen", ACCEPT)
    _complete(engine, case, "regiegroep_beoordelen", {
        "aanvulling_nodig": False, "besluit": "toegekend", "toegekend_bedrag": 600,
        "besluit_toelichting": "Het budget van de wijk is bijna op; de huur van de zaal betalen we niet.",
        "afspraken": "Hang de poster van de gemeente op."})
    return case


def test_wijkwens_decision_in_dutch_on_the_page_and_in_the_mail(app: Flask, client: FlaskClient,
                                                                engine: Engine) -> None:
    case = _granted_wijkwens(engine, "nl")
    log_in(client, engine, ALICE)
    page = _page(client, case)
    decision = _section(page, "besluit-titel")
    assert "Toegekend: € 600" in decision
    assert "U vroeg € 750. Toegekend is € 600." in decision
    assert "Toelichting Het budget van de wijk is bijna op; de huur van de zaal betalen we niet." in decision
    assert "Afspraken Hang de poster van de gemeente op." in decision
    assert "De volgende stap" in decision and "We maken het binnen 4 weken over." in decision
    assert "verslag" in decision, "what to account for afterwards"

    mail = _decision_mail(app)
    assert mail.startswith("Beste Sam Smit,")
    assert "Toegekend bedrag: € 600 (u vroeg € 750)." in mail
    assert "Het budget van de wijk is bijna op; de huur van de zaal betalen we niet." in mail
    assert "Afspraken:\nHang de poster van de gemeente op." in mail
    assert "De volgende stap:\nStuur ons via een bericht in Mijn initiatieven het rekeningnummer" in mail


def test_wijkwens_decision_in_english_on_the_page_and_in_the_mail(app: Flask, client: FlaskClient,
                                                                  engine: Engine) -> None:
    case = _granted_wijkwens(engine, "en")
    log_in(client, engine, ALICE)
    page = _page(client, case, "en")
    decision = _section(page, "besluit-titel")
    assert "The decision" in decision and "Granted: €600" in decision
    assert "You asked for €750. €600 has been granted." in decision
    assert "Next step" in decision and "We transfer the amount within 4 weeks." in decision
    next_step = page.find(id="besluit-volgende-stap")
    assert next_step is not None and next_step.get("lang") is None, "the English next step is not marked Dutch"
    reason = page.find(id="besluit-reden")
    assert reason is not None and reason.get("lang") == "nl", "what staff wrote is marked as Dutch"

    mail = _decision_mail(app)
    assert mail.startswith("Dear Sam Smit,")
    assert "Amount granted: €600 (you asked for €750)." in mail
    assert "Next step:\nSend us the bank account number" in mail
    assert "Beste" not in mail


def test_the_survey_is_separate_and_never_hides_the_decision(client: FlaskClient, engine: Engine) -> None:
    case = _granted_wijkwens(engine, "nl")
    log_in(client, engine, ALICE)
    page = _page(client, case)
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert headings[0] == "Het besluit", "the headline stays the decision"
    assert "Hoe staat het ervoor?" not in headings and "Actie nodig" not in headings
    survey = _section(page, "enquete-titel")
    assert "Wilt u ons vertellen hoe het ging?" in survey and "niet verplicht" in survey
    assert headings.index("Wilt u ons vertellen hoe het ging?") > headings.index("Het besluit")
    assert "Vul de korte enquête in" not in page.get_text(), "the survey is no status"

    form = page.find(id="enquete-titel").find_parent("section").find("form")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(form["action"], data={"csrf_token": token, "tevredenheid_score": "5"})
    assert response.status_code == 302
    after = _page(client, case)
    assert after.find(id="enquete-titel") is None
    assert "Toegekend: € 600" in _section(after, "besluit-titel")


def test_a_rejected_wijkwens_says_why(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine, naam="Sam Smit")
    engine.run_due_jobs()
    _complete(engine, case, "categorie_bevestigen", ACCEPT)
    _complete(engine, case, "regiegroep_beoordelen", {
        "aanvulling_nodig": False, "besluit": "afgewezen",
        "reden_afwijzing": "Het budget van de wijk is op voor dit jaar."})
    log_in(client, engine, ALICE)
    decision = _section(_page(client, case), "besluit-titel")
    assert "Afgewezen" in decision and "Waarom Het budget van de wijk is op voor dit jaar." in decision
    assert "volgend jaar opnieuw" in decision
    mail = _decision_mail(app)
    assert "Waarom:\nHet budget van de wijk is op voor dit jaar." in mail


def _funded_complex(engine: Engine, lang: str) -> InstanceInfo:
    data = complex_data(email=ALICE, naam="Sam Smit", taal=lang, gevraagd_bedrag=8000)
    case = submit_initiative(loket_for(engine), data, channel="online", actor=ALICE)
    engine.run_due_jobs()
    _complete(engine, case, "categorie_bevestigen", ACCEPT)
    _complete(engine, case, "uitnodigen", INVITATION)
    engine.deliver_message(case.id, "uitnodiging_beantwoord", {"uitnodiging_antwoord": "akkoord"}, actor=ALICE)
    engine.run_due_jobs()
    _complete(engine, case, "intakegesprek", {"aanvulling_nodig": False, "gesprek_datum": "2025-03-10",
                                              "verslag": "Goed gesprek.", "benodigde_expertise": "geen_voorkeur"})
    _complete(engine, case, "begeleider_koppelen", {"begeleider_akkoord": True})
    for key in ("regels", "financien", "participatie"):
        _complete(engine, case, f"toets_{key}", {f"{key}_oordeel": "positief", f"{key}_toelichting": "In orde."})
    _complete(engine, case, "toets_locatie", {"locatie_oordeel": "positief_met_voorwaarden",
                                              "locatie_voorwaarden": "Het hek is maximaal 1,20 m hoog.",
                                              "locatie_toelichting": "Past in het park."})
    _complete(engine, case, "advies_besluit", {
        "aanvulling_nodig": False, "advies": "Een sterk plan met veel steun in de buurt.", "besluit": "toegekend",
        "afspraken": "De gemeente levert de bomen; u zorgt voor het onderhoud.", "fonds_aanvragen": True})
    _complete(engine, case, "fonds_beoordelen", {
        "aanvulling_nodig": False, "fonds_besluit": "toegekend", "fonds_bedrag": 6000,
        "fonds_toelichting": "Het fonds betaalt de aanleg, niet het onderhoud."})
    return case


def test_fund_decision_with_conditions_in_dutch(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = _funded_complex(engine, "nl")
    log_in(client, engine, ALICE)
    decision = _section(_page(client, case), "besluit-titel")
    assert "Toegekend: € 6.000" in decision and "U vroeg € 8.000. Toegekend is € 6.000." in decision
    assert "Het fonds betaalt de aanleg, niet het onderhoud." in decision
    assert "Advies Een sterk plan met veel steun in de buurt." in decision
    assert "Voorwaarden Locatie: Het hek is maximaal 1,20 m hoog." in decision
    assert "De gemeente levert de bomen; u zorgt voor het onderhoud." in decision
    assert "Binnen 3 maanden na afloop legt u verantwoording af" in decision
    assert "Uw vaste contactpersoon is" in decision, "whom to contact"

    mail = _decision_mail(app)
    assert mail.startswith("Beste Sam Smit,")
    assert "Toegekend bedrag: € 6.000 (u vroeg € 8.000)." in mail
    assert "Voorwaarden:\n- Locatie: Het hek is maximaal 1,20 m hoog." in mail
    assert "Advies:\nEen sterk plan met veel steun in de buurt." in mail
    assert "Binnen 3 maanden na afloop legt u verantwoording af" in mail


def test_fund_decision_with_conditions_in_english(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = _funded_complex(engine, "en")
    log_in(client, engine, ALICE)
    decision = _section(_page(client, case, "en"), "besluit-titel")
    assert "Granted: €6,000" in decision and "You asked for €8,000." in decision
    assert "Conditions Locatie: Het hek is maximaal 1,20 m hoog." in decision
    assert "Within 3 months after the end you account for it" in decision

    mail = _decision_mail(app)
    assert mail.startswith("Dear Sam Smit,")
    assert "Amount granted: €6,000 (you asked for €8,000)." in mail
    assert "Conditions:\n- Locatie: Het hek is maximaal 1,20 m hoog." in mail
    assert "Within 3 months after the end you account for it" in mail
