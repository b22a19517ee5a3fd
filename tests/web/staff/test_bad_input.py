"""Bad input never gives a 500, and never reaches the database: ids too large for any column are a
404 (in the URL) or a field message (in a form), and "NaN" is no amount.

Every request here once gave a 500 (or only the app-wide 400 safety net of web/errors.py caught
it): the views must answer themselves, so the tests expect 404 or the page's own message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from forms import coerce
from processes.errors import InvalidInput
from processes.organisation import parse_amount
from processes.tables.organisation import DistrictBudget
from tests.forms.factories import create_field_form
from tests.web.staff.support import BEHEER, GUIDE, INTAKE, PROCES, assessed_case, login_as, start
from tests.web_support import csrf_token
from web.staff.common import MAX_ID, form_id

HUGE = "99999999999999999999999"
HUGER = "99999999999999999999999999"


def token(client: FlaskClient) -> str:
    return csrf_token(client.get("/medewerker/").text)


def follow(client: FlaskClient, response_location: str) -> str:
    return client.get(response_location).text


def test_handing_over_to_a_colleague_with_a_huge_id(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    login_as(client, app, INTAKE)
    response = client.post(f"/medewerker/taken/{task_id}/overdragen",
                           data={"csrf_token": token(client), "collega": "99999999999999999999999999"})
    assert response.status_code == 302
    assert "Kies een collega." in follow(client, response.headers["Location"])
    assert case.task("categorie_bevestigen").assignee is None


@pytest.mark.parametrize(("who", "url"), [
    (BEHEER, f"/medewerker/beheer/begeleiders/{HUGE}"),
    (BEHEER, f"/medewerker/beheer/budgetten/{HUGE}"),
    (PROCES, f"/medewerker/storingen/{HUGE}/opnieuw"),
    (BEHEER, f"/medewerker/beheer/gebruikers/{HUGE}"),
    (BEHEER, f"/medewerker/beheer/gebruikers/{HUGE}/actief"),
    (BEHEER, f"/medewerker/beheer/gebruikers/{HUGE}/wachtwoord"),
    (BEHEER, f"/medewerker/beheer/begeleiders/{MAX_ID + 1}"),
])
def test_a_huge_id_in_the_url_is_not_found(app: Flask, client: FlaskClient, who: str, url: str) -> None:
    login_as(client, app, who)
    response = client.post(url, data={"csrf_token": token(client), "bedrag": "10", "actief": "ja"})
    assert response.status_code == 404
    assert "Niet gevonden" in response.text


def test_a_huge_user_id_in_the_url_of_a_page_is_not_found(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    assert client.get(f"/medewerker/beheer/gebruikers/{HUGE}").status_code == 404


@pytest.mark.parametrize("amount", ["NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "1e999999999", "1E+30"])
def test_an_amount_that_is_no_number_gets_the_field_message(app: Flask, client: FlaskClient, engine: Engine,
                                                            amount: str) -> None:
    with engine.db.transaction() as session:
        budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == "oost"))
        assert budget is not None
        budget_id, before = budget.id, budget.amount
    login_as(client, app, BEHEER)
    response = client.post(f"/medewerker/beheer/budgetten/{budget_id}",
                           data={"csrf_token": token(client), "bedrag": amount})
    assert response.status_code == 400  # the beheer page again, with the message at the field
    field = BeautifulSoup(response.text, "html.parser").find(id=f"budget-{budget_id}-bedrag")
    assert field is not None and field.get("aria-invalid") == "true" and field.get("value") == amount
    assert "Vul een bedrag in euro in" in response.text and "Controleer uw antwoorden" in response.text
    with engine.db.transaction() as session:
        stored = session.get(DistrictBudget, budget_id)
        assert stored is not None and stored.amount == before


@pytest.mark.parametrize("text", ["NaN", "sNaN", "Infinity", "-inf", "1e999999999"])
def test_parse_amount_refuses_what_is_not_a_finite_number(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_amount(text)
    assert caught.value.code == "bad_amount"


@pytest.mark.parametrize("text", ["1.250,50", "1250.50", "1250,50", "1,250.50", "€ 1.250,50", "€1250,50"])
def test_every_amount_field_reads_an_amount_the_same_way(text: str) -> None:
    """The budget form and the start form's money fields share one reading: "1,250.50" is no
    longer €1.25 in one and €1,250.50 in the other."""
    assert parse_amount(text) == Decimal("1250.50")
    values, errors = coerce(create_field_form("bedrag", "money", {"type": "number"}), {"bedrag": text})
    assert (values, errors) == ({"bedrag": 1250.5}, [])


def test_scientific_notation_is_no_amount_anywhere() -> None:
    with pytest.raises(InvalidInput):
        parse_amount("1e3")


@pytest.mark.parametrize("value", [HUGE, "99999999999999999999999999", "2147483648", "0", "-1", "", " ", "abc",
                                   "1.5", "²", "٣", None])
def test_form_ids_out_of_range_are_none(value: str | None) -> None:
    assert form_id(value) is None


def test_form_ids_in_range() -> None:
    assert form_id("7") == 7
    assert form_id(" 42 ") == 42
    assert form_id(str(MAX_ID)) == MAX_ID


def test_reassigning_the_guide_with_a_huge_id(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = assessed_case(engine)
    login_as(client, app, INTAKE)
    url = f"/medewerker/dossier/{case.info.case_ref}/begeleider"
    response = client.post(url, data={"csrf_token": token(client), "begeleider": HUGER, "reden": "x"})
    assert response.status_code == 302
    assert "Kies een actieve begeleider." in follow(client, response.headers["Location"])
    assert {task.assignee for task in case.tasks()} == {GUIDE}
