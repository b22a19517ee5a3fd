"""The start form is the one the start event of ``initiatief.bpmn`` names (``formId``): for the
public form and for registering on behalf of a caller. Changing it is a diagram edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from processes.errors import StartUnavailable
from processes.loket import Loket
from tests.web.staff.support import KCC, login_as

MODELS = Path(__file__).parents[3] / "bpmn_models"


def deploy_with_start_form(engine: Engine, form_id: str) -> None:
    files = {path.name: path.read_bytes() for path in MODELS.iterdir() if path.suffix in (".bpmn", ".dmn")}
    diagram = files["initiatief.bpmn"].decode()
    assert '<spiffworkflow:property name="formId" value="intake"/>' in diagram
    files["initiatief.bpmn"] = diagram.replace('<spiffworkflow:property name="formId" value="intake"/>',
                                               f'<spiffworkflow:property name="formId" value="{form_id}"/>', 1).encode()
    engine.deploy_files(files, actor="procesbeheerder")


def test_the_bundled_diagram_names_the_intake_form(loket: Loket) -> None:
    assert loket.start_form_id() == "intake"


def test_another_start_form_in_the_diagram_is_the_public_and_the_staff_form(
    app: Flask, client: FlaskClient, loket: Loket, engine: Engine
) -> None:
    deploy_with_start_form(engine, "voorbeeld")
    assert loket.start_form_id() == "voorbeeld"
    first = client.get("/aanmelden")
    assert first.status_code == 302 and first.headers["Location"].endswith("/aanmelden/stap/wie")
    assert "Voorbeeldformulier" in client.get("/aanmelden/stap/wie").text
    assert client.get("/aanmelden/stap/geld").status_code == 200, "a step of the new form"
    login_as(client, app, KCC)
    assert "U meldt dit initiatief aan als" in client.get("/medewerker/aanmelden").text


def test_without_a_start_form_nobody_can_start_and_is_told_so(
    client: FlaskClient, loket: Loket, engine: Engine
) -> None:
    deploy_with_start_form(engine, "bestaat_niet")
    with pytest.raises(StartUnavailable):
        loket.start_form_id()
    response = client.get("/aanmelden")
    assert response.status_code == 503 and "Aanmelden kan nu niet" in response.text
