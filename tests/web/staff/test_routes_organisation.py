"""The beheer pages through HTTP: the overview, and a page each for districts, teams, guides, a new
year's budgets and fund; a form with problems comes back on its own page with the message at the
field; CSRF; the changes in the audit on the Wijzigingen page."""

from __future__ import annotations

from decimal import Decimal

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from processes.tables.organisation import District, DistrictBudget, Fund, Guide, Team
from tests.web.staff.support import BEHEER, INTAKE, OOST, login_as, wijkwens_case
from tests.web_support import check_page, csrf_token

NEXT_YEAR = clock.now().year + 1


SUBJECT_PAGES = {"wijken": "Wijken", "teams": "Teams", "begeleiders": "Begeleiders",
                 "budgetten": "Budgetten wijkwensen", "fonds": "Initiatievenfonds", "wijzigingen": "Wijzigingen",
                 "inzage-kcc": "Inzagelog KCC"}
HISTORY = "/medewerker/beheer/wijzigingen"


def admin_page(client: FlaskClient, path: str = "/medewerker/beheer") -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    check_page(response.text)
    return response.text


def subject_of(url: str) -> str:
    """The beheer page a form's address belongs to: /medewerker/beheer/wijken/oost → /medewerker/beheer/wijken."""
    return "/".join(url.split("/")[:4])


def post(client: FlaskClient, url: str, data: dict[str, str | list[str]]) -> tuple[int, str]:
    """Post a form from its beheer page; a redirect (back to that page) is followed to the page with the message."""
    page = subject_of(url)
    response = client.post(url, data={"csrf_token": csrf_token(admin_page(client, page)), **data})
    if response.status_code == 302:
        assert response.headers["Location"] == page
        return 302, admin_page(client, page)
    check_page(response.text)
    return response.status_code, response.text


def field(html: str, html_id: str) -> dict[str, str]:
    found = BeautifulSoup(html, "html.parser").find(id=html_id)
    assert found is not None, html_id
    return {key: " ".join(value) if isinstance(value, list) else value for key, value in found.attrs.items()}


def guide_id_of(engine: Engine, email: str) -> int:
    with engine.db.transaction() as session:
        found = session.scalar(select(Guide.id).where(Guide.email == email))
        assert found is not None
        return found


def test_renaming_a_district_shows_everywhere(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = wijkwens_case(engine, "oost")
    login_as(client, app, BEHEER)
    status, text = post(client, "/medewerker/beheer/wijken/oost", {"naam": "Oosterpark"})
    assert status == 302 and "De naam van de wijk is opgeslagen: Oosterpark." in text
    assert field(text, "wijk-oost-naam")["value"] == "Oosterpark"
    history = admin_page(client, HISTORY)
    assert "Wijk gewijzigd: Oosterpark" in history and "Naam: Oost → Oosterpark" in history
    login_as(client, app, OOST)
    assert "<td>Oosterpark</td>" in client.get("/medewerker/werkvoorraad").text
    login_as(client, app, INTAKE)
    assert "Oosterpark" in client.get(f"/medewerker/dossier/{case.info.case_ref}").text


def test_a_wrong_district_name_comes_back_at_the_field(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    status, text = post(client, "/medewerker/beheer/wijken/oost", {"naam": "West"})
    assert status == 400
    assert "Er is al een wijk met deze naam. Kies een andere naam." in text
    attrs = field(text, "wijk-oost-naam")
    assert attrs["aria-invalid"] == "true" and attrs["value"] == "West" and "wijk-oost-naam-error" in \
        attrs["aria-describedby"]
    summary = BeautifulSoup(text, "html.parser").find(id="foutmeldingen")
    assert summary is not None and summary.find("a", href="#wijk-oost-naam") is not None
    assert BeautifulSoup(text, "html.parser").title.get_text().startswith("Fout:")  # type: ignore[union-attr]
    with engine.db.transaction() as session:
        district = session.get(District, "oost")
        assert district is not None and district.name == "Oost"


def test_a_team_and_its_team_lead(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    status, text = post(client, "/medewerker/beheer/teams/team-groen",
                        {"naam": "Team Groen", "teamleider": "nieuwe.leider@gemeente.example"})
    assert status == 302 and "De gegevens van Team Groen zijn opgeslagen." in text
    assert "nieuwe.leider@gemeente.example" in text  # in the list of teams
    assert field(admin_page(client, "/medewerker/beheer/teams/team-groen"), "team-team-groen-teamleider")["value"] \
        == "nieuwe.leider@gemeente.example"
    status, text = post(client, "/medewerker/beheer/teams/team-groen", {"naam": "Team Groen", "teamleider": "x@y"})
    assert status == 400 and "Vul een goed e-mailadres in" in text
    with engine.db.transaction() as session:
        team = session.get(Team, "team-groen")
        assert team is not None and team.lead_email == "nieuwe.leider@gemeente.example"
    assert client.post("/medewerker/beheer/teams/onbekend", data={"csrf_token": csrf_token(text),
                                                                  "naam": "X"}).status_code == 404


def test_adding_a_guide(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    status, text = post(client, "/medewerker/beheer/begeleiders/nieuw",
                        {"naam": "Yara Bos", "email": "pieter.jansen@gemeente.example", "wijk": "oost",
                         "kennis": ["sport", "groen"], "actief": "on"})
    assert status == 400 and "Er is al een begeleider met dit e-mailadres." in text
    assert field(text, "nieuwe-begeleider-naam")["value"] == "Yara Bos"  # what was typed stays
    assert "checked" in field(text, "nieuwe-begeleider-kennis-0") or "checked" in field(
        text, "nieuwe-begeleider-kennis-3")
    status, text = post(client, "/medewerker/beheer/begeleiders/nieuw",
                        {"naam": "Yara Bos", "email": "yara.bos@gemeente.example", "wijk": "oost",
                         "kennis": ["sport", "groen"], "actief": "on"})
    assert status == 302 and "Yara Bos is toegevoegd als begeleider." in text
    guide_id = guide_id_of(engine, "yara.bos@gemeente.example")
    guide_page = admin_page(client, f"/medewerker/beheer/begeleiders/{guide_id}")
    assert field(guide_page, f"begeleider-{guide_id}-naam")["value"] == "Yara Bos"
    assert "Begeleider toegevoegd: Yara Bos (yara.bos@gemeente.example)" in admin_page(client, HISTORY)
    with engine.db.transaction() as session:
        guide = session.scalar(select(Guide).where(Guide.email == "yara.bos@gemeente.example"))
        assert guide is not None and (guide.district_code, guide.expertise, guide.active) == ("oost", "groen,sport",
                                                                                              True)


def test_budgets_and_fund_for_a_new_year(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    status, text = post(client, "/medewerker/beheer/budgetten/nieuw",
                        {"jaar": str(NEXT_YEAR), "bedrag-oost": "30.000", "bedrag-west": "veel", "bedrag-centrum": ""})
    assert status == 400
    assert field(text, "nieuwe-budgetten-bedrag-west")["aria-invalid"] == "true"
    assert field(text, "nieuwe-budgetten-bedrag-centrum")["aria-invalid"] == "true"
    assert "aria-invalid" not in field(text, "nieuwe-budgetten-bedrag-oost")
    status, text = post(client, "/medewerker/beheer/budgetten/nieuw",
                        {"jaar": str(NEXT_YEAR), "bedrag-oost": "30.000", "bedrag-west": "27.500,50",
                         "bedrag-centrum": "20000"})
    assert status == 302 and f"De budgetten voor {NEXT_YEAR} zijn toegevoegd." in text
    assert f"Wijkwensen West {NEXT_YEAR}" in text
    status, text = post(client, "/medewerker/beheer/fonds/nieuw", {"jaar": str(NEXT_YEAR), "totaal": "130.000"})
    assert status == 302 and f"Het Initiatievenfonds voor {NEXT_YEAR} is toegevoegd." in text
    with engine.db.transaction() as session:
        fund = session.scalar(select(Fund).where(Fund.year == NEXT_YEAR))
        west = session.scalar(select(DistrictBudget).where(DistrictBudget.year == NEXT_YEAR,
                                                           DistrictBudget.district_code == "west"))
        assert fund is not None and fund.total == Decimal("130000") and west is not None
        fund_id = fund.id
    assert field(text, f"fonds-{fund_id}-totaal")["value"] == "130.000"
    status, text = post(client, f"/medewerker/beheer/fonds/{fund_id}", {"totaal": "125.000,50"})
    assert status == 302 and "Het fonds is opgeslagen." in text
    status, text = post(client, "/medewerker/beheer/fonds/nieuw", {"jaar": str(NEXT_YEAR), "totaal": "1"})
    assert status == 400 and "Voor dit jaar is er al een fonds." in text


def test_organisation_forms_need_the_csrf_token(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    assert client.post("/medewerker/beheer/wijken/oost", data={"naam": "Oosterpark"}).status_code == 400
    assert client.post("/medewerker/beheer/fonds/nieuw", data={"jaar": str(NEXT_YEAR), "totaal": "1"}).status_code \
        == 400
    with engine.db.transaction() as session:
        district = session.get(District, "oost")
        assert district is not None and district.name == "Oost"
        assert session.scalar(select(Fund).where(Fund.year == NEXT_YEAR)) is None


def test_the_beheer_pages_in_english(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    client.get("/taal/en")
    assert "Budgets for a new year" in admin_page(client, "/medewerker/beheer/budgetten")
    assert "Add guide" in admin_page(client, "/medewerker/beheer/begeleiders")
    overview = admin_page(client, "/medewerker/beheer")
    assert "Districts" in overview and "Initiatives fund" in overview
