"""Staff pages show case data in words (B1): form questions and choice labels instead of field names
and codes, district and category names, Ja/Nee, amounts in euro; technical keys stay hidden."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes.loket import Loket
from processes.names import organisation_names
from processes.tables.organisation import District, DistrictBudget
from tests.processes.factories import wijkwens_data
from tests.web.staff.support import ACCEPT, INTAKE, KCC, OOST, complex_case, login_as, start, wijkwens_case
from tests.web_support import check_page
from web.staff.wording import Wording, build

RAW = ("aanvulling_nodig", "categorie_akkoord", "budget_reservering", "begeleider_info", "benodigde_expertise",
       "gesprek_datum", "begeleider_voorstel", "= False", "= True", "'reserved'", "{'")


def rename_district(engine: Engine, code: str, name: str) -> None:
    with engine.db.transaction() as session:
        district = session.get(District, code)
        assert district is not None
        district.name = name


def visible_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


def section(html: str, section_id: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find(id=section_id)
    assert heading is not None, section_id
    found = heading.find_parent("section")
    assert found is not None
    return found.get_text(" ", strip=True)


@pytest.fixture
def lookup(app: Flask, loket: Loket) -> Wording:
    with app.test_request_context():
        return build(organisation_names(loket), loket.forms.definitions(), "nl", loket.start_form_id())


def test_the_case_file_shows_questions_and_answers_not_identifiers(app: Flask, client: FlaskClient,
                                                                   engine: Engine) -> None:
    case = complex_case(engine)
    rename_district(engine, "west", "West (Weizigt)")
    login_as(client, app, INTAKE)
    page = client.get(f"/medewerker/dossier/{case.info.case_ref}")
    assert page.status_code == 200
    check_page(page.text)
    text = visible_text(page.text)
    for raw in RAW:
        assert raw not in text, raw
    data = section(page.text, "gegevens")
    assert "Ik heb eerst meer informatie nodig van de initiatiefnemer Nee" in data
    assert "Geen voorkeur: de begeleider van de wijk" in data  # the choice's label
    assert "10-03-2025" in data  # a date the Dutch way
    assert "Voorgestelde begeleider Pieter Jansen (pieter.jansen@gemeente.example); Wijk: West (Weizigt); " \
        "Reden: " in data
    assert "Begeleider Pieter Jansen (pieter.jansen@gemeente.example)" in data
    audit = section(page.text, "audit")
    assert "Neemt u het voorstel over?: Ja, dit is de goede categorie" in audit
    assert "Ik heb eerst meer informatie nodig van de initiatiefnemer: Nee" in audit
    summary = section(page.text, "samenvatting")
    assert "Complex initiatief" in summary and "West (Weizigt)" in summary


def test_the_case_panel_beside_a_task_uses_names(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = wijkwens_case(engine, "oost")
    rename_district(engine, "oost", "Oosterpark")
    login_as(client, app, OOST)
    page = client.get(f"/medewerker/taken/{case.task('regiegroep_beoordelen').task_id}")
    assert page.status_code == 200
    panel = BeautifulSoup(page.text, "html.parser").find("aside")
    assert panel is not None
    text = panel.get_text(" ", strip=True)
    assert "Oosterpark" in text and "Wijkwens" in text and "€ 750,00" in text
    assert "is gereserveerd op het budget van de wijk" in text  # budget_melding, not highlighted
    assert panel.find(attrs={"role": "status"}) is None


def test_a_short_budget_is_highlighted_for_the_regiegroep(app: Flask, client: FlaskClient, engine: Engine) -> None:
    with engine.db.transaction() as session:
        budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == "oost"))
        assert budget is not None
        budget.amount = Decimal("100")
    case = start(engine, wijkwens_data(wijk="oost"))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert case.data["budget_toereikend"] is False and case.data["budget_melding"]
    login_as(client, app, OOST)
    page = client.get(f"/medewerker/taken/{case.task('regiegroep_beoordelen').task_id}")
    panel = BeautifulSoup(page.text, "html.parser").find("aside")
    assert panel is not None
    alert = panel.find(attrs={"role": "status"})
    assert alert is not None and "Niet genoeg budget" in alert.get_text() and case.data["budget_melding"] in \
        alert.get_text()


def test_lists_show_district_names(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = wijkwens_case(engine, "oost")
    rename_district(engine, "oost", "Oosterpark")
    login_as(client, app, OOST)
    rows = BeautifulSoup(client.get("/medewerker/werkvoorraad").text, "html.parser").select("tbody td")
    assert "Oosterpark" in [cell.get_text(strip=True) for cell in rows]
    login_as(client, app, KCC)
    text = client.get(f"/medewerker/kcc?q={case.info.case_ref}").text
    assert "<td>Oosterpark</td>" in text
    view = visible_text(client.get(f"/medewerker/kcc/{case.info.case_ref}").text)
    assert "Wijk Oosterpark" in view and "Categorie Wijkwens" in view


@pytest.mark.parametrize(("key", "value", "shown"), [
    ("aanvulling_nodig", False, "Nee"),
    ("publicatie_toestemming", True, "Ja"),
    ("categorie_akkoord", True, "Ja, dit is de goede categorie"),
    ("categorie", "eenvoudig", "Eenvoudig (groen)"),
    ("categorie_voorstel", "complex", "Complex initiatief"),
    ("wijk", "oost", "Oost"),
    ("besluit", "toegekend", "Toegekend"),
    ("uitkomst", "ingetrokken", "Ingetrokken"),
    ("gevraagd_bedrag", 1500, "€ 1.500"),
    ("budget_resterend", 24250.0, "€ 24.250"),
    ("disciplines", ["groen", "vastgoed"], "Groen en natuur, Gebouwen en grond"),
    ("soort_initiatiefnemer", "maatschappelijke_organisatie", "Maatschappelijke organisatie"),
    ("gesprek_datum", "2025-03-10", "10-03-2025"),
    ("tevredenheid_score", 4, "4 – Tevreden"),
    ("begeleider", "pieter.jansen@gemeente.example", "Pieter Jansen (pieter.jansen@gemeente.example)"),
    ("escalatie_toets_regels", {"notified": True, "team": "initiatieventeam"},
     "De teamleider van Initiatieventeam is gewaarschuwd."),
    ("iets_nieuws", "waarde", "waarde"),
])
def test_values_in_words(app: Flask, lookup: Wording, key: str, value: Any, shown: str) -> None:
    with app.test_request_context():
        assert lookup.value(key, value) == shown


@pytest.mark.parametrize(("key", "label"), [
    ("aanvulling_nodig", "Ik heb eerst meer informatie nodig van de initiatiefnemer"),
    ("categorie_akkoord", "Neemt u het voorstel over?"),
    ("budget_melding", "Melding over het budget"),
    ("escalatie_toets_regels", "Termijn verlopen: Toets regels en vergunningen"),
    ("iets_nieuws", "Iets nieuws"),
])
def test_labels_in_words(app: Flask, lookup: Wording, key: str, label: str) -> None:
    with app.test_request_context():
        assert lookup.label(key) == label


def test_technical_keys_are_left_out(app: Flask, lookup: Wording) -> None:
    data = {"budget_reservering": {"reserved": True, "amount": 750.0}, "begeleider_info": {"assigned": True},
            "mail_herinnering_resultaat": {"sent": True}, "toegekend_tekst": "€ 750", "vrijgave": {"released": 0},
            "budget_melding": "Genoeg budget.", "taal": "nl"}
    with app.test_request_context():
        assert lookup.rows(data) == [("Melding over het budget", "Genoeg budget.")]
        assert lookup.change("budget_reservering", {"old": None, "new": {"reserved": True}}) is None
        assert lookup.change("aanvulling_nodig", {"old": None, "new": False}) == (
            "Ik heb eerst meer informatie nodig van de initiatiefnemer", "Nee")
        assert lookup.change("besluit", {"old": "afgewezen", "new": "toegekend"}) == (
            lookup.label("besluit"), "Afgewezen → Toegekend")


def test_english_pages_use_the_english_labels(app: Flask, loket: Loket) -> None:
    with app.test_request_context():
        english = build(organisation_names(loket), loket.forms.definitions(), "en", loket.start_form_id())
    assert english.label("aanvulling_nodig") == "I first need more information from the initiator"
    assert english.value("aanvulling_nodig", False) == "No"


def test_a_condition_on_a_checkbox_says_tick_not_chose_yes(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    login_as(client, app, INTAKE)
    text = client.get(f"/medewerker/taken/{case.task('categorie_bevestigen').task_id}").text
    assert "Alleen nodig als u “Ik heb eerst meer informatie nodig van de initiatiefnemer” niet aanvinkt." in text
    assert "koos voor “Ja”" not in text and "koos voor “Nee”" not in text


def test_the_decision_the_initiator_reads_is_in_words_in_the_case_file(app: Flask, engine: Engine) -> None:
    case = wijkwens_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend", "toegekend_bedrag": 600,
                                            "besluit_toelichting": "Zaalhuur valt erbuiten.",
                                            "afspraken": "Poster ophangen."}, actor=OOST)
    client = app.test_client()
    login_as(client, app, OOST)
    text = visible_text(client.get(f"/medewerker/dossier/{case.info.case_ref}").text)
    assert "Toegekend bedrag € 600" in text
    assert "Reden bij het besluit Zaalhuur valt erbuiten." in text
    assert "Afspraken bij het besluit Poster ophangen." in text
    assert "Volgende stap voor de initiatiefnemer" in text
    assert "besluit_" not in text
