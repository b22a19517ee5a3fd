"""The decision table editor's "Terugkijken op eerdere initiatieven" panel: the table as the editor
sends it (not deployed) replayed on the stored intakes, as JSON with the outcome rendered: the
counts per category then and now, and the initiatives that switch a page at a time; a period;
a broken table or period gets a Dutch message, never a 500; only the process owner may, with the
page's CSRF token. The table and the history are the tests' own (tests.processes.test_replay_edited)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from engine.service import Engine
from processes import studio
from processes.access import INTAKE as INTAKE_ROLE
from processes.tables.staff import StaffRole, StaffUser
from tests.processes.test_replay_edited import (
    add_intakes,
    decided_by,
    every_answer,
    first_output_replaced,
    own_table,
    pattern_history,
)
from tests.web.staff.support import BEHEER, FONDS, GROEN, GUIDE, INTAKE, KCC, OOST, PROCES, VERGUNNINGEN, login_as
from tests.web.staff.test_models_admin import versions
from tests.web_support import csrf_token
from web import loket_of

NAME = "categorisatie.dmn"
URL = f"/medewerker/processen/bewerken/{NAME}/terugkijken"
OTHER_ROLES = [INTAKE, GUIDE, GROEN, OOST, FONDS, VERGUNNINGEN, KCC, BEHEER]


def token_of(client: FlaskClient) -> str:
    return csrf_token(client.get("/medewerker/").text)


def replay(client: FlaskClient, content: bytes | None = None, token: str | None = None, url: str = URL,
           **fields: str) -> TestResponse:
    """Post as the panel does: the table as a file part, the period and the page as fields, the
    page's token in X-CSRFToken."""
    data: dict[str, Any] = dict(fields)
    if content is not None:
        data["bestand"] = (io.BytesIO(content), NAME)
    headers = {"X-CSRFToken": token if token is not None else token_of(client)}
    return client.post(url, data=data, content_type="multipart/form-data", headers=headers)


def soup_of(response: TestResponse) -> BeautifulSoup:
    payload = response.get_json()
    assert isinstance(payload, dict), response.text
    return BeautifulSoup(payload["html"], "html.parser")


def text_of(response: TestResponse) -> str:
    return soup_of(response).get_text(" ", strip=True)


def table_rows(soup: BeautifulSoup, caption: str) -> list[list[str]]:
    table = next(t for t in soup.find_all("table") if t.caption and t.caption.get_text(strip=True).startswith(caption))
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in table.tbody.find_all("tr")]


def test_the_panel_is_offered_for_the_categorisation_table(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    response = client.get(URL)
    assert response.status_code == 200
    panel = soup_of(response).find(id="terugkijken")
    assert panel.find("h2").get_text(strip=True) == "Terugkijken op eerdere initiatieven"
    form = panel.find("form")
    assert form["action"] == URL and form["method"] == "post"
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    assert replay(client, own_table(), token=token).status_code == 200  # the panel's own token is accepted
    labels = {label["for"]: label.get_text(" ", strip=True) for label in form.find_all("label")}
    assert labels == {"terugkijken-van": "Van (dag) (niet verplicht)",
                      "terugkijken-tot": "Tot en met (dag) (niet verplicht)"}
    assert [field["type"] for field in form.find_all("input", id=True)] == ["date", "date"]
    assert panel.find(id="terugkijken-status")["aria-live"] == "polite"  # not role=status: the editor has that
    assert client.get("/medewerker/processen/bewerken/wijkwens.bpmn/terugkijken").status_code == 404
    assert client.get("/medewerker/processen/bewerken/bestaat-niet.dmn/terugkijken").status_code == 404


def test_the_counts_are_those_worked_out_by_hand(app: Flask, client: FlaskClient, engine: Engine) -> None:
    pattern_history(loket_of(app), rounds=30)
    before = versions(engine)
    login_as(client, app, PROCES)
    response = replay(client, own_table(limit=1000))
    assert response.status_code == 200 and response.get_json()["invalid"] == []
    soup = soup_of(response)
    summary = soup.find(attrs={"data-samenvatting": True}).get_text(" ", strip=True)
    assert summary == "60 van de 210 initiatieven krijgen met deze tabel een andere categorie."
    assert "Periode: alle initiatieven van de proef." in soup.get_text(" ", strip=True)
    assert table_rows(soup, "Aantal initiatieven per categorie") == [
        ["Complex initiatief", "90", "150", "+60"], ["Eenvoudig (groen)", "30", "30", "0"],
        ["Wijkwens", "90", "30", "−60"]]
    assert table_rows(soup, "Van welke categorie naar welke") == [["Wijkwens", "Complex initiatief", "60"]]
    switches = table_rows(soup, "Initiatieven 1 tot en met 60")
    assert len(switches) == 60
    assert switches[0] == ["HIST-000004 Initiatief 4", "01-01-2025", "Wijkwens (regel T2)",
                           "Complex initiatief (regel T3)"]
    assert "U ziet 1 tot en met 60 van de 60, de oudste eerst." in soup.get_text(" ", strip=True)
    assert soup.find("button", attrs={"data-vanaf": True}) is None  # one page
    assert versions(engine) == before  # looking back deploys nothing


def test_a_period_counts_only_its_days(app: Flask, client: FlaskClient) -> None:
    pattern_history(loket_of(app), rounds=3)  # one round a day: 1, 2 and 3 January 2025
    login_as(client, app, PROCES)
    response = replay(client, own_table(limit=1000), van="2025-01-02", tot="2025-01-02")
    assert response.status_code == 200
    text = text_of(response)
    assert "2 van de 7 initiatieven krijgen met deze tabel een andere categorie." in text
    assert "Periode: initiatieven van 02-01-2025 tot en met 02-01-2025." in text
    assert [row[0] for row in table_rows(soup_of(response), "Initiatieven 1 tot en met 2")] == [
        "HIST-000011 Initiatief 11", "HIST-000012 Initiatief 12"]
    assert "Er zijn geen initiatieven in deze periode." in text_of(replay(client, own_table(), tot="2024-12-31"))
    assert "14 van de 14" not in text_of(replay(client, own_table(limit=1000), van="2025-01-02"))
    assert "4 van de 14 initiatieven" in text_of(replay(client, own_table(limit=1000), van="2025-01-02"))


def test_a_long_list_comes_two_hundred_at_a_time(app: Flask, client: FlaskClient) -> None:
    pattern_history(loket_of(app), rounds=150)  # 300 switches
    login_as(client, app, PROCES)
    first = soup_of(replay(client, own_table(limit=1000)))
    assert len(table_rows(first, "Initiatieven 1 tot en met 200")) == 200
    assert "U ziet 1 tot en met 200 van de 300, de oudste eerst." in first.get_text(" ", strip=True)
    pages = [(button.get_text(strip=True), button["data-vanaf"]) for button in first.find_all("button")]
    assert pages == [("Volgende 200", "200")]

    last = soup_of(replay(client, own_table(limit=1000), vanaf="200"))
    rows = table_rows(last, "Initiatieven 201 tot en met 300")
    assert len(rows) == 100 and rows[-1][0] == "HIST-001048 Initiatief 1048"  # round 150, 2nd switch
    assert [(b.get_text(strip=True), b["data-vanaf"]) for b in last.find_all("button")] == [("Vorige 200", "0")]
    for beyond in ("300", "9999999999999"):
        text = soup_of(replay(client, own_table(limit=1000), vanaf=beyond)).get_text(" ", strip=True)
        assert "Op deze plek in de lijst staan geen initiatieven meer." in text and "300 van de 1.050" in text
    for odd in ("-5", "²", "tien"):  # read as the first page
        assert len(table_rows(soup_of(replay(client, own_table(limit=1000), vanaf=odd)), "Initiatieven 1 tot")) == 200


def test_the_table_in_use_with_one_cell_changed_in_the_editor(app: Flask, client: FlaskClient) -> None:
    loket = loket_of(app)
    in_use = studio.file_in_use(loket, NAME)
    assert in_use is not None
    rows = add_intakes(loket, decided_by(in_use, every_answer()))
    first_rule = [row for row in rows if row["case_data"].get("_rij") == 1]
    login_as(client, app, PROCES)
    soup = soup_of(replay(client, first_output_replaced(in_use, "'proef'")))
    summary = soup.find(attrs={"data-samenvatting": True}).get_text(" ", strip=True)
    assert first_rule and summary.startswith(f"{len(first_rule)} van de {len(rows)} initiatieven")
    assert ["proef", "0", str(len(first_rule)), f"+{len(first_rule)}"] in table_rows(soup, "Aantal initiatieven")
    listed = table_rows(soup, "Initiatieven 1 tot en met")
    was = first_rule[0]["case_data"]
    assert listed[0][0] == f"{first_rule[0]['case_ref']} {first_rule[0]['title']}"
    assert listed[0][2].endswith(f"(regel {was['categorie_regel']})")
    assert listed[0][3] == f"proef (regel {was['categorie_regel']})"


def test_a_reference_links_to_the_case_file_for_who_may_open_it(app: Flask, client: FlaskClient,
                                                                 engine: Engine) -> None:
    pattern_history(loket_of(app), rounds=1)
    login_as(client, app, PROCES)
    soup = soup_of(replay(client, own_table(limit=1000)))
    assert soup.find("a") is None and "Met uw rol kunt u de dossiers zelf niet openen." in soup.get_text()
    with engine.db.transaction() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.email == PROCES)).one()
        session.add(StaffRole(user_id=user.id, role=INTAKE_ROLE))
    login_as(client, app, PROCES)
    links = [(a.get_text(strip=True), a["href"]) for a in soup_of(replay(client, own_table(limit=1000))).find_all("a")]
    assert links == [("HIST-000004", "/medewerker/dossier/HIST-000004"),
                     ("HIST-000005", "/medewerker/dossier/HIST-000005")]


@pytest.mark.parametrize(("fields", "invalid", "message"), [
    ({"van": "31-01-2025"}, "van", "Vul bij ‘Van (dag)’ een datum in, zoals 2025-03-31."),
    ({"tot": "morgen"}, "tot", "Vul bij ‘Tot en met (dag)’ een datum in, zoals 2025-03-31."),
    ({"tot": "9999-12-31"}, "tot", "Vul bij ‘Tot en met (dag)’ een datum in, zoals 2025-03-31."),
    ({"van": "2025-02-01", "tot": "2025-01-01"}, "tot", "De dag bij ‘Tot en met’ ligt vóór de dag bij ‘Van’."),
])
def test_a_wrong_period_is_named(app: Flask, client: FlaskClient, fields: dict[str, str], invalid: str,
                                 message: str) -> None:
    login_as(client, app, PROCES)
    response = replay(client, own_table(), **fields)
    assert response.status_code == 400 and response.get_json()["invalid"] == [invalid]
    assert message in text_of(response)


@pytest.mark.parametrize(("content", "message"), [
    (None, "Kies een of meer bestanden"),
    (b"", "Het bestand categorisatie.dmn is leeg."),
    (b"<kapot", "Het bestand categorisatie.dmn is geen geldige XML"),
    (b"\xff\xfe\x00garbage", "categorisatie.dmn is niet als UTF-8 opgeslagen."),
    (b'<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><definitions>&a;</definitions>', "teruggekeken"),
    (b"x" * (5 * 1024 * 1024 + 10), "categorisatie.dmn is groter dan 5 MB."),
    (own_table(decision_id="indeling"), "In dit bestand staat geen beslissing met id 'categorie'."),
    (own_table(cell="? == ().__class__.__base__"), "Met deze tabel kan niet worden teruggekeken."),
    (own_table().replace(b"<text>gevraagd_bedrag</text>", b"<text>len(</text>"), "teruggekeken"),
    (own_table().replace(b'hitPolicy="FIRST"', b'hitPolicy="WILLEKEURIG"'), "teruggekeken"),
])
def test_a_broken_table_gets_a_dutch_message_never_a_500(app: Flask, client: FlaskClient, content: bytes | None,
                                                        message: str) -> None:
    pattern_history(loket_of(app), rounds=1)
    login_as(client, app, PROCES)
    response = replay(client, content)
    assert response.status_code == 400
    assert message in text_of(response)
    assert soup_of(response).find(class_="utrecht-alert--error") is not None


@pytest.mark.parametrize("cell", ["&lt;= onbekende_naam", "? == 'a' * 10 ** 9"])
def test_a_cell_that_fails_on_some_answers_counts_them_apart(app: Flask, client: FlaskClient, cell: str) -> None:
    pattern_history(loket_of(app), rounds=2)
    login_as(client, app, PROCES)
    response = replay(client, own_table(cell=cell))  # fails on every activity (4 a round), as in a case
    assert response.status_code == 200
    text = text_of(response)
    assert "0 van de 14 initiatieven krijgen met deze tabel een andere categorie." in text
    assert "8 initiatieven missen een antwoord dat de tabel nodig heeft; die tellen hier niet mee." in text


def test_in_english_when_the_staff_language_is_english(app: Flask, client: FlaskClient) -> None:
    pattern_history(loket_of(app), rounds=1)
    login_as(client, app, PROCES)
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert soup_of(client.get(URL)).find("h2").get_text(strip=True) == "Look back at earlier initiatives"
    text = text_of(replay(client, own_table(limit=1000)))
    assert "2 of the 7 initiatives would get another category with this table." in text
    assert "District wish (rule T2)" in text
    assert "Enter a date for ‘From (day)’, such as 2025-03-31." in text_of(replay(client, own_table(), van="x"))


@pytest.mark.parametrize("email", OTHER_ROLES)
def test_every_other_role_is_refused(app: Flask, client: FlaskClient, email: str) -> None:
    login_as(client, app, email)
    assert client.get(URL).status_code == 403
    assert replay(client, own_table()).status_code == 403


def test_anonymous_users_go_to_the_login_page(client: FlaskClient) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")
    response = replay(client, own_table(), token=csrf_token(client.get("/medewerker/inloggen").text))
    assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")


def test_a_post_without_the_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    pattern_history(loket_of(app), rounds=1)
    login_as(client, app, PROCES)
    for token in ("", "niet-het-goede-token"):
        response = replay(client, own_table(limit=1000), token=token)
        assert response.status_code == 400 and "krijgen met deze tabel" not in response.get_data(as_text=True)


def test_only_decision_tables_in_use_can_be_replayed(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    token = token_of(client)
    for other in ("wijkwens.bpmn", "bestaat-niet.dmn", "../pyproject.toml", "forms/intake.json"):
        assert replay(client, own_table(), token=token,
                      url=f"/medewerker/processen/bewerken/{other}/terugkijken").status_code == 404
