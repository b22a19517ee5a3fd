"""The owner's page of where initiatives wait: numbers per step, the heat classes for the
diagram, the initiatives at a step, and odd input without a 500."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from tests.processes.factories import Case, intake_data
from tests.web.staff.support import ACCEPT, INTAKE, PROCES, login_as


def test_the_owner_sees_where_initiatives_wait(app: Flask, client: FlaskClient, engine: Engine) -> None:
    first = Case.start(engine, intake_data(titel="Geveltuin Oost"))
    second = Case.start(engine, intake_data(titel="Geveltuin West"))
    second.advance(hours=5)
    second.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    login_as(client, app, PROCES)
    assert "/medewerker/processen/wachten/initiatief" in client.get("/medewerker/processen").text

    page = client.get("/medewerker/processen/wachten/initiatief")
    assert page.status_code == 200
    row = page.text.split("(categorie_bevestigen)")[1].split("</tr>")[0]
    cells = [cell.rpartition("<td>")[2] for cell in row.split("</td>")[:-1]]
    assert cells[1:] == ["0", "1", "5.0 uur", "5.0 uur"]  # late, completed, middle time, 80 of 100
    assert cells[0].startswith('<a class="utrecht-link" href="/medewerker/processen/wachten/initiatief?stap=')
    heat = json.loads(page.text.split("data-markers='")[1].split("'")[0].replace("&#34;", '"'))
    assert heat["staff-warm-1"] == ["categorie_bevestigen"]

    listed = client.get("/medewerker/processen/wachten/initiatief?stap=categorie_bevestigen")
    assert first.info.case_ref in listed.text and "Geveltuin Oost" in listed.text
    assert second.info.case_ref not in listed.text


def test_odd_input_is_answered_calmly(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    assert client.get("/medewerker/processen/wachten/bestaat-niet").status_code == 404
    assert client.get("/medewerker/processen/wachten/initiatief?van=gisteren&tot=2026-13-45").status_code == 200
    assert client.get("/medewerker/processen/wachten/initiatief?stap=" + "x" * 5000).status_code == 200
