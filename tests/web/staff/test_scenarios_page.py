"""Proefdraaien in the browser: the scenarios run against the owner's draft, a new scenario is
recorded by walking the draft through its forms (no case, no mail), and the drafts go into use
only when their scenarios pass or the owner says why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine import read_bundle_files
from engine.tables import ProcessInstance
from processes import MODELS_DIR, studio, studio_drafts
from processes.loket import Loket
from processes.scenario_files import scenarios_in
from tests.processes.factories import intake_data
from tests.web.staff.support import ACCEPT, BEHEER, INTAKE, KCC, PROCES, login_as
from tests.web_support import csrf_token

PAGE = "/medewerker/processen/proefdraaien"
RECORDER = PAGE + "/opnemen"
GREEN_DECISION = {"aanvulling_nodig": False, "besluit": "toegekend", "afspraken": "U plant zelf."}


def posted(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as a browser posts them."""
    def text(value: Any) -> Any:
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if isinstance(value, list):
            return [text(item) for item in value]
        return str(value)
    return {name: text(value) for name, value in answers.items()}


def act(client: FlaskClient, page: str, action: str, answers: dict[str, Any] | None = None,
        **extra: str) -> Any:
    recording = page.split('name="_opname" value="')[1].split('"')[0].replace("&#34;", '"').replace("&amp;", "&")
    data = {"csrf_token": csrf_token(page), "_opname": recording, "_actie": action, **posted(answers or {}), **extra}
    return client.post(RECORDER, data=data)


def bundled_count() -> int:
    return len(scenarios_in(read_bundle_files(MODELS_DIR))[0])


def cases(loket: Loket) -> int:
    with loket.reading() as session:
        return int(session.scalar(select(func.count()).select_from(ProcessInstance)) or 0)


def test_the_scenarios_run_against_the_owners_draft(app: Flask, client: FlaskClient, loket: Loket) -> None:
    login_as(client, app, PROCES)
    assert PAGE in client.get("/medewerker/processen").text
    page = client.get(PAGE)
    assert page.status_code == 200 and "U heeft geen concepten" in page.text
    ran = client.post(PAGE, data={"csrf_token": csrf_token(page.text)})
    assert f"{bundled_count()} geslaagd, 0 mislukt" in ran.text

    form = json.loads(studio.file_in_use(loket, "forms/groen_beoordelen.json") or b"{}")
    form["schema"]["properties"]["buren_gevraagd"] = {"type": "string", "minLength": 2}
    form["schema"]["required"].append("buren_gevraagd")
    form["fields"]["buren_gevraagd"] = {"label": {"nl": "Wat zeggen de buren?", "en": "What do the neighbours say?"}}
    studio_drafts.save(loket, PROCES, "forms/groen_beoordelen.json", json.dumps(form))
    page = client.get(PAGE)
    assert "forms/groen_beoordelen.json" in page.text
    ran = client.post(PAGE, data={"csrf_token": csrf_token(page.text)})
    assert "0 mislukt" not in ran.text and "Mislukt" in ran.text
    assert "buren_gevraagd" in ran.text  # the first difference names what the draft asks more
    # the draft is nobody else's: in use, the scenarios still pass
    assert studio.scenario_failures(loket, studio.bundle_in_use(loket)) == []


def test_a_recorded_scenario_becomes_the_owners_draft_and_runs(app: Flask, client: FlaskClient,
                                                                loket: Loket) -> None:
    login_as(client, app, PROCES)
    before = cases(loket)
    page = client.get(RECORDER)
    assert page.status_code == 200 and 'name="soort_initiatiefnemer"' in page.text

    wrong = act(client, page.text, "start", {**intake_data(), "email": "geen-adres"})
    assert wrong.status_code == 400 and "Controleer uw antwoorden" in wrong.text
    started = act(client, page.text, "start", intake_data())
    assert started.status_code == 200 and "Taak: Categorie bevestigen" in started.text
    assert 'id="opname-categorie">eenvoudig' in started.text

    confirmed = act(client, started.text, "taak:categorie_bevestigen", ACCEPT)
    assert "Taak: Groen initiatief beoordelen" in confirmed.text or "groen_beoordelen" in confirmed.text
    decided = act(client, confirmed.text, "taak:groen_beoordelen", GREEN_DECISION)
    back = act(client, decided.text, "terug")
    assert "Taak afgerond: groen_beoordelen" not in back.text  # one step back, and forward again
    decided = act(client, back.text, "taak:groen_beoordelen", GREEN_DECISION)
    assert "resultaat" in decided.text  # the mail that would go

    nameless = act(client, decided.text, "opslaan", _naam="  ")
    assert nameless.status_code == 400 and "Geef het scenario een naam" in nameless.text
    saved = act(client, decided.text, "opslaan", _naam="Geveltuin opgenomen")
    assert saved.status_code == 302
    draft = studio_drafts.load(loket, PROCES, "scenarios/opgenomen_geveltuin_opgenomen.json")
    assert draft is not None
    scenario = json.loads(draft.content)
    assert scenario["verwacht"]["pad"] == ["categorie_bevestigen", "groen_beoordelen"]
    assert scenario["verwacht"]["categorie"] == "eenvoudig" and scenario["verwacht"]["mails"] == ["resultaat"]
    assert cases(loket) == before  # a sandbox: no case was made

    page = client.get(PAGE)
    ran = client.post(PAGE, data={"csrf_token": csrf_token(page.text)})
    assert f"{bundled_count() + 1} geslaagd, 0 mislukt" in ran.text and "Geveltuin opgenomen" in ran.text


def test_a_failing_scenario_blocks_putting_the_drafts_into_use_until_a_reason(app: Flask, client: FlaskClient,
                                                                               loket: Loket) -> None:
    scenario = json.loads((MODELS_DIR / "scenarios" / "eenvoudig_toegekend.json").read_text())
    scenario["naam"] = "Verwacht een ander einde"
    scenario["verwacht"]["einde"] = "einde_afgewezen"
    studio_drafts.save(loket, PROCES, "scenarios/ander_einde.json", json.dumps(scenario))
    login_as(client, app, PROCES)
    page = client.get(PAGE)
    refused = client.post(PAGE + "/in-gebruik", data={"csrf_token": csrf_token(page.text), "reden": ""})
    assert refused.status_code == 400 and "Verwacht een ander einde" in refused.text
    assert "scenarios/ander_einde.json" not in studio.files_in_use(loket)

    page = client.get(PAGE)
    done = client.post(PAGE + "/in-gebruik", data={"csrf_token": csrf_token(page.text),
                                                    "reden": "Het einde wordt volgende week aangepast."})
    assert done.status_code == 302
    assert "scenarios/ander_einde.json" in studio.files_in_use(loket)
    assert studio_drafts.list_for(loket, PROCES) == []


def test_odd_recordings_are_answered_calmly(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    page = client.get(RECORDER).text
    token = csrf_token(page)
    for recording in ("{", "[]", json.dumps({"stappen": [{"vlieg": 1}]}), "x" * 300_000,
                      json.dumps({"gestart": True, "start": {}, "stappen": [{"wacht": {"werkdagen": 1}}] * 61})):
        answer = client.post(RECORDER, data={"csrf_token": token, "_opname": recording, "_actie": "start"})
        assert answer.status_code == 400 and "De opname kon niet worden gelezen" in answer.text
    started = act(client, page, "start", intake_data())
    not_open = act(client, started.text, "taak:tevredenheid", {})
    assert not_open.status_code == 400 and "wacht niet (meer) op deze taak" in not_open.text
    days = act(client, started.text, "wacht", _werkdagen="duizend")
    assert days.status_code == 400 and "heel getal" in days.text
    assert client.post(RECORDER, data={"_opname": "", "_actie": "start"}).status_code == 400  # no CSRF token


@pytest.mark.parametrize("who", [INTAKE, KCC, BEHEER])
def test_only_the_process_owner_may_try_out(app: Flask, client: FlaskClient, who: str) -> None:
    login_as(client, app, who)
    for url in (PAGE, RECORDER):
        assert client.get(url).status_code == 403
    assert client.post(PAGE, data={}).status_code in (400, 403)


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/medewerker/inloggen" in answer.headers["Location"]
