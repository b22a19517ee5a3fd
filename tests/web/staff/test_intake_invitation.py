"""The invitation for the intake meeting, round trip through the web: the intake team proposes a
moment and a place on its task page, the initiator gets it by mail and answers in Mijn
initiatieven (another moment, then yes), and the team's task shows the answer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from tests.processes.factories import Case, complex_data
from tests.web.public.support import ALICE, body, log_in, mails
from tests.web.staff.support import ACCEPT, INTAKE, login_as
from tests.web_support import check_page, csrf_token

PROPOSAL = {"uitnodiging_datum": "2026-12-10", "uitnodiging_tijd": "19:30",
            "uitnodiging_plek": "Buurthuis De Horizon, Laan 12"}


def _propose(staff: FlaskClient, case: Case, moment: dict[str, str]) -> str:
    task_id = case.task("uitnodigen").task_id
    page = staff.get(f"/medewerker/taken/{task_id}")
    assert page.status_code == 200
    response = staff.post(f"/medewerker/taken/{task_id}", data={"csrf_token": csrf_token(page.text),
                                                                "actie": "afronden", **moment})
    assert response.status_code == 302, response.text[:2000]
    case.run_jobs()
    return page.text


def _answer(initiator: FlaskClient, case: Case, data: dict[str, str]) -> int:
    url = f"/mijn-initiatieven/{case.info.case_ref}"
    page = initiator.get(url)
    response = initiator.post(f"{url}/actie/message/uitnodiging_beantwoord",
                              data={"csrf_token": csrf_token(page.text), **data})
    case.run_jobs()
    return int(response.status_code)


def test_the_initiator_asks_for_another_moment_then_accepts(app: Flask, engine: Engine, client: FlaskClient) -> None:
    case = Case.start(engine, complex_data(email=ALICE, naam="Alice de Boer", taal="en"))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    staff, initiator = client, app.test_client()
    login_as(staff, app, INTAKE)
    _propose(staff, case, PROPOSAL)

    invitation = [mail for mail in mails(app) if "introductory meeting" in str(mail["Subject"])]
    assert len(invitation) == 1 and invitation[0]["To"] == ALICE
    text = body(invitation[0])
    assert "Dear Alice de Boer," in text and "When: 10 December 2026 at 19:30" in text
    assert "Where: Buurthuis De Horizon, Laan 12" in text

    log_in(initiator, engine, ALICE)
    initiator.get("/taal/en")
    page = check_page(initiator.get(f"/mijn-initiatieven/{case.info.case_ref}").text)
    told = page.select_one(".loket-told")
    assert told is not None
    assert " ".join(told.get_text().split()) == (
        "Our proposal for the introductory meeting: 10 December 2026 at 19:30. Where: Buurthuis De Horizon, Laan 12")
    assert "Does this moment suit you?" in page.get_text()
    # "another moment" needs the moments that do suit
    assert _answer(initiator, case, {"uitnodiging_antwoord": "ander_moment"}) == 400
    assert _answer(initiator, case, {"uitnodiging_antwoord": "ander_moment",
                                     "uitnodiging_voorkeur": "Liever na 20:00 uur."}) == 302

    assert case.task_names() == ["uitnodigen"]  # back with the intake team
    task_page = check_page(staff.get(f"/medewerker/taken/{case.task('uitnodigen').task_id}").text)
    answer = task_page.find(id="antwoord-uitnodiging")
    assert answer is not None
    assert answer.get_text(" ", strip=True) == "Nee, ik wil graag een ander moment Liever na 20:00 uur."

    _propose(staff, case, {**PROPOSAL, "uitnodiging_tijd": "20:15"})
    assert _answer(initiator, case, {"uitnodiging_antwoord": "akkoord"}) == 302
    assert case.task_names() == ["intakegesprek"]
    shown = check_page(initiator.get(f"/mijn-initiatieven/{case.info.case_ref}").text)
    assert shown.select_one(".loket-told") is None and "Action needed" not in shown.get_text()
    assert "You have an appointment for the introductory meeting" in shown.get_text()


def test_no_answer_brings_a_reminder_and_then_the_task_back(app: Flask, engine: Engine, client: FlaskClient) -> None:
    case = Case.start(engine, complex_data(email=ALICE))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    login_as(client, app, INTAKE)
    _propose(client, case, PROPOSAL)
    case.advance(working_days=3, hours=1)
    assert "uitnodiging_herinnering" in case.templates()
    assert case.task_names() == []
    case.advance(working_days=7, hours=1)  # seven more after the reminder
    assert case.task_names() == ["uitnodigen"]
    login_as(client, app, INTAKE)  # a new working day, a new login
    page = check_page(client.get(f"/medewerker/taken/{case.task('uitnodigen').task_id}").text)
    answer = page.find(id="antwoord-uitnodiging")
    assert answer is not None and answer.get_text(strip=True) == "Geen antwoord gekregen"
