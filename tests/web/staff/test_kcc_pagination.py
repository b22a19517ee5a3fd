"""KCC search results in pages: the total, the same search on every page link, accessible markup."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes import kcc, paging
from processes.tables.staff import KccAccess
from tests.processes.factories import intake_data
from tests.web.staff.support import KCC, login_as, principal, start
from tests.web_support import check_page


@pytest.fixture
def seven(engine: Engine) -> list[str]:
    """Seven initiatives of the Voorstraat (newest first) and one elsewhere."""
    refs = [start(engine, intake_data(naam=f"Bewoner {n}", titel=f"Bloembak Voorstraat {n}")).info.case_ref
            for n in range(7)]
    start(engine, intake_data(naam="Iemand anders", titel="Speeltuin Wielwijk"))
    return list(reversed(refs))


def test_pages_split_the_hits_newest_first(engine: Engine, seven: list[str]) -> None:
    agent = principal(engine, KCC)
    with engine.db.transaction() as session:
        pages = [kcc.find(session, agent, "voorstraat", page=n, page_size=3) for n in (1, 2, 3)]
    assert [[hit.case_ref for hit in result.hits] for result in pages] == [seven[0:3], seven[3:6], seven[6:7]]
    assert {(result.total, result.pages) for result in pages} == {(7, 3)}
    assert [(result.first, result.last) for result in pages] == [(1, 3), (4, 6), (7, 7)]


def test_a_page_out_of_range_gives_the_nearest_page(engine: Engine, seven: list[str]) -> None:
    agent = principal(engine, KCC)
    with engine.db.transaction() as session:
        past = kcc.find(session, agent, "voorstraat", page=99, page_size=3)
        before = kcc.find(session, agent, "voorstraat", page=-4, page_size=3)
        nothing = kcc.find(session, agent, "niemand", page=5, page_size=3)
    assert (past.page, [hit.case_ref for hit in past.hits]) == (3, seven[6:7])
    assert before.page == 1
    assert (nothing.page, nothing.pages, nothing.total, nothing.first, nothing.last) == (1, 1, 0, 0, 0)


def test_every_page_is_logged_with_the_total(engine: Engine, seven: list[str]) -> None:
    agent = principal(engine, KCC)
    with engine.db.transaction() as session:
        kcc.find(session, agent, "voorstraat", page=1, page_size=3)
        kcc.find(session, agent, "voorstraat", page=2, page_size=3)
    with engine.db.transaction() as session:
        rows = session.execute(select(KccAccess.query, KccAccess.result_count).order_by(KccAccess.id)).all()
    assert [tuple(row) for row in rows] == [("voorstraat", 7), ("voorstraat", 7)]
    assert len(seven) == 7


@pytest.mark.parametrize(("page", "pages", "expected"), [
    (1, 1, [1]),
    (2, 3, [1, 2, 3]),
    (1, 20, [1, 2, 3, None, 20]),
    (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
    (20, 20, [1, None, 18, 19, 20]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),
])
def test_page_numbers_show_the_first_the_last_and_the_neighbours(page: int, pages: int,
                                                                 expected: list[int | None]) -> None:
    assert paging.page_numbers(page, pages) == expected


def test_the_search_page_links_to_the_other_pages(app: Flask, client: FlaskClient, seven: list[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kcc, "PAGE_SIZE", 3)
    login_as(client, app, KCC)
    response = client.get("/medewerker/kcc?q=Voorstraat&pagina=2")
    assert response.status_code == 200
    soup = check_page(response.text)
    assert "7 initiatieven gevonden" in response.text
    assert "Resultaat 4 tot en met 6 van 7 (pagina 2 van 3)" in response.text
    assert soup.title is not None and "pagina 2 van 3" in soup.title.get_text()
    shown = [link.get_text(strip=True) for link in soup.select("table a")]
    assert shown == seven[3:6]
    nav = soup.find("nav", attrs={"aria-label": "Pagina's met zoekresultaten"})
    assert nav is not None
    links = nav.find_all("a")
    assert [link.get_text(" ", strip=True) for link in links] == ["Vorige pagina", "Pagina 1", "Pagina 2", "Pagina 3",
                                                                  "Volgende pagina"]
    for link in links:
        assert parse_qs(urlsplit(link["href"]).query)["q"] == ["Voorstraat"]
    assert [parse_qs(urlsplit(link["href"]).query)["pagina"] for link in links] == [["1"], ["1"], ["2"], ["3"],
                                                                                     ["3"]]
    current = nav.find_all(attrs={"aria-current": "page"})
    assert [link.get_text(" ", strip=True) for link in current] == ["Pagina 2"]


def test_one_page_has_no_page_links_and_bad_page_numbers_are_harmless(app: Flask, client: FlaskClient,
                                                                      seven: list[str]) -> None:
    login_as(client, app, KCC)
    for url in ("/medewerker/kcc?q=Voorstraat", "/medewerker/kcc?q=Voorstraat&pagina=abc",
                "/medewerker/kcc?q=Voorstraat&pagina=99999999999"):
        response = client.get(url)
        assert response.status_code == 200
        soup = BeautifulSoup(response.text, "html.parser")
        assert soup.find("nav", attrs={"aria-label": "Pagina's met zoekresultaten"}) is None
        assert [link.get_text(strip=True) for link in soup.select("table a")] == seven


def test_the_page_links_in_english(app: Flask, client: FlaskClient, seven: list[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kcc, "PAGE_SIZE", 3)
    login_as(client, app, KCC)
    client.get("/taal/en")
    response = client.get("/medewerker/kcc?q=Voorstraat")
    soup = check_page(response.text)
    assert soup.find("nav", attrs={"aria-label": "Pages of search results"}) is not None
    assert "Results 1 to 3 of 7 (page 1 of 3)" in response.text and len(seven) == 7
