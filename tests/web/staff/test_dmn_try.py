"""The decision table editor's "Probeer het uit" panel: the page has a field per input of the
table, and the table as the editor sends it (not deployed) is tried on the answers, as JSON with
the outcome rendered; only the process owner may, with the page's CSRF token; garbage gives an
answer, never a 500."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.service import Engine
from processes import MODELS_DIR
from tests.web.staff.support import BEHEER, FONDS, GROEN, GUIDE, INTAKE, KCC, OOST, PROCES, VERGUNNINGEN, login_as
from tests.web.staff.test_models_admin import versions
from tests.web_support import check_page, csrf_token

NAME = "categorisatie.dmn"
URL = f"/medewerker/processen/bewerken/{NAME}"
TABLE = (MODELS_DIR / NAME).read_bytes()
ROW = {rule_id.decode(): number for number, rule_id in enumerate(re.findall(rb'<rule id="Rule_(R\d+)"', TABLE), 1)}
"""The row (1-based, as the editor numbers it) of each rule id."""
GREEN = {"Input_vergunning": "nee", "Input_locatie": "nee", "Input_reikwijdte": "straat",
         "Input_vakgebieden": "1", "Input_soort": "groen", "Input_bedrag": "0"}


def token_of(client: FlaskClient) -> str:
    return csrf_token(client.get("/medewerker/").text)


def try_it(client: FlaskClient, answers: dict[str, str] | None = None, content: bytes | None = TABLE,
           token: str | None = None, url: str = f"{URL}/proberen", **extra: Any) -> TestResponse:
    """Post as the panel does: the table as a file part, the answers as antwoord-<input id>, the
    page's token in X-CSRFToken."""
    data: dict[str, Any] = {f"antwoord-{key}": value for key, value in (answers or {}).items()} | extra
    if content is not None:
        data["bestand"] = (io.BytesIO(content), NAME)
    headers = {"X-CSRFToken": token if token is not None else token_of(client)}
    return client.post(url, data=data, content_type="multipart/form-data", headers=headers)


def outcome(response: TestResponse) -> str:
    payload = response.get_json()
    assert isinstance(payload, dict), response.text
    return BeautifulSoup(payload["html"], "html.parser").get_text(" ", strip=True)


def test_the_editor_page_has_the_panel_with_a_field_per_input(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    soup = check_page(client.get(URL).text)
    panel = soup.find(id="proberen")
    assert panel is not None and panel.find("h2").get_text(strip=True) == "Probeer het uit"
    form = panel.find("form")
    assert form["action"] == f"{URL}/proberen" and form.find("input", attrs={"name": "csrf_token"})
    labels = {label.get_text(strip=True): label["for"] for label in form.find_all("label")}
    assert list(labels) == ["Vergunning nodig?", "Locatie nodig?", "Reikwijdte", "Aantal vakgebieden",
                            "Soort initiatief", "Gevraagd bedrag (euro)"]
    assert form.find(id=labels["Vergunning nodig?"]).name == "select"
    amount = form.find(id=labels["Gevraagd bedrag (euro)"])
    assert amount["name"] == "antwoord-Input_bedrag" and amount["inputmode"] == "decimal"
    suggestions = form.find(id="proberen-Input_reikwijdte-waarden").find_all("option")
    assert [option["value"] for option in suggestions] == ["straat", "buurt", "wijk", "stad"]
    help_text = form.find(id="proberen-Input_vakgebieden-uitleg").get_text(" ", strip=True)
    assert "De tabel rekent len(disciplines) uit: vul de uitkomst in." in help_text
    assert panel.find(id="proberen-uitkomst")["aria-live"] == "polite"
    assert check_page(client.get("/medewerker/processen/bewerken/wijkwens.bpmn").text).find(id="proberen") is None


@pytest.mark.parametrize(("changes", "rule", "sentence"), [
    ({}, "R5", f"Regel {ROW['R5']} past: categorie_voorstel = eenvoudig — U gaf aan dat het gaat om groen"),
    ({"Input_reikwijdte": "wijk"}, "R3",
     f"Regel {ROW['R3']} past: categorie_voorstel = complex — U gaf aan dat uw initiatief voor de hele wijk"),
    ({"Input_soort": "activiteit", "Input_bedrag": "2.500"}, "R6",
     f"Regel {ROW['R6']} past: categorie_voorstel = wijkwens"),
])
def test_trying_answers_shows_the_rule_that_fits(app: Flask, client: FlaskClient, changes: dict[str, str],
                                                 rule: str, sentence: str) -> None:
    login_as(client, app, PROCES)
    response = try_it(client, {**GREEN, **changes})
    assert response.status_code == 200
    payload = response.get_json()
    assert payload["decided"] is True and payload["applied"] == [ROW[rule]] and payload["matched"][-1] == ROW["R8"]
    assert sentence in outcome(response)
    fields = BeautifulSoup(payload["fields"], "html.parser")
    assert fields.find(id="proberen-Input_bedrag") is not None


def test_the_table_as_edited_is_tried_not_the_one_in_use(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    answers = {**GREEN, "Input_soort": "activiteit", "Input_bedrag": "2800"}
    assert try_it(client, answers).get_json()["applied"] == [ROW["R7"]]
    response = try_it(client, answers, TABLE.replace(b"&lt;= 2500", b"&lt;= 3000"))
    assert response.get_json()["applied"] == [ROW["R6"]]
    assert (f"Regels {ROW['R7']} en {ROW['R8']} passen ook, maar de eerste regel die past geldt."
            in outcome(response))
    assert versions(engine) == before  # trying deploys nothing


def test_no_rule_fits(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    no_catch_all = TABLE.replace(b'<inputEntry id="In_R8_soort"><text>-</text>',
                                 b"<inputEntry id=\"In_R8_soort\"><text>'anders'</text>")
    response = try_it(client, {**GREEN, "Input_soort": "voorziening"}, no_catch_all)
    assert response.status_code == 200 and response.get_json()["applied"] == []
    assert outcome(response).startswith("Geen regel past bij deze antwoorden.")


def test_answers_that_cannot_be_read_are_named_per_field(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    response = try_it(client, {**GREEN, "Input_bedrag": "veel", "Input_vergunning": "misschien"})
    assert response.status_code == 400
    assert sorted(response.get_json()["invalid"]) == ["Input_bedrag", "Input_vergunning"]
    links = BeautifulSoup(response.get_json()["html"], "html.parser").find_all("a")
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#proberen-Input_vergunning", "Kies ja of nee bij ‘Vergunning nodig?’."),
        ("#proberen-Input_bedrag", "Vul bij ‘Gevraagd bedrag (euro)’ een getal in, zoals 3 of 1.250,50.")]


def test_a_rule_that_cannot_decide_links_to_its_row(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    response = try_it(client, {**GREEN, "Input_vakgebieden": ""})
    assert response.status_code == 200 and response.get_json()["decided"] is False
    text = outcome(response)
    row = ROW["R4"]
    assert text.startswith(f"De tabel kan niet beslissen Regel {row} heeft een antwoord nodig bij "
                           "‘Aantal vakgebieden’.")
    link = BeautifulSoup(response.get_json()["html"], "html.parser").find("a")
    assert link["data-element"] == "Rule_R4" and link.get_text(" ", strip=True) == f"Toon in de tabel (Regel {row})"


def test_the_fields_follow_the_table_as_edited(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    renamed = TABLE.replace(b'label="Reikwijdte"', b'label="Bereik van het initiatief"')
    response = try_it(client, content=renamed, actie="invoer")
    assert response.status_code == 200 and set(response.get_json()) == {"fields"}
    labels = [label.get_text(strip=True) for label in BeautifulSoup(response.get_json()["fields"], "html.parser")
              .find_all("label")]
    assert labels[2] == "Bereik van het initiatief"


def test_in_english_when_the_staff_language_is_english(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert "Try it out" in client.get(URL).text
    text = outcome(try_it(client, {**GREEN, "Input_reikwijdte": "stad"}))
    assert text.startswith(f"Rule {ROW['R3']} fits: categorie_voorstel = complex — U gaf aan")  # the table's own words
    assert f"Rules {ROW['R5']} and {ROW['R8']} also fit, but the first rule that fits applies." in text
    response = try_it(client, {**GREEN, "Input_bedrag": "veel"})
    assert outcome(response) == "Check the answers Enter a number for ‘Gevraagd bedrag (euro)’, such as 3 or 1,250.50."


@pytest.mark.parametrize("email", [INTAKE, GUIDE, GROEN, OOST, FONDS, VERGUNNINGEN, KCC, BEHEER])
def test_every_other_role_is_refused(app: Flask, client: FlaskClient, email: str) -> None:
    login_as(client, app, email)
    assert try_it(client, GREEN).status_code == 403
    assert try_it(client, content=TABLE, actie="invoer").status_code == 403


def test_anonymous_users_go_to_the_login_page(client: FlaskClient) -> None:
    response = try_it(client, GREEN, token=csrf_token(client.get("/medewerker/inloggen").text))
    assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")


def test_a_post_without_the_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    for token in ("", "niet-het-goede-token"):
        response = try_it(client, GREEN, token=token)
        assert response.status_code == 400 and "applied" not in (response.get_json(silent=True) or {})


def test_only_decision_tables_in_use_can_be_tried(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    token = token_of(client)
    for other in ("wijkwens.bpmn", "bestaat-niet.dmn", "../pyproject.toml", "forms/intake.json"):
        assert try_it(client, GREEN, token=token, url=f"/medewerker/processen/bewerken/{other}/proberen"
                      ).status_code == 404


@pytest.mark.parametrize(("content", "fields"), [
    (None, {}),
    (b"", {}),
    (b"\xff\xfe\x00garbage", {}),
    (b"<definitions", {}),
    (b'<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><definitions>&a;</definitions>', {}),
    (b"x" * (5 * 1024 * 1024 + 10), {}),
    (TABLE, {"Input_bedrag": "1" * 5000, "Input_onbekend": "x" * 100_000, "Input_soort": "<script>alert(1)</script>"}),
    (TABLE, {"Input_soort": "groen\x00"}),
    (TABLE.replace(b"&gt;= 3", b"? == ().__class__.__base__"), {}),
    (TABLE.replace(b"&gt;= 3", b"? == 'a' * 10 ** 9"), GREEN),
    (TABLE.replace(b"<text>len(disciplines)</text>", b"<text>len(</text>"), GREEN),
    (TABLE.replace(b'hitPolicy="FIRST"', b'hitPolicy="WILLEKEURIG"'), GREEN),
])
def test_garbage_gets_an_answer_never_a_500(app: Flask, client: FlaskClient, content: bytes | None,
                                            fields: dict[str, str]) -> None:
    login_as(client, app, PROCES)
    response = try_it(client, fields, content)
    assert response.status_code in (200, 400)
    if response.is_json:
        assert outcome(response)
        assert "<script>" not in response.get_json()["html"]
    else:  # the site's own guard against invisible characters answers first
        assert "teken dat we niet kunnen verwerken" in response.text
