"""The mail-text editor and the drafts' JSON routes: only the process owner, CSRF on every
change, a preview with the rendered subject, a broken text as a Dutch message (never a 500),
drafts offered again and listed on the Processen page, and deploying as a new version while a
case started before keeps its text."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.service import Engine
from processes import TEXTS_DIR, studio_drafts
from processes.studio_drafts import MAX_DRAFT_BYTES
from tests.processes.factories import Case, complex_data
from tests.web.staff.support import BEHEER, FONDS, GROEN, GUIDE, INTAKE, KCC, OOST, PROCES, VERGUNNINGEN, login_as
from tests.web.staff.test_models_admin import versions
from tests.web_support import check_page, csrf_token
from web import loket_of

URL = "/medewerker/processen/teksten/texts/bevestiging.nl.txt"
DRAFT = "/medewerker/processen/concepten/texts/bevestiging.nl.txt"
DIAGRAM_DRAFT = "/medewerker/processen/concepten/wijkwens.bpmn"
NL = (TEXTS_DIR / "bevestiging.nl.txt").read_text(encoding="utf-8")
EN = (TEXTS_DIR / "bevestiging.en.txt").read_text(encoding="utf-8")
OTHER_ROLES = (INTAKE, GUIDE, GROEN, OOST, FONDS, VERGUNNINGEN, KCC, BEHEER)


def body_of(text: str) -> str:
    return text.partition("\n")[2]


def fields(**overrides: str) -> dict[str, str]:
    found = {"onderwerp_nl": "Uw initiatief is ontvangen ({{ case_ref }})", "tekst_nl": body_of(NL),
             "onderwerp_en": "We received your initiative ({{ case_ref }})", "tekst_en": body_of(EN)}
    found.update(overrides)
    return found


def post(client: FlaskClient, action: str, token: str | None = None, **overrides: str) -> TestResponse:
    token = token if token is not None else csrf_token(client.get(URL).text)
    return client.post(URL, data={"csrf_token": token, "actie": action, **fields(**overrides)})


def text_of(response: TestResponse) -> str:
    return BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)


def json_call(client: FlaskClient, method: str, url: str, token: str | None, body: Any = None) -> TestResponse:
    headers = {"X-CSRFToken": token} if token else {}
    return client.open(url, method=method, headers=headers,
                       data=json.dumps(body) if body is not None else None,
                       content_type="application/json" if body is not None else None)


@pytest.fixture
def owner(app: Flask, client: FlaskClient) -> str:
    login_as(client, app, PROCES)
    return csrf_token(client.get(URL).text)


def test_the_page_shows_both_twins_their_values_and_who_sends_them(owner: str, client: FlaskClient) -> None:
    soup = check_page(client.get(URL).text)
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Tekst ‘bevestiging’ bewerken"
    subject = soup.find(id="onderwerp-nl")
    assert subject is not None and subject["value"] == "Uw initiatief is ontvangen ({{ case_ref }})"
    english = soup.find(id="tekst-en")
    assert english is not None and english.get_text() == "\n" + body_of(EN) and english["lang"] == "en"
    values = [code.get_text() for code in soup.select("table code")]
    assert values == ["{{ case_ref }}", "{{ titel }}", "{{ naam }}", "{{ loket_url }}"]
    assert "als een initiatief is aangemeld" in soup.get_text()
    # the English twin opens the same page
    assert "Tekst ‘bevestiging’ bewerken" in client.get(URL.replace(".nl.", ".en.")).text


def test_the_processen_page_links_every_text_to_its_editor(owner: str, client: FlaskClient) -> None:
    page = client.get("/medewerker/processen").text
    for name in ("bevestiging.nl.txt", "resultaat.en.txt"):
        assert f'href="/medewerker/processen/teksten/texts/{name}"' in page


@pytest.mark.parametrize("name", ["wijkwens.bpmn", "texts/bestaat-niet.nl.txt", "forms/intake.json",
                                  "../pyproject.toml", "texts/%2e%2e/wijkwens.bpmn", "README.md"])
def test_only_texts_in_use_can_be_edited(owner: str, client: FlaskClient, name: str) -> None:
    assert client.get(f"/medewerker/processen/teksten/{name}").status_code == 404
    assert client.post(f"/medewerker/processen/teksten/{name}",
                       data={"csrf_token": owner, "actie": "concept", **fields()}).status_code == 404


def test_other_roles_get_403_on_every_new_route(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    for email in OTHER_ROLES:
        login_as(client, app, email)
        token = csrf_token(client.get("/medewerker/").text)
        assert client.get(URL).status_code == 403, email
        assert post(client, "in_gebruik", token, onderwerp_nl="Gehackt").status_code == 403
        assert post(client, "concept", token, onderwerp_nl="Gehackt").status_code == 403
        assert json_call(client, "GET", DRAFT, token).status_code == 403
        assert json_call(client, "PUT", DRAFT, token, {"content": "Onderwerp: x\n"}).status_code == 403
        assert json_call(client, "DELETE", DRAFT, token).status_code == 403
    assert versions(engine) == before
    assert studio_drafts.list_for(loket_of(app), INTAKE) == []


def test_anonymous_users_go_to_the_login_page(app: Flask, client: FlaskClient) -> None:
    for url in (URL, DRAFT):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")
    app.config["WTF_CSRF_ENABLED"] = False  # past the token, the login still stands in the way
    for method, url in (("POST", URL), ("PUT", DRAFT), ("DELETE", DRAFT)):
        response = client.open(url, method=method, json={"content": "x"} if method == "PUT" else None)
        assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")


def test_every_change_needs_the_csrf_token(app: Flask, owner: str, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    for action in ("in_gebruik", "concept", "voorbeeld"):
        response = client.post(URL, data={"actie": action, **fields(onderwerp_nl="Zonder token")})
        assert response.status_code == 400 and "Het formulier is verlopen" in response.text
    assert json_call(client, "PUT", DRAFT, None, {"content": "Onderwerp: x\n"}).status_code == 400
    assert json_call(client, "PUT", DRAFT, "verkeerd", {"content": "Onderwerp: x\n"}).status_code == 400
    studio_drafts.save(loket_of(app), PROCES, "texts/bevestiging.nl.txt", "Onderwerp: x\n")
    assert json_call(client, "DELETE", DRAFT, None).status_code == 400
    assert [d.name for d in studio_drafts.list_for(loket_of(app), PROCES)] == ["texts/bevestiging.nl.txt"]
    assert versions(engine) == before


def test_the_preview_shows_the_rendered_subject(owner: str, client: FlaskClient) -> None:
    response = post(client, "voorbeeld", owner, onderwerp_nl="Ontvangen: {{ titel }} ({{ case_ref }})",
                    voorbeeld_case_ref="INI-2026-000042")
    assert response.status_code == 200
    soup = check_page(response.text)
    subjects = [span.get_text() for span in soup.select(".staff-text-preview-subject")]
    assert subjects == ["Ontvangen: Geveltuin in de Bloemstraat (INI-2026-000042)",
                        "We received your initiative (INI-2026-000042)"]
    assert soup.find(id="onderwerp-nl")["value"] == "Ontvangen: {{ titel }} ({{ case_ref }})"  # type: ignore[index]
    assert soup.find(id="voorbeeld-case_ref")["value"] == "INI-2026-000042"  # type: ignore[index]


@pytest.mark.parametrize(("body", "message"), [
    ("Beste {{ voornaam }},", "De tekst gebruikt {{ voornaam }}, maar deze tekst krijgt geen waarde"),
    ("Beste {{ titel ,", "een {{ … }} of {% … %} klopt niet"),
    ("{{ titel.__class__.__mro__ }}", "dit kan niet in een tekst"),
])
def test_a_broken_text_gives_a_dutch_message_not_a_500(owner: str, client: FlaskClient, body: str,
                                                       message: str) -> None:
    response = post(client, "voorbeeld", owner, tekst_nl=body)
    assert response.status_code == 200
    soup = check_page(response.text)
    alert = soup.select_one("#voorbeeld-nl [role=alert]")
    assert alert is not None and message in alert.get_text()
    assert "object" not in alert.get_text()  # nothing of Python's insides
    response = post(client, "in_gebruik", owner, tekst_nl=body)
    assert response.status_code == 400 and "Er is niets in gebruik genomen" in text_of(response)


def test_checking_shows_problems_and_deploys_nothing(owner: str, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    response = post(client, "controleren", owner, tekst_nl="{% if titel %}zonder einde")
    assert response.status_code == 200
    assert "1 probleem gevonden" in text_of(response) and "Regel 2" in text_of(response)
    response = post(client, "controleren", owner, onderwerp_nl="Nieuw onderwerp")
    assert "Geen problemen gevonden" in text_of(response)
    assert versions(engine) == before


def test_deploying_makes_a_new_version_and_a_running_case_keeps_its_text(
    app: Flask, owner: str, client: FlaskClient, engine: Engine
) -> None:
    before_versions = versions(engine)
    running = Case.start(engine, complex_data())
    response = post(client, "in_gebruik", owner, onderwerp_nl="Ontvangen! ({{ case_ref }})", toelichting="korter")
    assert response.status_code == 302 and response.headers["Location"] == URL
    page = client.get(URL)
    assert "De tekst is in gebruik genomen: " in page.text
    after = versions(engine)
    assert all(after[process] == number + 1 for process, number in before_versions.items())
    new = Case.start(engine, complex_data())
    renderer = engine.mail_renderer
    assert renderer is not None
    context = {"case_ref": "INI-7", "titel": "Moestuin", "loket_url": ""}
    assert renderer.render("bevestiging", "nl", context, engine.mail_texts(running.id))[0] == \
        "Uw initiatief is ontvangen (INI-7)"
    assert renderer.render("bevestiging", "nl", context, engine.mail_texts(new.id))[0] == "Ontvangen! (INI-7)"
    # nothing changed: nothing new
    response = post(client, "in_gebruik", owner, onderwerp_nl="Ontvangen! ({{ case_ref }})")
    assert "U heeft niets veranderd" in text_of(response) and versions(engine) == after


def test_a_refused_deploy_keeps_what_was_typed(owner: str, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    response = post(client, "in_gebruik", owner, onderwerp_nl="")
    assert response.status_code == 400
    soup = check_page(response.text)
    assert "Vul een onderwerp in." in soup.get_text() and "Er is niets in gebruik genomen" in soup.get_text()
    assert versions(engine) == before


def test_a_draft_is_offered_again_and_listed_for_its_owner_only(app: Flask, owner: str, client: FlaskClient) -> None:
    response = post(client, "concept", owner, onderwerp_en="Received: {{ titel }}")
    assert response.status_code == 302 and response.headers["Location"] == f"{URL}?concept=1"
    page = client.get(response.headers["Location"])
    soup = check_page(page.text)
    assert "Uw concept is bewaard" in soup.get_text() and "U werkt verder met uw concept van" in soup.get_text()
    assert soup.find(id="onderwerp-en")["value"] == "Received: {{ titel }}"  # type: ignore[index]

    soup = check_page(client.get(URL).text)  # opening the editor again: the draft is offered
    offer = soup.find(id="concept")
    assert offer is not None and "U heeft een concept van" in offer.get_text()
    assert soup.find(id="onderwerp-en")["value"] == "We received your initiative ({{ case_ref }})"  # type: ignore[index]
    assert offer.find("a", href=f"{URL}?concept=1") is not None

    listing = check_page(client.get("/medewerker/processen").text).find(id="concepten")
    assert listing is not None
    items = listing.find_next("ul").get_text(" ", strip=True)  # type: ignore[union-attr]
    assert "texts/bevestiging.en.txt" in items and "texts/bevestiging.nl.txt" not in items
    assert listing.find_next("ul").find("a", href="/medewerker/processen/teksten/texts/bevestiging.en.txt?concept=1")  # type: ignore[union-attr]

    other = app.test_client()
    login_as(other, app, PROCES)  # the same owner in another browser sees it …
    assert "U heeft een concept van" in other.get(URL).text
    assert studio_drafts.list_for(loket_of(app), "iemand.anders@gemeente.example") == []  # … nobody else

    response = client.post(URL, data={"csrf_token": owner, "actie": "weggooien"})
    assert response.status_code == 302
    assert "U heeft een concept van" not in client.get(URL).text
    assert 'id="concepten"' not in client.get("/medewerker/processen").text


def test_deploying_discards_the_draft(owner: str, client: FlaskClient, app: Flask) -> None:
    post(client, "concept", owner, onderwerp_nl="Concept-onderwerp")
    assert studio_drafts.list_for(loket_of(app), PROCES)
    post(client, "in_gebruik", owner, onderwerp_nl="Concept-onderwerp")
    assert studio_drafts.list_for(loket_of(app), PROCES) == []


def test_an_over_long_text_is_refused_in_words(owner: str, client: FlaskClient) -> None:
    response = post(client, "voorbeeld", owner, onderwerp_nl="x" * 301)
    assert response.status_code == 400
    assert "Een onderwerp is hoogstens 300 tekens" in text_of(response)


def test_the_draft_routes_keep_read_and_throw_away_a_draft(owner: str, client: FlaskClient) -> None:
    answer = json_call(client, "GET", DIAGRAM_DRAFT, owner)
    assert answer.status_code == 200 and answer.json["draft"] is None  # type: ignore[index]
    assert answer.json["texts"]["save"] == "Concept bewaren"  # type: ignore[index]
    saved = json_call(client, "PUT", DIAGRAM_DRAFT, owner, {"content": "<definitions/>"})
    assert saved.status_code == 200 and saved.json["saved"] and "Uw concept is bewaard" in saved.json["message"]  # type: ignore[index]
    draft = json_call(client, "GET", DIAGRAM_DRAFT, owner).json["draft"]  # type: ignore[index]
    assert draft["content"] == "<definitions/>" and draft["time"]
    assert json_call(client, "DELETE", DIAGRAM_DRAFT, owner).json["discarded"] is True  # type: ignore[index]
    assert json_call(client, "GET", DIAGRAM_DRAFT, owner).json["draft"] is None  # type: ignore[index]


@pytest.mark.parametrize(("body", "status"), [
    ({"content": 12}, 400),
    (["geen", "object"], 400),
    ({"content": "nul \u0000"}, 400),
])
def test_the_draft_routes_refuse_what_is_no_draft(owner: str, client: FlaskClient, body: Any, status: int) -> None:
    response = json_call(client, "PUT", DIAGRAM_DRAFT, owner, body)
    assert response.status_code == status and response.json["saved"] is False  # type: ignore[index]
    assert response.json["error"]  # type: ignore[index]


def test_the_draft_routes_limit_size_and_files(owner: str, client: FlaskClient) -> None:
    too_large = json_call(client, "PUT", DIAGRAM_DRAFT, owner, {"content": "x" * (MAX_DRAFT_BYTES + 70_000)})
    assert too_large.status_code == 413 and "groter dan 5 MB" in too_large.json["error"]  # type: ignore[index]
    unknown = "/medewerker/processen/concepten/bestaat-niet.bpmn"
    assert json_call(client, "GET", unknown, owner).status_code == 404
    assert json_call(client, "PUT", unknown, owner, {"content": "x"}).status_code == 404
    text = client.put(DIAGRAM_DRAFT, data="x", headers={"X-CSRFToken": owner}, content_type="text/plain")
    assert text.status_code == 400


def test_in_english_the_editor_speaks_english(owner: str, client: FlaskClient) -> None:
    client.get("/taal/en")
    page = check_page(client.get(URL).text)
    assert page.h1 is not None and page.h1.get_text(strip=True) == "Edit text ‘bevestiging’"
    response = post(client, "voorbeeld", owner, tekst_nl="Beste {{ voornaam }},")
    assert "The text uses {{ voornaam }}, but this text gets no value" in text_of(response)


def test_an_upload_on_the_processen_page_ends_the_uploaders_draft_of_that_file(app: Flask, owner: str,
                                                                              client: FlaskClient) -> None:
    post(client, "concept", owner, onderwerp_nl="Concept-onderwerp")
    changed = NL.replace("Uw initiatief is ontvangen", "Ontvangen", 1).encode()
    token = csrf_token(client.get("/medewerker/processen").text)
    response = client.post("/medewerker/processen", content_type="multipart/form-data",
                           data={"csrf_token": token, "actie": "in_gebruik",
                                 "bestanden": [(io.BytesIO(changed), "bevestiging.nl.txt")]})
    assert response.status_code == 302
    assert studio_drafts.list_for(loket_of(app), PROCES) == []
