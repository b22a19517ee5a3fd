"""What staff read of a case's assessments and outcome: each assessment under its own title (side
by side on the advice task and in the case file), the decision and amount once it is decided,
and the contact centre's read-only card with the decision, the amount and the message thread."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes.messages import post_message
from processes.tables.staff import KccAccess
from tests.web.staff.support import GUIDE, INTAKE, KCC, OOST, TOETSEN, complex_case, login_as, wijkwens_case
from tests.web_support import check_page

TITLES = ("Toets regels en vergunningen", "Toets locatie", "Toets financiële haalbaarheid",
          "Toets participatie en buurt")


def test_the_advice_task_shows_each_assessment_under_its_title(app: Flask, client: FlaskClient,
                                                               engine: Engine) -> None:
    case = complex_case(engine)
    answers = dict(TOETSEN)
    answers["toets_locatie"] = {"locatie_oordeel": "positief_met_voorwaarden",
                                "locatie_voorwaarden": "Hek maximaal 1,20 m.", "locatie_toelichting": "Kan."}
    for name, values in answers.items():
        case.complete(name, values, actor=GUIDE)
    login_as(client, app, GUIDE)
    soup = check_page(client.get(f"/medewerker/taken/{case.task('advies_besluit').task_id}").text)
    cards = soup.select(".staff-case-panel .staff-assessments .staff-assessment")
    titles = [card.find(["h4"]).get_text(strip=True) for card in cards]
    assert sorted(titles) == sorted(TITLES)
    location = cards[titles.index("Toets locatie")].get_text(" ", strip=True)
    assert "Positief, met voorwaarden" in location and "Hek maximaal 1,20 m." in location
    assert "Negatief" not in location
    # The case file: the same cards, and its audit trail names the assessment with each judgement.
    file = check_page(client.get(f"/medewerker/dossier/{case.info.case_ref}").text)
    assert [h.get_text(strip=True) for h in file.select(".staff-assessment h4")] == titles
    trail = file.get_text(" ", strip=True)
    for title in TITLES:
        assert f"{title} – Uw oordeel" in trail
    further = file.find("h3", string="Verdere gegevens uit de behandeling")
    assert further is not None
    further_labels = [dt.get_text() for dt in further.find_next("dl").find_all("dt")]
    assert further_labels and not [label for label in further_labels if "oordeel" in label], \
        "the assessments are shown once, in their cards"


def test_after_the_decision_the_case_file_and_the_kcc_card_show_it(app: Flask, client: FlaskClient,
                                                                  engine: Engine) -> None:
    case = wijkwens_case(engine, wijk="oost")
    with engine.db.transaction() as session:
        post_message(session, case.id, author="Ilse de Wit", body="Hoeveel mensen verwacht u?", from_initiator=False)
        post_message(session, case.id, author="anna@example.nl", body="Zo'n vijftig.", from_initiator=True)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                            "toegekend_bedrag": 600}, actor=OOST)
    login_as(client, app, INTAKE)
    file = check_page(client.get(f"/medewerker/dossier/{case.info.case_ref}").text)
    decision = file.find(id="besluit")
    assert decision is not None and decision.get_text(" ", strip=True).startswith("Toegekend: € 600")
    login_as(client, app, KCC)
    card = check_page(client.get(f"/medewerker/kcc/{case.info.case_ref}").text)
    shown = card.find(id="besluit")
    assert shown is not None and shown.get_text(" ", strip=True).startswith("Toegekend: € 600")
    thread = card.select(".staff-thread li")
    assert [item.select("p")[1].get_text(strip=True) for item in thread] == ["Hoeveel mensen verwacht u?",
                                                                            "Zo'n vijftig."]
    assert not card.find("textarea", attrs={"name": "bericht"}), "the contact centre only reads the thread"
    with engine.db.transaction() as session:
        views = session.scalars(select(KccAccess).where(KccAccess.action == "view")).all()
    assert [(view.user_email, view.instance_id) for view in views] == [(KCC, case.id)]


def test_a_running_case_shows_no_decision_yet(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = wijkwens_case(engine, wijk="oost")
    login_as(client, app, KCC)
    card = check_page(client.get(f"/medewerker/kcc/{case.info.case_ref}").text)
    assert card.find(id="besluit") is None
    assert "Nog geen berichten." in card.get_text()
