"""The regiegroep and the fund manager see the money their decision spends, in words (no variable
names), live; the intake team chooses another guide from a list of the active guides."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from forms import format_number
from processes.tables.organisation import DistrictBudget, Fund, Guide
from tests.processes.factories import complex_data
from tests.web.staff.support import (
    ACCEPT,
    FONDS,
    INTAKE,
    INTAKEGESPREK,
    OOST,
    OTHER_GUIDE,
    fund_case,
    login_as,
    start,
    wijkwens_case,
)
from tests.web_support import check_page, csrf_token


def _budget(engine: Engine, district: str) -> DistrictBudget:
    with engine.db.transaction() as session:
        found = session.scalars(select(DistrictBudget).where(DistrictBudget.district_code == district)
                                .order_by(DistrictBudget.year.desc())).first()
        assert found is not None
        return found


def _euro(amount: Decimal) -> str:
    return "€ " + format_number(amount, "nl", money=True)


def test_the_regiegroep_sees_the_budget_left_after_the_reservation(app: Flask, client: FlaskClient,
                                                                   engine: Engine) -> None:
    case = wijkwens_case(engine, wijk="oost")
    login_as(client, app, OOST)
    url = f"/medewerker/taken/{case.task('regiegroep_beoordelen').task_id}"
    page = client.get(url).text
    assert "budget_toereikend" not in page and "budget_resterend" not in page and "budget_melding" not in page
    budget = _budget(engine, "oost")
    shown = check_page(page).find(id="budget")
    assert shown is not None
    text = shown.get_text(" ", strip=True)
    assert f"Nog over na de reservering voor deze wijkwens: {_euro(budget.remaining)}" in text
    assert "Voor deze wijkwens gereserveerd: € 750." in text
    # Another wijkwens reserves money: the page shows what is left now.
    wijkwens_case(engine, wijk="oost")
    later = _budget(engine, "oost")
    assert later.remaining == budget.remaining - Decimal("750")
    again = check_page(client.get(url).text).find(id="budget")
    assert again is not None and _euro(later.remaining) in again.get_text(" ", strip=True)


def test_the_fund_manager_sees_the_funds_balance(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = fund_case(engine)
    with engine.db.transaction() as session:
        fund = session.scalars(select(Fund).order_by(Fund.year.desc())).first()
        assert fund is not None
        remaining = fund.remaining
    login_as(client, app, FONDS)
    page = check_page(client.get(f"/medewerker/taken/{case.task('fonds_beoordelen').task_id}").text)
    shown = page.find(id="budget")
    assert shown is not None
    assert f"Nog te verdelen: {_euro(remaining)}" in shown.get_text(" ", strip=True)


def test_another_guide_is_chosen_from_a_list(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    case.invite()
    case.complete("intakegesprek", INTAKEGESPREK, actor=INTAKE)
    login_as(client, app, INTAKE)
    url = f"/medewerker/taken/{case.task('begeleider_koppelen').task_id}"
    page = client.get(url)
    select_field = check_page(page.text).find("select", attrs={"name": "begeleider_email"})
    assert select_field is not None
    with engine.db.transaction() as session:
        active = session.scalars(select(Guide).where(Guide.active.is_(True)).order_by(Guide.name)).all()
        expected = [guide.email for guide in active]
    assert [option["value"] for option in select_field.find_all("option") if option.get("value")] == expected
    refused = client.post(url, data={"csrf_token": csrf_token(page.text), "actie": "afronden",
                                     "begeleider_akkoord": "false", "begeleider_email": "iemand@example.nl"})
    assert refused.status_code == 400
    done = client.post(url, data={"csrf_token": csrf_token(page.text), "actie": "afronden",
                                  "begeleider_akkoord": "false", "begeleider_email": OTHER_GUIDE})
    assert done.status_code == 302
    assert case.data["begeleider"] == OTHER_GUIDE
