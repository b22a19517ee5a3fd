"""The case file and the contact centre's case view show where an initiative is: the diagram of
its own model version with the open tasks outlined (the XML comes from a route with the page's
own access rules)."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from tests.web.staff.support import GROEN, KCC, OOST, green_case, login_as
from tests.web_support import check_page


@pytest.mark.parametrize(("who", "page"), [(GROEN, "/medewerker/dossier"), (KCC, "/medewerker/kcc")])
def test_the_case_page_outlines_the_open_task_in_its_diagram(app: Flask, client: FlaskClient, engine: Engine,
                                                            who: str, page: str) -> None:
    case = green_case(engine)
    [task] = engine.open_tasks(instance_id=case.info.id)
    login_as(client, app, who)
    text = client.get(f"{page}/{case.info.case_ref}").text
    check_page(text)
    url = f"{page}/{case.info.case_ref}/model/{task.process_id}"
    assert f'data-src="{html.escape(url)}"' in text and f'data-actief="{task.task_name}"' in text
    assert "bpmn-navigated-viewer" in text

    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert f'id="{task.process_id}"'.encode() in response.data and f'id="{task.task_name}"'.encode() in response.data
    assert client.get(f"{page}/{case.info.case_ref}/model/bestaat_niet").status_code == 404
    assert client.get(f"{page}/INI-1999-000001/model/{task.process_id}").status_code == 404


def test_the_diagram_follows_the_case_file_access_rules(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = green_case(engine)
    [task] = engine.open_tasks(instance_id=case.info.id)
    login_as(client, app, OOST)  # a regiegroep member: this green case is not theirs
    assert client.get(f"/medewerker/dossier/{case.info.case_ref}/model/{task.process_id}").status_code == 403
