"""The process owner's editors: the page for a file in use, and checking and deploying what the
editor sends (the same check and versioning as the upload on the Processen page)."""

from __future__ import annotations

import io
import json
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.service import Engine
from processes import MODELS_DIR
from tests.web.staff.support import BEHEER, INTAKE, KCC, PROCES, login_as
from tests.web.staff.test_models_admin import versions
from tests.web_support import check_page, csrf_token

URL = "/medewerker/processen/bewerken"
WIJKWENS = (MODELS_DIR / "wijkwens.bpmn").read_bytes()
OLD_STATUS = b"De regiegroep van uw wijk beoordeelt uw wijkwens."
NEW_STATUS = b"De regiegroep van uw wijk kijkt naar uw wijkwens."


def editor_page(client: FlaskClient, name: str) -> BeautifulSoup:
    response = client.get(f"{URL}/{name}")
    assert response.status_code == 200
    return check_page(response.text)


def send(client: FlaskClient, name: str, content: bytes | None, action: str = "controleren",
         filename: str | None = None, token: str | None = None) -> TestResponse:
    """Post as the editor page does: the file as a multipart part, the token in X-CSRFToken."""
    token = token if token is not None else csrf_token(client.get(f"{URL}/{name}").text)
    data: dict[str, Any] = {"actie": action}
    if content is not None:
        data["bestand"] = (io.BytesIO(content), filename or name)
    return client.post(f"{URL}/{name}", data=data, content_type="multipart/form-data",
                       headers={"X-CSRFToken": token})


def answer(response: TestResponse) -> tuple[bool, str]:
    payload = response.get_json()
    assert isinstance(payload, dict)
    return bool(payload["deployed"]), BeautifulSoup(payload["html"], "html.parser").get_text(" ", strip=True)


def test_the_processen_page_links_every_file_to_its_editor(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    text = client.get("/medewerker/processen").text
    for name in ("wijkwens.bpmn", "categorisatie.dmn"):
        assert f'href="{URL}/{name}"' in text


def test_the_diagram_editor_gets_the_file_in_use_and_the_choices(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    soup = editor_page(client, "wijkwens.bpmn")
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "wijkwens.bpmn bewerken"
    editor = soup.find(id="editor")
    assert editor is not None
    assert str(editor["data-xml"]).encode() == WIJKWENS
    choices = json.loads(str(editor["data-choices"]))
    forms = {form["id"]: form["title"] for form in choices["forms"]}
    assert "wijkwens_beoordelen" in forms and forms["groen_beoordelen"]
    teams = {team["code"] for team in choices["teams"]}
    assert {"team-groen", "regiegroep-oost", "initiatiefnemer"} <= teams
    texts = json.loads(str(editor["data-texts"]))
    assert texts["panel"]["statusText"] == "Statustekst (Nederlands)"
    assert soup.select_one('script[src$="vendor/editor/bpmn-editor.js"]') is not None
    assert soup.find("form", id="editor-opslaan") is not None


def test_the_decision_table_editor_gets_the_dmn_file(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    soup = editor_page(client, "categorisatie.dmn")
    editor = soup.find(id="editor")
    assert editor is not None and str(editor["data-xml"]) == (MODELS_DIR / "categorisatie.dmn").read_text()
    assert soup.select_one('script[src$="vendor/editor/dmn-editor.js"]') is not None


def test_only_files_in_use_can_be_edited(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    token = csrf_token(client.get("/medewerker/processen").text)
    for unknown in ("bestaat-niet.bpmn", "../pyproject.toml", "%2e%2e/README.md", "README.md"):
        assert client.get(f"{URL}/{unknown}").status_code == 404
        assert send(client, unknown, WIJKWENS, token=token).status_code == 404


def test_other_roles_may_not_edit(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    for email in (INTAKE, KCC, BEHEER):
        login_as(client, app, email)
        assert client.get(f"{URL}/wijkwens.bpmn").status_code == 403
        token = csrf_token(client.get("/medewerker/").text)
        changed = WIJKWENS.replace(OLD_STATUS, NEW_STATUS)
        assert send(client, "wijkwens.bpmn", changed, action="in_gebruik", token=token).status_code == 403
    assert versions(engine) == before


def test_anonymous_users_go_to_the_login_page(client: FlaskClient) -> None:
    response = client.get(f"{URL}/wijkwens.bpmn")
    assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")


def test_a_post_without_the_csrf_token_is_refused(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    changed = WIJKWENS.replace(OLD_STATUS, NEW_STATUS)
    response = client.post(f"{URL}/wijkwens.bpmn", content_type="multipart/form-data",
                           data={"actie": "in_gebruik", "bestand": (io.BytesIO(changed), "wijkwens.bpmn")})
    assert response.status_code == 400
    assert versions(engine) == before


def test_checking_deploys_nothing(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    response = send(client, "wijkwens.bpmn", WIJKWENS.replace(OLD_STATUS, NEW_STATUS))
    assert response.status_code == 200
    deployed, text = answer(response)
    assert not deployed and "Geen problemen gevonden" in text
    assert versions(engine) == before


def test_deploying_makes_a_new_version_of_the_changed_process(app: Flask, client: FlaskClient,
                                                              engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    # the browser's file name does not decide which file is replaced: the page's file does
    response = send(client, "wijkwens.bpmn", WIJKWENS.replace(OLD_STATUS, NEW_STATUS), action="in_gebruik",
                    filename="anders.bpmn")
    assert response.status_code == 200
    deployed, text = answer(response)
    after = versions(engine)
    assert deployed and "In gebruik genomen:" in text and f"wijkwens (versie {after['wijkwens']})" in text
    assert after["wijkwens"] == before["wijkwens"] + 1 and after["eenvoudig"] == before["eenvoudig"]
    assert NEW_STATUS in client.get("/medewerker/processen/bestanden/wijkwens.bpmn").data
    assert client.get("/medewerker/processen/bestanden/anders.bpmn").status_code == 404


def test_a_broken_diagram_is_refused_with_its_problems_linked_to_the_element(app: Flask, client: FlaskClient,
                                                                             engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    broken = WIJKWENS.replace(b'value="wijkwens_beoordelen"', b'value="bestaat_niet"')
    response = send(client, "wijkwens.bpmn", broken, action="in_gebruik")
    assert response.status_code == 400
    deployed, text = answer(response)
    assert not deployed
    assert "1 probleem gevonden" in text and "Er is niets in gebruik genomen" in text
    assert "wijkwens.bpmn · regiegroep_beoordelen" in text and "Het formulier 'bestaat_niet' bestaat niet" in text
    html = response.get_json()["html"]
    assert 'role="alert"' in html and 'data-element="regiegroep_beoordelen"' in html
    assert versions(engine) == before


def test_an_unusable_file_gets_a_clear_error(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    cases = [
        (None, "Kies een of meer bestanden"),
        ("<a/>".encode("utf-16"), "wijkwens.bpmn is niet als UTF-8 opgeslagen"),
    ]
    for content, message in cases:
        response = send(client, "wijkwens.bpmn", content, action="in_gebruik")
        assert response.status_code == 400
        assert message in answer(response)[1]


def test_in_english_the_editor_and_the_problems_are_in_english(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    client.get("/taal/en")
    soup = editor_page(client, "wijkwens.bpmn")
    editor = soup.find(id="editor")
    assert editor is not None
    assert json.loads(str(editor["data-texts"]))["panel"]["statusText"] == "Status text (Dutch)"
    broken = WIJKWENS.replace(b'value="wijkwens_beoordelen"', b'value="bestaat_niet"')
    _deployed, text = answer(send(client, "wijkwens.bpmn", broken, action="in_gebruik"))
    assert "1 problem found" in text and "formulier" not in text.lower()


def test_putting_a_diagram_into_use_throws_away_the_owners_draft_of_it(app: Flask, client: FlaskClient) -> None:
    from processes import studio_drafts
    from web import loket_of

    login_as(client, app, PROCES)
    loket = loket_of(app)
    studio_drafts.save(loket, PROCES, "wijkwens.bpmn", WIJKWENS.replace(OLD_STATUS, NEW_STATUS).decode())
    studio_drafts.save(loket, INTAKE, "wijkwens.bpmn", WIJKWENS.decode())  # someone else's stays
    deployed, _text = answer(send(client, "wijkwens.bpmn", WIJKWENS.replace(OLD_STATUS, NEW_STATUS), "in_gebruik"))
    assert deployed
    assert studio_drafts.load(loket, PROCES, "wijkwens.bpmn") is None
    assert studio_drafts.load(loket, INTAKE, "wijkwens.bpmn") is not None
