"""The moving page: a dry run lists every running initiative on another version with whether it
can move; the owner moves the chosen ones; odd input gets a message, never a 500."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from processes.loket import Loket
from tests.processes.factories import Case, complex_data
from tests.processes.test_migration import deploy_new_version
from tests.web.staff.support import PROCES, login_as
from tests.web_support import csrf_token


def test_the_owner_sees_a_dry_run_and_moves_the_chosen_initiative(app: Flask, client: FlaskClient, loket: Loket,
                                                                   engine: Engine) -> None:
    first, second = Case.start(engine, complex_data()), Case.start(engine, complex_data(titel="Tweede"))
    new_version = deploy_new_version(loket)
    login_as(client, app, PROCES)
    models = client.get("/medewerker/processen").text
    assert "/medewerker/processen/verplaatsen?proces=complex&amp;versie=2#proefverplaatsing" in models

    page = client.get("/medewerker/processen/verplaatsen?proces=complex&versie=2")
    assert page.status_code == 200
    assert page.text.count("categorie_bevestigen") == 2 and first.info.case_ref in page.text
    assert first.refresh().model_version_id != new_version  # looking moves nothing

    done = client.post("/medewerker/processen/verplaatsen", data={
        "csrf_token": csrf_token(page.text), "proces": "complex", "versie": "2", "initiatief": first.info.case_ref})
    assert done.status_code == 200
    assert "1 van 1 initiatieven staan nu op complex versie 2." in done.text
    assert first.refresh().model_version_id == new_version
    assert second.refresh().model_version_id != new_version


def test_odd_choices_get_a_message(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    assert client.get("/medewerker/processen/verplaatsen").status_code == 400
    assert client.get("/medewerker/processen/verplaatsen?proces=complex&versie=99").status_code == 404
    assert client.get("/medewerker/processen/verplaatsen?proces=complex&versie=999999999999").status_code == 400
    page = client.get("/medewerker/processen/verplaatsen?proces=complex&versie=1")
    refused = client.post("/medewerker/processen/verplaatsen", data={"proces": "complex", "versie": "1"})
    assert page.status_code == 200 and refused.status_code == 400  # no CSRF token
