"""The beheer overview and its pages (issue 16): the overview lists every page with a line and a
figure; each page has one h1, a way back, the sub-navigation with the current page marked, and
only its own forms (a team or guide has a page of its own, reached from the list); a form with
problems comes back on its own page; only a beheerder opens them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes.tables.organisation import Guide
from tests.web.staff.support import BEHEER, FONDS, INTAKE, KCC, PRIVACY, PROCES, login_as
from tests.web_support import check_page, csrf_token

BEHEER_URL = "/medewerker/beheer"
PAGES = {
    "wijken": ("Wijken", ["wijk-oost-", "nieuwe-wijk-"], ("wijk-", "nieuwe-wijk-")),
    "teams": ("Teams", ["nieuw-team-"], ("nieuw-team-",)),
    "begeleiders": ("Begeleiders", ["nieuwe-begeleider-"], ("nieuwe-begeleider-",)),
    "budgetten": ("Budgetten wijkwensen", ["budget-", "nieuwe-budgetten-"], ("budget-", "nieuwe-budgetten-")),
    "fonds": ("Initiatievenfonds", ["fonds-", "nieuw-fonds-"], ("fonds-", "nieuw-fonds-")),
    "wijzigingen": ("Wijzigingen", [], ()),
    "inzage-kcc": ("Inzagelog KCC", [], ()),
}
"""Each page: its heading, the forms (by the html id prefix of their fields) it must show, and the
only forms it may show."""


def field_ids(soup: BeautifulSoup) -> list[str]:
    main = soup.find("main")
    assert main is not None
    return [str(tag.get("id")) for tag in main.find_all(["input", "select", "textarea"]) if tag.get("id")]


def subnav(soup: BeautifulSoup) -> BeautifulSoup:
    nav = soup.find("nav", attrs={"aria-label": "Onderdelen van beheer"})
    assert nav is not None
    return nav


def test_the_overview_lists_every_beheer_page_with_a_line(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    response = client.get(BEHEER_URL)
    assert response.status_code == 200
    soup = check_page(response.text)
    assert soup.h1 is not None and soup.h1.get_text() == "Beheer"
    links = {a["href"]: a.get_text() for a in subnav(soup).find_all("a")}
    for slug, (heading, _forms, _own) in PAGES.items():
        assert links[f"{BEHEER_URL}/{slug}"] == heading
    assert links[f"{BEHEER_URL}/gebruikers"] == "Gebruikers" and links[f"{BEHEER_URL}/bewaartermijnen"]
    assert "3 wijken op het aanmeldformulier." in soup.get_text()
    main = soup.find("main")
    assert main is not None and not main.find("form"), "the overview has no forms of its own"


@pytest.mark.parametrize("slug", list(PAGES))
def test_each_beheer_page_has_its_own_forms_a_way_back_and_the_subnavigation(app: Flask, client: FlaskClient,
                                                                              slug: str) -> None:
    login_as(client, app, BEHEER)
    response = client.get(f"{BEHEER_URL}/{slug}")
    assert response.status_code == 200
    soup = check_page(response.text)
    heading, forms, own = PAGES[slug]
    assert soup.h1 is not None and soup.h1.get_text() == heading
    assert soup.title is not None and soup.title.get_text().startswith(f"{heading} - Beheer")
    assert soup.find("a", href=BEHEER_URL, string="Terug naar Beheer") is not None
    current = subnav(soup).find_all("a", attrs={"aria-current": "page"})
    assert [a["href"] for a in current] == [f"{BEHEER_URL}/{slug}"]
    ids = field_ids(soup)
    for prefix in forms:
        assert any(html_id.startswith(prefix) for html_id in ids), (slug, prefix)
    assert [html_id for html_id in ids if not html_id.startswith(own)] == [], slug


def test_the_users_and_retention_pages_share_the_subnavigation(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    for slug in ("gebruikers", "bewaartermijnen"):
        soup = check_page(client.get(f"{BEHEER_URL}/{slug}").text)
        assert [a["href"] for a in subnav(soup).find_all("a", attrs={"aria-current": "page"})] == \
            [f"{BEHEER_URL}/{slug}"]


def test_a_form_with_problems_comes_back_on_its_own_page(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    token = csrf_token(client.get(f"{BEHEER_URL}/teams").text)
    response = client.post(f"{BEHEER_URL}/teams/nieuw",
                           data={"csrf_token": token, "code": "Team Sport!", "naam": "Team Sport"})
    assert response.status_code == 400
    soup = check_page(response.text)
    assert soup.h1 is not None and soup.h1.get_text() == "Teams"
    assert soup.title is not None and soup.title.get_text().startswith("Fout: Teams")
    assert [a["href"] for a in subnav(soup).find_all("a", attrs={"aria-current": "page"})] == [f"{BEHEER_URL}/teams"]
    summary = soup.find(id="foutmeldingen")
    assert summary is not None and summary.find("a", href="#nieuw-team-code") is not None
    assert "Gebruik 2 tot 39 kleine letters" in summary.get_text()
    code, name = soup.find(id="nieuw-team-code"), soup.find(id="nieuw-team-naam")
    assert code is not None and code["value"] == "Team Sport!" and code["aria-invalid"] == "true"
    assert name is not None and name["value"] == "Team Sport"
    assert not soup.find(id="wijk-oost-naam"), "only the teams page comes back"


def test_a_team_and_a_guide_each_have_a_page_reached_from_the_list(app: Flask, client: FlaskClient,
                                                                  engine: Engine) -> None:
    with engine.db.transaction() as session:
        guide_id = session.scalar(select(Guide.id).where(Guide.name == "Anouk de Vries"))
    login_as(client, app, BEHEER)
    for slug, name, url, prefix in [("teams", "Team Groen", f"{BEHEER_URL}/teams/team-groen", "team-team-groen-"),
                                    ("begeleiders", "Anouk de Vries", f"{BEHEER_URL}/begeleiders/{guide_id}",
                                     f"begeleider-{guide_id}-")]:
        listing = check_page(client.get(f"{BEHEER_URL}/{slug}").text)
        assert listing.find("a", href=url, string=name) is not None
        response = client.get(url)
        assert response.status_code == 200
        soup = check_page(response.text)
        assert soup.h1 is not None and soup.h1.get_text() == name
        back = soup.find("a", string=f"Terug naar {PAGES[slug][0]}")
        assert back is not None and back["href"] == f"{BEHEER_URL}/{slug}"
        marked = subnav(soup).find_all("a", attrs={"aria-current": True})
        assert [(a["href"], a["aria-current"]) for a in marked] == [(f"{BEHEER_URL}/{slug}", "true")]
        ids = field_ids(soup)
        assert ids and all(html_id.startswith(prefix) for html_id in ids), ids
    assert client.get(f"{BEHEER_URL}/teams/onbekend").status_code == 404
    assert client.get(f"{BEHEER_URL}/begeleiders/99999").status_code == 404


def test_a_guide_with_problems_comes_back_on_its_own_page(app: Flask, client: FlaskClient, engine: Engine) -> None:
    with engine.db.transaction() as session:
        guide_id = session.scalar(select(Guide.id).where(Guide.name == "Anouk de Vries"))
    login_as(client, app, BEHEER)
    url = f"{BEHEER_URL}/begeleiders/{guide_id}"
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url).text), "naam": "",
                                      "wijk": "oost", "kennis": ["groen"], "actief": "on"})
    assert response.status_code == 400
    soup = check_page(response.text)
    assert soup.h1 is not None and soup.h1.get_text() == "Anouk de Vries"
    summary = soup.find(id="foutmeldingen")
    assert summary is not None and summary.find("a", href=f"#begeleider-{guide_id}-naam") is not None
    assert "Vul de naam in." in summary.get_text()
    district = soup.find(id=f"begeleider-{guide_id}-wijk")
    assert district is not None and district.find("option", selected=True)["value"] == "oost"
    response = client.post(url, data={"csrf_token": csrf_token(response.text), "naam": "Anouk de Vries",
                                      "wijk": "oost", "kennis": ["groen"], "actief": "on"})
    assert response.status_code == 302 and response.headers["Location"] == f"{BEHEER_URL}/begeleiders"


@pytest.mark.parametrize("url", [BEHEER_URL, *(f"{BEHEER_URL}/{slug}" for slug in PAGES),
                                 f"{BEHEER_URL}/teams/team-groen", f"{BEHEER_URL}/begeleiders/1"])
def test_only_a_beheerder_opens_the_beheer_pages(app: Flask, url: str) -> None:
    anonymous = app.test_client()
    response = anonymous.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")
    for email in (INTAKE, KCC, FONDS, PROCES, PRIVACY):
        client = app.test_client()
        login_as(client, app, email)
        assert client.get(url).status_code == 403, (email, url)
