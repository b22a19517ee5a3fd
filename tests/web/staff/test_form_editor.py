"""The process owner's form editor through HTTP: the page for a form in use, the live preview drawn
by the start form's own templates, checking and putting a form into use (the same check and
versioning as a diagram), a new form, and who may do any of it."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.service import Engine
from processes import studio
from tests.processes.factories import Case, complex_data
from tests.web.staff.support import BEHEER, FONDS, GROEN, GUIDE, INTAKE, KCC, OOST, PROCES, VERGUNNINGEN, login_as
from tests.web.staff.test_models_admin import versions
from tests.web_support import check_page, check_response, csrf_token
from web import loket_of

PAGE = "/medewerker/processen/formulieren"
PREVIEW = "/medewerker/processen/formulieren-voorbeeld"
NEW = "/medewerker/processen/formulieren-nieuw"
INTAKE_FORM = "forms/intake.json"
OTHER_ROLES = (INTAKE, GUIDE, GROEN, OOST, FONDS, VERGUNNINGEN, KCC, BEHEER)


def intake_json(app: Flask) -> dict[str, Any]:
    content = studio.file_in_use(loket_of(app), INTAKE_FORM)
    assert content is not None
    parsed: dict[str, Any] = json.loads(content)
    return parsed


def with_question(form: dict[str, Any], name: str = "hoe_gehoord", required: bool = True) -> dict[str, Any]:
    """The form with one more (required) text question at the end of its first step."""
    form["schema"]["properties"][name] = {"type": "string", "maxLength": 200}
    if required:
        form["schema"]["required"].append(name)
    form["fields"][name] = {"label": {"nl": "Hoe hoorde u van het loket?", "en": "How did you hear of us?"},
                            "widget": "text"}
    form["steps"][0]["fields"].append(name)
    return form


def encoded(form: dict[str, Any] | str) -> bytes:
    return (form if isinstance(form, str) else json.dumps(form, ensure_ascii=False)).encode()


def token_of(client: FlaskClient) -> str:
    return csrf_token(client.get("/medewerker/").text)


def post(client: FlaskClient, url: str, content: bytes | None, token: str | None, **fields: str) -> TestResponse:
    """Post as the editor page does: the JSON as a file part, the token in X-CSRFToken."""
    data: dict[str, Any] = dict(fields)
    if content is not None:
        data["bestand"] = (io.BytesIO(content), "formulier.json")
    headers = {"X-CSRFToken": token} if token is not None else {}
    response = client.post(url, data=data, content_type="multipart/form-data", headers=headers)
    check_response(response)
    return response


def preview(client: FlaskClient, content: bytes, lang: str = "nl", name: str = INTAKE_FORM) -> BeautifulSoup:
    response = post(client, f"{PREVIEW}/{name}", content, token_of(client), taal=lang)
    assert response.status_code == 200
    payload = response.get_json()
    assert isinstance(payload, dict) and set(payload) == {"html", "problems", "status"}
    return BeautifulSoup(payload["html"], "html.parser")


def outcome(response: TestResponse) -> tuple[bool, str]:
    payload = response.get_json()
    assert isinstance(payload, dict)
    return bool(payload["deployed"]), BeautifulSoup(payload["html"], "html.parser").get_text(" ", strip=True)


@pytest.fixture
def owner(app: Flask, client: FlaskClient) -> FlaskClient:
    login_as(client, app, PROCES)
    return client


# --- the page -----------------------------------------------------------------------------------
def test_the_processen_page_links_each_form_to_the_form_editor_and_no_scenario(owner: FlaskClient) -> None:
    text = owner.get("/medewerker/processen").text
    assert f'href="{PAGE}/forms/intake.json"' in text and f'href="{PAGE}/forms/tevredenheid.json"' in text
    assert f'href="{PAGE}/scenarios/' not in text
    assert f'href="{NEW}"' in text


def test_the_editor_page_carries_the_form_in_use_and_a_preview_drawn_on_the_server(app: Flask,
                                                                                   owner: FlaskClient) -> None:
    response = owner.get(f"{PAGE}/{INTAKE_FORM}")
    assert response.status_code == 200
    soup = check_page(response.text)
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Formulier intake bewerken"
    editor = soup.find(id="formulier-editor")
    assert isinstance(editor, Tag)
    assert json.loads(str(editor["data-json"])) == intake_json(app)
    assert editor["data-preview-url"] == f"{PREVIEW}/{INTAKE_FORM}" and not editor.has_attr("data-nieuw")
    texts = json.loads(str(editor["data-texts"]))
    assert texts["viewJson"] == "JSON bewerken" and texts["widgets"]["radio"] == "Keuzerondjes (één keuze)"
    region = soup.select_one("[data-form-preview]")
    assert region is not None and region.find(id="veld-naam") is not None
    assert soup.select_one('script[src$="vendor/editor/form-editor.js"]') is not None
    buttons = [button.get_text(strip=True) for button in soup.select("#editor-opslaan button")]
    assert buttons == ["Alleen controleren", "Controleren en in gebruik nemen"]


@pytest.mark.parametrize("name", ["forms/bestaat_niet.json", "scenarios/eenvoudig_toegekend.json", "wijkwens.bpmn",
                                  "texts/bevestiging.nl.txt", "../pyproject.toml", "forms/../forms/intake.json"])
def test_only_forms_in_use_open_in_the_editor(owner: FlaskClient, name: str) -> None:
    assert owner.get(f"{PAGE}/{name}").status_code == 404


@pytest.mark.parametrize("name", ["scenarios/nieuw.json", "forms/Hoofdletters.json", "texts/x.json", "x.bpmn",
                                  "forms/sub/intake.json", "eenvoudig_toegekend.json"])
def test_the_editor_posts_only_to_a_form_in_use_or_a_new_form_in_forms(owner: FlaskClient, name: str) -> None:
    token = token_of(owner)
    content = encoded({"id": "x"})
    assert post(owner, f"{PREVIEW}/{name}", content, token).status_code == 404
    assert post(owner, f"{PAGE}/{name}", content, token, actie="in_gebruik").status_code == 404


# --- who may -------------------------------------------------------------------------------------
def test_every_other_role_is_refused_on_every_route(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    changed = encoded(with_question(intake_json(app)))
    for email in OTHER_ROLES:
        login_as(client, app, email)
        token = token_of(client)
        assert client.get(f"{PAGE}/{INTAKE_FORM}").status_code == 403
        assert client.get(NEW).status_code == 403
        assert client.get(f"{NEW}?id=peiling&titel=Peiling").status_code == 403
        assert post(client, f"{PREVIEW}/{INTAKE_FORM}", changed, token).status_code == 403
        assert post(client, f"{PAGE}/{INTAKE_FORM}", changed, token, actie="in_gebruik").status_code == 403
    assert versions(engine) == before


def test_anonymous_users_go_to_the_login_page(client: FlaskClient) -> None:
    for response in (client.get(f"{PAGE}/{INTAKE_FORM}"), client.get(NEW)):
        assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")
    for url in (f"{PREVIEW}/{INTAKE_FORM}", f"{PAGE}/{INTAKE_FORM}"):  # no session, so no valid token either
        assert client.post(url, data={"actie": "in_gebruik"}).status_code == 400


def test_posts_without_the_csrf_token_are_refused(app: Flask, owner: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    changed = encoded(with_question(intake_json(app)))
    assert post(owner, f"{PREVIEW}/{INTAKE_FORM}", changed, None).status_code == 400
    assert post(owner, f"{PAGE}/{INTAKE_FORM}", changed, None, actie="in_gebruik").status_code == 400
    assert post(owner, f"{PAGE}/{INTAKE_FORM}", changed, "niet-het-token", actie="in_gebruik").status_code == 400
    assert versions(engine) == before


# --- the preview ---------------------------------------------------------------------------------
def test_the_preview_draws_each_field_as_the_public_start_form_does(app: Flask, owner: FlaskClient) -> None:
    drawn = preview(owner, encoded(intake_json(app)))
    public = BeautifulSoup(app.test_client().get("/aanmelden/stap/wie").text, "html.parser")
    for field_id in ("veld-naam", "veld-email", "veld-soort_initiatiefnemer-0"):
        ours, theirs = drawn.find(id=field_id), public.find(id=field_id)
        assert isinstance(ours, Tag) and isinstance(theirs, Tag), field_id
        assert ours.attrs == theirs.attrs
    labels = [label.get_text(" ", strip=True) for label in drawn.find_all("label")]
    assert "Uw naam" in labels and "Postcode (niet verplicht)" in labels  # every step, in one preview
    assert [h.get_text(strip=True) for h in drawn.find_all("h4")][:2] == ["Stap 1 van 4: Over u",
                                                                          "Stap 2 van 4: Uw initiatief"]
    wijk = drawn.find(id="veld-wijk")
    assert isinstance(wijk, Tag) and "oost" in [option.get("value") for option in wijk.find_all("option")]


def test_the_preview_shows_a_new_required_question(app: Flask, owner: FlaskClient) -> None:
    drawn = preview(owner, encoded(with_question(intake_json(app))))
    question = drawn.find(id="veld-hoe_gehoord")
    assert isinstance(question, Tag) and question.get("aria-required") == "true"
    label = drawn.find("label", attrs={"for": "veld-hoe_gehoord"})
    assert label is not None and label.get_text(strip=True) == "Hoe hoorde u van het loket?"
    english = preview(owner, encoded(with_question(intake_json(app))), lang="en")
    label = english.find("label", attrs={"for": "veld-hoe_gehoord"})
    assert label is not None and label.get_text(strip=True) == "How did you hear of us?"
    assert "Step 1 of 4: About you" in english.get_text(" ", strip=True)


def test_the_preview_escapes_what_the_form_says(app: Flask, owner: FlaskClient) -> None:
    form = with_question(intake_json(app))
    form["fields"]["hoe_gehoord"]["label"]["nl"] = '<script>alert("x")</script>'
    drawn = preview(owner, encoded(form))
    assert drawn.find("script") is None
    label = drawn.find("label", attrs={"for": "veld-hoe_gehoord"})
    assert label is not None and label.get_text(strip=True) == '<script>alert("x")</script>'


def test_in_english_the_editor_speaks_english(app: Flask, owner: FlaskClient) -> None:
    owner.get("/taal/en")
    soup = check_page(owner.get(f"{PAGE}/{INTAKE_FORM}").text)
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Edit form intake"
    editor = soup.find(id="formulier-editor")
    assert isinstance(editor, Tag)
    texts = json.loads(str(editor["data-texts"]))
    assert texts["viewJson"] == "Edit JSON" and texts["add"] == "Add question"
    assert texts["widgets"]["checkboxes"] == "Checkboxes (several choices)"
    new = check_page(owner.get(NEW).text)
    assert new.h1 is not None and new.h1.get_text(strip=True) == "New form"


@pytest.mark.parametrize(
    ("content", "dutch"),
    [
        ('{"id": "intake", "title": ', "Dit is geen geldige JSON (regel 1, teken 27)."),
        ("", "Dit is geen geldige JSON (regel 1, teken 1)."),
        ("[" * 100_000 + "]" * 100_000, "Het formulier is te diep genest"),
        ('{"a":' * 50 + "1" + "}" * 50, "Het formulier is te diep genest"),
        ("[]", "moet een JSON-object zijn"),
        ('"tekst"', "moet een JSON-object zijn"),
        ('{"id": "intake"}', "het onderdeel 'title' ontbreekt"),
        ('{"id": "intake", "title": {"nl": "X"}, "schema": {"type": "object", "properties": {"a": {"type": "string"}}},'
         ' "fields": {"a": {"label": {"nl": "A"}, "widget": "schuifje"}}}', "het widget 'schuifje' bestaat niet"),
        ('{"id": "anders", "title": {"nl": "X"}, "schema": {"type": "object", "properties": {}}, "fields": {}}',
         "moet gelijk zijn aan de bestandsnaam 'intake'"),
        ('{"id": "intake", "title": {"nl": "X"}, "schema": {"type": "object", "properties": {"a": {"type": "string"}}, '
         '"required": 5}, "fields": {"a": {"label": {"nl": "A"}}}}', "geen geldig JSON Schema"),
    ],
)
def test_a_broken_form_gives_its_problems_in_dutch_in_the_preview(owner: FlaskClient, content: str,
                                                                  dutch: str) -> None:
    drawn = preview(owner, content.encode())
    assert dutch in drawn.get_text(" ", strip=True)
    assert drawn.find("input") is None


def test_problems_are_in_english_for_an_english_preview(owner: FlaskClient) -> None:
    drawn = preview(owner, b'{"id": "intake"', lang="en")
    assert "This is not valid JSON (line 1, character 16)" in drawn.get_text(" ", strip=True)


def test_a_preview_without_json_or_with_bytes_that_are_no_text_says_so(owner: FlaskClient) -> None:
    token = token_of(owner)
    for content in (None, b"\xff\xfe{"):
        response = post(owner, f"{PREVIEW}/{INTAKE_FORM}", content, token)
        assert response.status_code == 200
        payload = response.get_json()
        assert payload["problems"] == 1 and "Het voorbeeld toont 1 probleem." == payload["status"]


# --- check and put into use ----------------------------------------------------------------------
def test_checking_deploys_nothing(app: Flask, owner: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    response = post(owner, f"{PAGE}/{INTAKE_FORM}", encoded(with_question(intake_json(app))), token_of(owner),
                    actie="controleren")
    assert response.status_code == 200
    deployed, text = outcome(response)
    assert not deployed and "Geen problemen gevonden" in text and "dit formulier te gebruiken" in text
    assert versions(engine) == before
    assert "hoe_gehoord" not in intake_json(app)["fields"]


def test_putting_into_use_makes_new_versions_and_a_running_case_keeps_its_form(app: Flask, owner: FlaskClient,
                                                                                 engine: Engine) -> None:
    before_versions = versions(engine)
    before = Case.start(engine, complex_data())
    response = post(owner, f"{PAGE}/{INTAKE_FORM}", encoded(with_question(intake_json(app))), token_of(owner),
                    actie="in_gebruik", toelichting="Vraag hoe men van ons hoorde")
    assert response.status_code == 200
    deployed, text = outcome(response)
    after_versions = versions(engine)
    assert deployed and f"initiatief (versie {after_versions['initiatief']})" in text
    assert after_versions["initiatief"] == before_versions["initiatief"] + 1

    stored = studio.file_in_use(loket_of(app), INTAKE_FORM)
    assert stored is not None and stored.decode().startswith('{\n  "id": "intake",')  # kept tidy, as the bundle
    after = Case.start(engine, complex_data(hoe_gehoord="Via de buurtkrant"))
    loket = loket_of(app)
    assert "hoe_gehoord" not in loket.case_form(before.id, "intake").fields
    assert "hoe_gehoord" in loket.case_form(after.id, "intake").fields
    assert "hoe_gehoord" in loket.form("intake").fields
    page = app.test_client().get("/aanmelden/stap/wie")
    assert 'id="veld-hoe_gehoord"' in page.text  # the public start form asks it now


def test_the_same_form_again_makes_no_new_version(app: Flask, owner: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    response = post(owner, f"{PAGE}/{INTAKE_FORM}", encoded(json.dumps(intake_json(app))), token_of(owner),
                    actie="in_gebruik")
    deployed, text = outcome(response)
    assert response.status_code == 200 and deployed and "Er is niets veranderd" in text
    assert versions(engine) == before


def test_removing_a_field_the_diagrams_read_is_refused_with_the_models_problem(app: Flask, owner: FlaskClient,
                                                                                 engine: Engine) -> None:
    before = versions(engine)
    form = intake_json(app)
    del form["fields"]["reikwijdte"], form["schema"]["properties"]["reikwijdte"]
    form["schema"]["required"].remove("reikwijdte")
    form["steps"][1]["fields"].remove("reikwijdte")
    assert preview(owner, encoded(form)).find(id="veld-titel") is not None  # the form itself is fine
    response = post(owner, f"{PAGE}/{INTAKE_FORM}", encoded(form), token_of(owner), actie="in_gebruik")
    assert response.status_code == 400
    deployed, text = outcome(response)
    assert not deployed and "Er is niets in gebruik genomen" in text
    assert "categorisatie.dmn · Input_reikwijdte" in text and "leest 'reikwijdte'" in text
    assert versions(engine) == before


@pytest.mark.parametrize(("content", "dutch"), [
    (b'{"id": "intake",', "Dit is geen geldige JSON (regel 1, teken 17)"),
    (b"[" * 5000 + b"]" * 5000, "te diep genest"),
    (b"\xff{}", "intake.json is niet als UTF-8 opgeslagen."),
])
def test_a_form_that_cannot_be_read_is_refused_in_dutch(owner: FlaskClient, engine: Engine, content: bytes,
                                                        dutch: str) -> None:
    before = versions(engine)
    response = post(owner, f"{PAGE}/{INTAKE_FORM}", content, token_of(owner), actie="in_gebruik")
    assert response.status_code == 400
    deployed, text = outcome(response)
    assert not deployed and dutch in text
    assert versions(engine) == before


def test_a_post_without_a_form_says_what_to_send(owner: FlaskClient) -> None:
    response = post(owner, f"{PAGE}/{INTAKE_FORM}", None, token_of(owner), actie="controleren")
    assert response.status_code == 400
    assert "Kies een of meer bestanden" in outcome(response)[1]


# --- a new form ----------------------------------------------------------------------------------
def test_a_new_form_asks_an_id_and_a_title_and_opens_the_editor_on_a_valid_form(app: Flask, owner: FlaskClient,
                                                                                engine: Engine) -> None:
    soup = check_page(owner.get(NEW).text)
    assert soup.h1 is not None and soup.h1.get_text(strip=True) == "Nieuw formulier"
    assert {field.get("name") for field in soup.select(f'form[action="{NEW}"] input')} == {"id", "titel", "titel_en"}

    response = owner.get(f"{NEW}?id=buurtbudget_beoordelen&titel=Buurtbudget+beoordelen&titel_en=Assess")
    assert response.status_code == 200
    soup = check_page(response.text)
    editor = soup.find(id="formulier-editor")
    assert isinstance(editor, Tag) and editor["data-nieuw"] == "ja"
    assert editor["data-name"] == "forms/buurtbudget_beoordelen.json"
    form = json.loads(str(editor["data-json"]))
    assert form["id"] == "buurtbudget_beoordelen" and form["title"] == {"nl": "Buurtbudget beoordelen", "en": "Assess"}
    region = soup.select_one("[data-form-preview]")
    assert region is not None and region.find(id="veld-toelichting") is not None
    assert owner.get(f"{PAGE}/forms/buurtbudget_beoordelen.json").status_code == 404  # not in use yet

    before = versions(engine)
    response = post(owner, f"{PAGE}/forms/buurtbudget_beoordelen.json", encoded(form), token_of(owner),
                    actie="in_gebruik")
    assert response.status_code == 200 and outcome(response)[0]
    assert "forms/buurtbudget_beoordelen.json" in studio.files_in_use(loket_of(app))
    assert owner.get(f"{PAGE}/forms/buurtbudget_beoordelen.json").status_code == 200
    assert versions(engine) != before


@pytest.mark.parametrize(("query", "dutch"), [
    ("id=&titel=X", "Vul het id van het formulier in."),
    ("id=Met+Hoofdletters&titel=X", "Gebruik voor het id alleen kleine letters"),
    ("id=goed&titel=", "Vul de Nederlandse titel in."),
    ("id=" + "a" * 61 + "&titel=X", "Het id van het formulier mag maximaal 60 tekens lang zijn."),
])
def test_a_new_form_with_a_wrong_id_or_title_says_what_to_fix(owner: FlaskClient, query: str, dutch: str) -> None:
    response = owner.get(f"{NEW}?{query}")
    assert response.status_code == 400
    soup = check_page(response.text)
    assert dutch in soup.get_text(" ", strip=True)
    assert soup.find(id="formulier-editor") is None


def test_a_new_form_may_not_take_the_name_of_a_file_in_use(owner: FlaskClient) -> None:
    response = owner.get(f"{NEW}?id=intake&titel=Nog+een+intake")
    assert response.status_code == 400
    soup = check_page(response.text)
    assert "Er is al een bestand forms/intake.json" in soup.get_text(" ", strip=True)
    assert soup.find("a", href=f"{PAGE}/forms/intake.json") is not None
    response = owner.get(f"{NEW}?id=eenvoudig_toegekend&titel=Scenario")  # a scenario has that name
    assert response.status_code == 400 and "scenarios/eenvoudig_toegekend.json" in response.text
