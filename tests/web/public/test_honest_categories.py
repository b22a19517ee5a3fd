"""Categories that fit honest answers (issue 14): small initiatives sent through the public start
form, answered the way a resident honestly could, get the category the Dordrecht letter gives
them, and the explanation quotes the answers instead of stating a fact."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from engine.tables import ProcessInstance
from tests.web.public.support import ALICE, fill_intake, log_in, start_case
from tests.web_support import check_page, csrf_token

ACTIVITY = {"soort_initiatief": "activiteit", "reikwijdte": "buurt", "disciplines": ["evenementen"]}
GREEN = {"soort_initiatief": "groen", "reikwijdte": "straat", "disciplines": ["groen"]}


def send(client: FlaskClient, engine: Engine, title: str, wat: dict[str, Any], waar: dict[str, Any],
         amount: str) -> dict[str, Any]:
    """Walk the start form with these answers, send it, and return the new case's data."""
    fill_intake(client, wat={**wat, "titel": title}, waar={"wijk": "oost", **waar},
                afronden={"gevraagd_bedrag": amount, "publicatie_toestemming": "on"})
    page = client.get("/aanmelden/controleren")
    response = client.post("/aanmelden/versturen", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/aanmelden/ontvangen")
    with engine.db.reading() as session:
        case = session.scalars(select(ProcessInstance).where(ProcessInstance.title == title)).one()
        return dict(case.case_data or {})


@pytest.mark.parametrize(("title", "wat", "waar", "amount", "category", "rule", "quoted"), [
    ("Sinterklaas in het buurthuis", {**ACTIVITY, "disciplines": ["evenementen", "cultuur"]},
     {"ruimte_nodig": "on"}, "450", "wijkwens", "R6", "een activiteit voor uw straat, buurt of wijk"),
    ("Sinterklaas, gebouw aangevinkt", ACTIVITY, {"locatie_nodig": "on"}, "450", "wijkwens", "R10",
     "dat u een gebouw of stuk grond zoekt"),
    ("Burendag met afgesloten straat", {**ACTIVITY, "reikwijdte": "straat"},
     {"openbare_ruimte": "on", "vergunning_nodig": "on"}, "300", "wijkwens", "R9",
     "dat u denkt een vergunning nodig te hebben"),
    ("Feest voor de hele wijk", {**ACTIVITY, "reikwijdte": "wijk"}, {}, "800", "wijkwens", "R6",
     "2.500 euro of minder"),
    ("Geveltuinen voor twintig huizen", GREEN, {"openbare_ruimte": "on"}, "1.200", "eenvoudig", "R5",
     "minder dan 1.500 euro"),
    ("Boekenruilkastje", {**GREEN, "soort_initiatief": "anders", "disciplines": ["cultuur"]}, {}, "100",
     "wijkwens", "R11", "U koos “Iets anders”"),
    ("Speelplek met hek", {**GREEN, "soort_initiatief": "voorziening", "disciplines": ["sport"]},
     {"vergunning_nodig": "on"}, "900", "complex", "R1", "U gaf aan dat u denkt een vergunning nodig te hebben."),
])
def test_honest_answers_get_the_category_of_the_dordrecht_letter(
        client: FlaskClient, engine: Engine, title: str, wat: dict[str, Any], waar: dict[str, Any], amount: str,
        category: str, rule: str, quoted: str) -> None:
    data = send(client, engine, title, wat, waar, amount)
    assert (data["categorie_voorstel"], data["categorie_regel"]) == (category, rule)
    assert quoted in data["categorie_uitleg"]
    assert data["categorie_uitleg"].startswith(("U gaf aan", "U koos"))  # the answers, not a verdict
    assert data["categorie_uitleg_en"].startswith(("You said", "You chose"))


def test_the_start_form_asks_for_a_room_apart_from_a_building_to_use_for_longer(client: FlaskClient) -> None:
    page = check_page(client.get("/aanmelden/stap/waar").text)
    labels = [label.get_text(" ", strip=True) for label in page.find_all("label")]
    assert "Ik heb een zaal of ruimte nodig, bijvoorbeeld in het buurthuis of een school (niet verplicht)" in labels
    assert "Ik zoek een gebouw of stuk grond om langere tijd te gebruiken (niet verplicht)" in labels
    text = page.get_text(" ", strip=True)
    assert "Een zaal voor een activiteit, een geveltuin of groen dat u adopteert, hoort hier niet bij." in text


def test_the_initiator_reads_the_explanation_in_their_own_language(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine, wijkwens=False)  # a geveltuin: eenvoudig
    engine.run_due_jobs()
    log_in(client, engine, ALICE)
    dutch = check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text).find(id="categorie-uitleg")
    assert dutch is not None and dutch.get_text().startswith("U gaf aan") and not dutch.has_attr("lang")
    client.get("/taal/en")
    english = check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text).find(id="categorie-uitleg")
    assert english is not None and english.get_text().startswith("You said") and not english.has_attr("lang")
