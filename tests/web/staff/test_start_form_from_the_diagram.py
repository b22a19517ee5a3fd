"""The start form is the one the start event of ``initiatief.bpmn`` names (``formId``): for the
public form and for registering on behalf of a caller. Changing it is a diagram edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import Base, Database, ModelInvalid
from engine.deploy import read_model_files
from engine.service import Engine
from processes import MODELS_DIR
from processes.errors import StartUnavailable
from processes.loket import Loket
from tests.web.staff.support import KCC, login_as
from tests.web_support import app_on_copy
from web import loket_of

FORM_ID = '<spiffworkflow:property name="formId" value="intake"/>'


def models_with_start_form(form_id: str, *, with_form: bool = False) -> dict[str, bytes]:
    """The bundle with the start event naming ``form_id``; ``with_form`` adds that form to the
    bundle (the intake form under another id and title)."""
    files = read_model_files(MODELS_DIR)
    diagram = files["initiatief.bpmn"].decode()
    assert FORM_ID in diagram
    files["initiatief.bpmn"] = diagram.replace(FORM_ID, FORM_ID.replace("intake", form_id), 1).encode()
    if with_form:
        intake = json.loads(files["forms/intake.json"])
        intake["id"] = form_id
        intake["title"] = {"nl": "Kort aanmelden", "en": "Quick registration"}
        files[f"forms/{form_id}.json"] = json.dumps(intake, ensure_ascii=False).encode()
    return files


def test_the_bundled_diagram_names_the_intake_form(loket: Loket) -> None:
    assert loket.start_form_id() == "intake"


def test_another_start_form_in_the_diagram_is_the_public_and_the_staff_form(
    app: Flask, client: FlaskClient, loket: Loket, engine: Engine
) -> None:
    """A form added to the bundle and named by the start event: one deployment, no code."""
    engine.deploy_files(models_with_start_form("aanmelden_kort", with_form=True), actor="procesbeheerder")
    assert loket.start_form_id() == "aanmelden_kort"
    first = client.get("/aanmelden")
    assert first.status_code == 302 and first.headers["Location"].endswith("/aanmelden/stap/wie")
    assert "Kort aanmelden" in client.get("/aanmelden/stap/wie").text
    login_as(client, app, KCC)
    assert client.get("/medewerker/aanmelden").status_code == 200


def test_a_start_form_that_does_not_exist_is_refused_by_the_check(engine: Engine) -> None:
    with pytest.raises(ModelInvalid) as refused:
        engine.deploy_files(models_with_start_form("bestaat_niet"), actor="procesbeheerder")
    assert "startevent.form_unknown" in [problem.code for problem in refused.value.problems]


def test_without_deployed_models_nobody_can_start_and_is_told_so(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'leeg.sqlite3'}")
    Base.metadata.create_all(database.engine)
    database.dispose()
    (tmp_path / "app").mkdir()
    with app_on_copy(tmp_path / "leeg.sqlite3", tmp_path / "app") as app:
        with pytest.raises(StartUnavailable):
            loket_of(app).start_form_id()
        response = app.test_client().get("/aanmelden")
        assert response.status_code == 503 and "Aanmelden kan nu niet" in response.text
