"""KCC, register on behalf, incidents and administration through HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from engine.job_rows import new_job
from engine.service import Engine
from engine.tables import AuditEvent, Job
from processes.errors import InvalidInput
from processes.organisation import parse_amount
from processes.tables.organisation import DistrictBudget, Guide
from processes.tables.staff import ContactMoment, KccAccess
from tests.processes.factories import intake_data
from tests.web.staff.support import BEHEER, INTAKE, KCC, PROCES, green_case, login_as, register_form, start
from tests.web_support import check_page, csrf_token


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:1500]
    check_page(response.text)
    return response.text


def test_kcc_finds_a_case_views_it_and_logs_a_call(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = green_case(engine, naam="Anna de Boer", postcode="3311 AB")
    login_as(client, app, KCC)
    assert "Zoek op nummer, naam" in page(client, "/medewerker/kcc")
    text = page(client, "/medewerker/kcc?q=3311ab")
    assert case.info.case_ref in text and "Anna de Boer" in text and "1 initiatief gevonden" in text
    assert "Typ minstens 2 tekens" in page(client, "/medewerker/kcc?q=a")
    text = page(client, f"/medewerker/kcc/{case.info.case_ref}")
    assert "Team Groen bekijkt uw initiatief." in text and "Beoordelen door team Groen" in text
    response = client.post(f"/medewerker/kcc/{case.info.case_ref}/contact",
                           data={"csrf_token": csrf_token(text), "kanaal": "telefoon",
                                 "samenvatting": "Mevrouw vroeg wanneer team Groen komt kijken."})
    assert response.headers["Location"] == f"/medewerker/kcc/{case.info.case_ref}#contact"
    text = page(client, f"/medewerker/kcc/{case.info.case_ref}")
    assert "Mevrouw vroeg wanneer team Groen komt kijken." in text and "De behandelaar ziet het" in text
    with engine.db.transaction() as session:
        log = [(row.action, row.query) for row in session.scalars(select(KccAccess).order_by(KccAccess.id))]
        moments = session.scalars(select(ContactMoment)).all()
    assert log == [("search", "3311ab"), ("view", None), ("view", None)]
    assert [(m.channel, m.created_by) for m in moments] == [("telefoon", KCC)]
    # The handler sees the call in the case file.
    login_as(client, app, INTAKE)
    assert "Mevrouw vroeg wanneer team Groen komt kijken." in page(client, f"/medewerker/dossier/{case.info.case_ref}")


def test_kcc_pages_in_english(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    login_as(client, app, KCC)
    client.get("/taal/en")
    text = page(client, f"/medewerker/kcc/{case.info.case_ref}")
    assert "Read only. Your access has been logged." in text
    assert "The initiatives team is deciding which approach suits your initiative." in text


@pytest.mark.parametrize("email", [KCC, INTAKE])
def test_register_on_behalf_through_the_form(app: Flask, client: FlaskClient, engine: Engine, email: str) -> None:
    login_as(client, app, email)
    form_page = page(client, "/medewerker/aanmelden")
    assert 'name="kanaal"' in form_page and 'type="file" multiple id="veld-bijlagen" name="bijlagen"' in form_page
    assert 'enctype="multipart/form-data"' in form_page
    response = client.post("/medewerker/aanmelden", data={"csrf_token": csrf_token(form_page), **register_form()})
    assert response.status_code == 302
    case_ref = response.headers["Location"].split("/")[-2]
    done = page(client, response.headers["Location"])
    assert case_ref in done and "Bankje bij de vijver" in done
    with engine.db.transaction() as session:
        started = session.scalar(select(AuditEvent).where(AuditEvent.kind == "started"))
        assert started is not None and started.actor == email
        mails = session.scalars(select(Job).where(Job.kind == "mail")).all()
    info = engine.instance(started.instance_id)
    assert info.case_ref == case_ref and info.data["kanaal"] == "balie" and info.data["naam"] == "Henk de Bakker"
    assert "henk@example.nl" in {mail.payload["to"] for mail in mails}


def test_register_without_channel_or_with_errors_shows_them(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, KCC)
    form_page = page(client, "/medewerker/aanmelden")
    response = client.post("/medewerker/aanmelden", data={"csrf_token": csrf_token(form_page),
                                                           **register_form(kanaal="online", email="")})
    assert response.status_code == 400
    soup = check_page(response.text)
    assert soup.find(id="foutmeldingen") is not None
    assert "Kies hoe de initiatiefnemer contact opnam." in response.text
    assert 'value="Henk de Bakker"' in response.text
    with engine.db.transaction() as session:
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.kind == "started")) is None


def test_incidents_are_listed_and_retried(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    job = new_job("service", case.id, task_id="x", payload={"task": "Budget reserveren"})
    job.update(state="failed", attempts=3, last_error="HandlerFailed: geen budget")
    with engine.db.transaction() as session:
        session.execute(insert(Job), [job])
        job_id = session.scalar(select(Job.id).where(Job.state == "failed"))
    login_as(client, app, PROCES)
    text = page(client, "/medewerker/storingen")
    assert "HandlerFailed: geen budget" in text and case.info.case_ref in text and "Budget reserveren" in text
    response = client.post(f"/medewerker/storingen/{job_id}/opnieuw", data={"csrf_token": csrf_token(text)})
    assert response.status_code == 302
    assert engine.incidents() == []
    assert "Er zijn geen storingen." in page(client, "/medewerker/storingen")
    assert client.post("/medewerker/storingen/99999/opnieuw", data={"csrf_token": csrf_token(text)}).status_code == 404


def test_administration_of_guides_and_budgets(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    text = page(client, "/medewerker/beheer/begeleiders")
    assert "Anouk de Vries" in text and "Inzagelog KCC" in text
    assert "Ilse de Wit" in page(client, "/medewerker/beheer/gebruikers")
    with engine.db.transaction() as session:
        guide = session.scalar(select(Guide).where(Guide.name == "Anouk de Vries"))
        budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == "oost"))
        assert guide is not None and budget is not None
        guide_id, budget_id = guide.id, budget.id
    token = csrf_token(text)
    response = client.post(f"/medewerker/beheer/begeleiders/{guide_id}",
                           data={"csrf_token": token, "kennis": ["groen", "sport"], "wijk": "west"})
    assert response.status_code == 302
    client.post(f"/medewerker/beheer/budgetten/{budget_id}", data={"csrf_token": token, "bedrag": "30.000,50"})
    with engine.db.transaction() as session:
        guide = session.get(Guide, guide_id)
        budget = session.get(DistrictBudget, budget_id)
        assert guide is not None and budget is not None
        assert (guide.expertise, guide.district_code, guide.active) == ("groen,sport", "west", False)
        assert budget.amount == Decimal("30000.50")
        budget.reserved = Decimal("1000")
    response = client.post(f"/medewerker/beheer/budgetten/{budget_id}", data={"csrf_token": token, "bedrag": "500"})
    assert response.status_code == 400 and "niet lager zijn dan wat al is gereserveerd" in response.text
    check_page(response.text)
    response = client.post(f"/medewerker/beheer/begeleiders/{guide_id}",
                           data={"csrf_token": token, "kennis": ["toveren"]})
    assert response.status_code == 400 and "Kies kennisgebieden uit de lijst." in response.text


@pytest.mark.parametrize(("text", "amount"), [("25.000", "25000"), ("25000", "25000"), ("25.000,50", "25000.50"),
                                              ("€ 1.250,-".replace(",-", ""), "1250"), ("99.5", "99.50")])
def test_amounts_are_read_the_dutch_way(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "veel", "-5", "1,2,3"])
def test_wrong_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_amount(text)


def test_register_a_second_case_keeps_the_first(app: Flask, client: FlaskClient, engine: Engine) -> None:
    start(engine, intake_data())
    login_as(client, app, INTAKE)
    form_page = page(client, "/medewerker/aanmelden")
    response = client.post("/medewerker/aanmelden", data={"csrf_token": csrf_token(form_page),
                                                           **register_form(kanaal="telefoon")})
    assert response.status_code == 302
    with engine.db.transaction() as session:
        assert len(session.scalars(select(AuditEvent).where(AuditEvent.kind == "started")).all()) == 2
