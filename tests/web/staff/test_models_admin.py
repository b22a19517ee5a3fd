"""The process owner checks and deploys changed diagrams in the browser, and sees what is in use."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.service import Engine
from engine.tables import ModelVersion
from engine.xmlsafe import MAX_MODEL_BYTES
from processes import MODELS_DIR
from tests.web.staff.support import PROCES, login_as
from tests.web_support import check_page, csrf_token

URL = "/medewerker/processen"
WIJKWENS = (MODELS_DIR / "wijkwens.bpmn").read_bytes()
NEW_STATUS = "De regiegroep van uw wijk kijkt naar uw wijkwens."


def changed_wijkwens() -> bytes:
    return WIJKWENS.replace(b"De regiegroep van uw wijk beoordeelt uw wijkwens.", NEW_STATUS.encode())


def versions(engine: Engine) -> dict[str, int]:
    with engine.db.transaction() as session:
        rows = session.execute(select(ModelVersion.process_id, func.max(ModelVersion.version_no))
                               .group_by(ModelVersion.process_id)).all()
    return dict(rows)


def send(client: FlaskClient, files: list[tuple[str, bytes]], action: str = "controleren") -> tuple[int, str]:
    token = csrf_token(client.get(URL).text)
    data = {"csrf_token": token, "actie": action,
            "bestanden": [(io.BytesIO(content), name) for name, content in files]}
    response = client.post(URL, data=data, content_type="multipart/form-data")
    if response.status_code == 302:
        response = client.get(response.headers["Location"])
    check_page(response.text)
    return response.status_code, response.text


def test_the_process_owner_sees_every_process_and_its_version(app: Flask, client: FlaskClient,
                                                              engine: Engine) -> None:
    login_as(client, app, PROCES)
    response = client.get("/medewerker/")
    assert 'href="/medewerker/processen"' in response.text  # in the menu
    text = client.get(URL).text
    check_page(text)
    for process_id in versions(engine):
        assert f"({process_id})" in text
    assert "Lopende initiatieven per versie" in text


def test_checking_a_changed_diagram_deploys_nothing(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    status, text = send(client, [("wijkwens.bpmn", changed_wijkwens())])
    assert status == 200
    assert "Geen problemen gevonden" in text and "Vervangt: wijkwens.bpmn." in text
    assert versions(engine) == before


def test_deploying_a_changed_diagram_makes_a_new_version_and_running_cases_keep_theirs(
    app: Flask, client: FlaskClient, engine: Engine
) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    status, text = send(client, [("wijkwens.bpmn", changed_wijkwens())], action="in_gebruik")
    assert status == 200 and "In gebruik genomen:" in text
    after = versions(engine)
    assert after["wijkwens"] == before["wijkwens"] + 1
    assert f"wijkwens (versie {after['wijkwens']})" in text
    assert after["eenvoudig"] == before["eenvoudig"]  # untouched processes keep their version

    status, text = send(client, [("wijkwens.bpmn", changed_wijkwens())], action="in_gebruik")
    assert "Er is niets veranderd" in text and versions(engine) == after


def test_a_broken_diagram_is_refused_with_its_problems_and_nothing_is_deployed(
    app: Flask, client: FlaskClient, engine: Engine
) -> None:
    before = versions(engine)
    broken = WIJKWENS.replace(b'value="wijkwens_beoordelen"', b'value="bestaat_niet"')
    login_as(client, app, PROCES)
    status, text = send(client, [("wijkwens.bpmn", broken)], action="in_gebruik")
    assert status == 400
    assert "Er is niets in gebruik genomen" in text
    assert re.search(r"wijkwens\.bpmn · regiegroep_beoordelen", text)
    assert "bestaat_niet" in text
    assert versions(engine) == before


def test_hostile_xml_is_refused_with_a_message(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&e;</bpmn:definitions>')
    login_as(client, app, PROCES)
    status, text = send(client, [("aanval.bpmn", xxe)], action="in_gebruik")
    assert status == 400 and "aanval.bpmn" in text and "root:" not in text
    assert versions(engine) == before


def test_unusable_uploads_get_a_clear_error(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, PROCES)
    cases = [
        ([], "Kies een of meer bestanden"),
        ([("notities.docx", b"hallo")], "notities.docx past niet"),
        ([("utf16.bpmn", "<a/>".encode("utf-16"))], "utf16.bpmn is niet als UTF-8 opgeslagen"),
        ([("groot.bpmn", b" " * (MAX_MODEL_BYTES + 1))], "groot.bpmn is groter dan 5 MB"),
        ([(f"m{n}.bpmn", b"<a/>") for n in range(21)], "Stuur hoogstens 20 bestanden"),
    ]
    for files, message in cases:
        status, text = send(client, files, action="in_gebruik")
        assert status == 400, message
        assert message in text and 'aria-invalid="true"' in text


def test_in_english_the_page_and_the_problems_are_in_english(app: Flask, client: FlaskClient) -> None:
    broken = WIJKWENS.replace(b'value="wijkwens_beoordelen"', b'value="bestaat_niet"')
    login_as(client, app, PROCES)
    client.get("/taal/en")
    status, text = send(client, [("wijkwens.bpmn", broken)], action="in_gebruik")
    assert status == 400
    assert "1 problem found" in text and "Nothing was put into use" in text
    assert "Check and put into use" in text and "Controleren" not in text
    assert "formulier" not in check_page(text).get_text().lower()  # the problem itself in English too (not the links)


def test_the_files_in_use_can_be_downloaded_to_change_them(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    text = client.get(URL).text
    assert 'href="/medewerker/processen/bestanden/wijkwens.bpmn"' in text
    response = client.get("/medewerker/processen/bestanden/wijkwens.bpmn")
    assert response.status_code == 200 and response.data == WIJKWENS
    assert "attachment" in response.headers["Content-Disposition"]
    for unknown in ("bestaat-niet.bpmn", "../pyproject.toml", "%2e%2e/README.md"):
        assert client.get(f"/medewerker/processen/bestanden/{unknown}").status_code == 404

    send(client, [("wijkwens.bpmn", changed_wijkwens())], action="in_gebruik")
    assert client.get("/medewerker/processen/bestanden/wijkwens.bpmn").data == changed_wijkwens()


def test_a_diagram_in_use_is_shown_with_its_steps_as_text(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    assert 'href="/medewerker/processen/bekijken/wijkwens.bpmn"' in client.get(URL).text
    response = client.get("/medewerker/processen/bekijken/wijkwens.bpmn")
    assert response.status_code == 200
    check_page(response.text)
    assert 'data-src="/medewerker/processen/bestanden/wijkwens.bpmn"' in response.text
    assert "Stappen in Wijkwens" in response.text
    assert "Beoordelen door regiegroep <span class=\"staff-muted\">(Taak voor een medewerker)" in response.text
    assert "Budget van de wijk reserveren <span class=\"staff-muted\">(Automatische stap)" in response.text
    for unknown in ("bestaat-niet.bpmn", "categorisatie.dmn", "../pyproject.toml"):
        assert client.get(f"/medewerker/processen/bekijken/{unknown}").status_code == 404


def test_deploying_needs_the_csrf_token(app: Flask, client: FlaskClient, engine: Engine) -> None:
    before = versions(engine)
    login_as(client, app, PROCES)
    response = client.post(URL, data={"actie": "in_gebruik",
                                      "bestanden": [(io.BytesIO(changed_wijkwens()), "wijkwens.bpmn")]},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert versions(engine) == before


def test_an_earlier_version_is_downloaded_and_sent_again_to_go_back(app: Flask, client: FlaskClient,
                                                                    engine: Engine) -> None:
    login_as(client, app, PROCES)
    send(client, [("wijkwens.bpmn", changed_wijkwens())], action="in_gebruik")
    with engine.db.transaction() as session:
        ids = dict(session.execute(select(ModelVersion.version_no, ModelVersion.id)
                                   .where(ModelVersion.process_id == "wijkwens")).all())
    text = client.get(URL).text
    assert f'href="/medewerker/processen/versies/{ids[1]}"' in text
    first = client.get(f"/medewerker/processen/versies/{ids[1]}")
    assert first.status_code == 200 and first.data == WIJKWENS
    assert "wijkwens.bpmn" in first.headers["Content-Disposition"]
    assert client.get(f"/medewerker/processen/versies/{ids[2]}").data == changed_wijkwens()
    assert client.get("/medewerker/processen/versies/99999").status_code == 404

    status, text = send(client, [("wijkwens.bpmn", first.data)], action="in_gebruik")
    assert "wijkwens (versie 3)" in text
    latest = client.get(URL).text
    assert client.get("/medewerker/processen/bestanden/wijkwens.bpmn").data == WIJKWENS
    assert "Een eerdere versie terugzetten?" in latest


def test_an_earlier_version_is_made_current_again_with_a_button(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    page = client.get(URL)
    assert "/in-gebruik" not in page.text, "one version only: nothing to go back to"
    edited = WIJKWENS.replace(b'name="Beoordelen door regiegroep"', b'name="Beoordelen door de regiegroep"')
    assert edited != WIJKWENS
    response = client.post(URL, data={"csrf_token": csrf_token(page.text), "actie": "in_gebruik",
                                      "toelichting": "Taaknaam verduidelijkt.",
                                      "bestanden": [(io.BytesIO(edited), "wijkwens.bpmn")]},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(URL)
    assert "Taaknaam verduidelijkt." in page.text
    forms = re.findall(r'action="(/medewerker/processen/versies/\d+/in-gebruik)"', page.text)
    assert forms, "the earlier versions can be made current again"
    response = client.post(forms[0], data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert client.get("/medewerker/processen/bestanden/wijkwens.bpmn").data == WIJKWENS
    assert "weer in gebruik genomen" in client.get(URL).text


def test_the_file_list_follows_each_deployment_at_once_and_the_language(app: Flask, client: FlaskClient) -> None:
    """The list of files in use is kept per bundle content and language (web.staff.studio.file_list,
    processes.studio._files_in_use): a new file is listed right after deploying it, and gone
    again when the earlier deployment is made current again."""
    login_as(client, app, PROCES)
    before = client.get(URL).text
    assert "extra_test.nl.txt" not in before
    texts = MODELS_DIR / "texts"
    new_texts = [(f"extra_test.{lang}.txt", (texts / f"masterclass.{lang}.txt").read_bytes()) for lang in ("nl", "en")]
    status, text = send(client, new_texts, action="in_gebruik")
    assert status == 200, text
    listed = re.findall(r'href="/medewerker/processen/bestanden/([^"]+)"', client.get(URL).text)
    added = [name for name in listed if name.endswith("extra_test.nl.txt")]
    assert added, "the new file is listed at once"
    assert client.get(f"/medewerker/processen/bestanden/{added[0]}").data == (texts / "masterclass.nl.txt").read_bytes()
    client.get("/taal/en?next=/")
    english = client.get(URL).text
    assert added[0] in english and ">download<" in english.replace("downloaden", "")
    client.get("/taal/nl?next=/")
    page = client.get(URL).text
    forms = re.findall(r'action="(/medewerker/processen/versies/\d+/in-gebruik)"', page)
    assert client.post(forms[0], data={"csrf_token": csrf_token(page)}).status_code == 302
    assert not any(name.endswith("extra_test.nl.txt") for name in re.findall(
        r'href="/medewerker/processen/bestanden/([^"]+)"', client.get(URL).text)), "gone with the earlier bundle"
    assert client.get(f"/medewerker/processen/bestanden/{added[0]}").status_code == 404
