"""When the model in use fails on a submission, the initiative is still stored: the initiator
gets the usual confirmation, the case waits at the failing step and the process owner sees the
incident. Never a 503, never a lost submission."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from processes import MODELS_DIR
from tests.web.public.support import ALICE, body, fill_intake, last_mail
from tests.web_support import csrf_token


def deploy_dmn_that_divides_by_zero(engine: Engine) -> None:
    """A mistake no check can see: the table divides by a number that is zero at run time."""
    files = {path.name: path.read_bytes() for path in MODELS_DIR.iterdir() if path.suffix in (".bpmn", ".dmn")}
    table = files["categorisatie.dmn"].decode()
    assert "<text>gevraagd_bedrag</text>" in table
    files["categorisatie.dmn"] = table.replace("<text>gevraagd_bedrag</text>",
                                               "<text>gevraagd_bedrag / (len(disciplines) - 1)</text>").encode()
    engine.deploy_files(files, actor="procesbeheerder")


def test_a_submission_on_a_failing_model_is_stored_and_confirmed(app: Flask, client: FlaskClient,
                                                                 engine: Engine) -> None:
    deploy_dmn_that_divides_by_zero(engine)
    fill_intake(client)  # one discipline: the table divides by zero
    page = client.get("/aanmelden/controleren")
    response = client.post("/aanmelden/versturen", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/aanmelden/ontvangen")
    confirmation = client.get("/aanmelden/ontvangen").text
    assert "INI-" in confirmation
    [incident] = engine.incidents()
    assert incident.kind == "step" and incident.payload["element"] == "categoriseren"
    case = engine.instance(incident.instance_id or 0)
    assert case.has_incident and case.state == "running" and case.data["email"] == ALICE
    engine.run_due_jobs()
    assert case.case_ref in body(last_mail(app, ALICE)), "the usual confirmation mail"
