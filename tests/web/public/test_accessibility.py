"""Structure every portal page needs for WCAG 2.1 AA that a parser can check (axe-core in
tests/e2e checks the rendered pages): heading levels that never skip, a label for every field,
every error linked to its field, one main landmark, and the language of the page."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from engine.service import Engine
from tests.web.public.support import ALICE, ask_for_more, fill_intake, log_in, post_form, start_case
from tests.web_support import check_page


def _check_structure(html: str) -> BeautifulSoup:
    soup = check_page(html)
    assert len(soup.find_all("main")) == 1
    levels = [int(h.name[1]) for h in soup.find("main").find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level skips from h{before} to h{after}"
    for link in soup.select("#foutmeldingen a"):
        assert soup.find(id=link["href"].split("#", 1)[1]) is not None, link
    for field in soup.find_all(["input", "textarea", "select"], attrs={"aria-describedby": True}):
        for described in field["aria-describedby"].split():
            assert soup.find(id=described) is not None, described
    return soup


def test_public_pages_are_well_structured_in_both_languages(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    ask_for_more(engine, case)
    for lang in ("nl", "en"):
        client.get(f"/taal/{lang}")
        pages = ["/", "/indeling", "/aanmelden/stap/wie", "/aanmelden/stap/wat", "/aanmelden/stap/waar",
                 "/aanmelden/stap/afronden", "/inloggen", "/inloggen/verlopen"]
        for url in pages:
            soup = _check_structure(client.get(url).text)
            assert soup.html.get("lang") == lang
        _check_structure(post_form(client, "/aanmelden/stap/wat", {"startdatum": "31-02-2026"}).text)
        fill_intake(client)
        _check_structure(client.get("/aanmelden/controleren").text)
        _check_structure(client.get("/aanmelden/opslaan").text)
    log_in(client, engine, ALICE)
    for url in ("/mijn-initiatieven", f"/mijn-initiatieven/{case.case_ref}"):
        _check_structure(client.get(url).text)
