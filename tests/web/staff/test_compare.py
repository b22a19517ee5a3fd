"""The compare page: the process owner picks two versions and sees the changes listed and
marked for the diagram; a version that does not exist is a 404 with a message, never a 500."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from engine import read_bundle_files
from processes import MODELS_DIR, studio, versions
from processes.loket import Loket
from tests.web.staff.support import PROCES, login_as


def test_the_owner_compares_a_changed_norm_with_the_version_before(app: Flask, client: FlaskClient,
                                                                    loket: Loket) -> None:
    changed = read_bundle_files(MODELS_DIR)["eenvoudig.bpmn"].replace(b"werkdagen(10)", b"werkdagen(12)")
    studio.deploy(loket, {"eenvoudig.bpmn": changed}, actor=PROCES, reason="proef")
    eenvoudig = next(row for row in versions.overview(loket) if row.process_id == "eenvoudig")
    new, old = eenvoudig.versions[0].version_id, eenvoudig.versions[1].version_id
    login_as(client, app, PROCES)
    models = client.get("/medewerker/processen").text
    assert f"/medewerker/processen/vergelijken?van={old}&amp;naar={new}#verschillen" in models

    page = client.get(f"/medewerker/processen/vergelijken?van={old}&naar={new}")
    assert page.status_code == 200
    assert "Van eenvoudig versie 1 naar eenvoudig versie 2" in page.text
    assert "timeDate: &#39;werkdagen(10)&#39; → &#39;werkdagen(12)&#39;" in page.text
    marker = page.text.split("data-markers='")[1].split("'")[0]
    assert json.loads(marker.replace("&#34;", '"')) == {"staff-nieuw": [], "staff-gewijzigd": ["norm_groen_beoordelen"]}
    diagram = client.get(f"/medewerker/processen/vergelijken/{new}/eenvoudig.bpmn")
    assert diagram.status_code == 200 and b"werkdagen(12)" in diagram.data
    assert client.get(f"/medewerker/processen/vergelijken/{old}/eenvoudig.bpmn").data.count(b"werkdagen(10)") == 1


def test_unknown_or_odd_versions_get_a_message_not_an_error(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    assert client.get("/medewerker/processen/vergelijken").status_code == 200
    missing = client.get("/medewerker/processen/vergelijken?van=1&naar=99999")
    assert missing.status_code == 404 and "Een van deze versies bestaat niet" in missing.text
    for odd in ("van=abc&naar=1", "van=-1&naar=2", "van=99999999999999&naar=1"):
        assert client.get(f"/medewerker/processen/vergelijken?{odd}").status_code == 200
    assert client.get("/medewerker/processen/vergelijken/99999/eenvoudig.bpmn").status_code == 404
    assert client.get("/medewerker/processen/vergelijken/1/bestaat-niet.bpmn").status_code == 404
