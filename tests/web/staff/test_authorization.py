"""Authorization: a role × route matrix over every staff route, and URL tampering.

The expected matrix is written out here, independent of the code: a route added without an
entry makes the matrix test fail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes.tables.case import CaseMessage
from processes.tables.staff import ContactMoment
from tests.web.staff.support import (
    BEHEER,
    FONDS,
    GROEN,
    GUIDE,
    INTAKE,
    KCC,
    OOST,
    OTHER_GUIDE,
    PRIVACY,
    PROCES,
    VERGUNNINGEN,
    WEST,
    assessed_case,
    complex_case,
    fund_case,
    green_case,
    login_as,
    start,
    wijkwens_case,
)
from tests.web_support import csrf_token

WORKERS = {"intake", "begeleider", "team-groen", "regiegroep", "fondsbeheerder", "specialist"}
EVERYONE = WORKERS | {"kcc", "procesbeheerder", "beheerder", "privacyfunctionaris"}
USERS = {"intake": INTAKE, "begeleider": GUIDE, "team-groen": GROEN, "regiegroep": OOST, "fondsbeheerder": FONDS,
         "specialist": VERGUNNINGEN, "kcc": KCC, "procesbeheerder": PROCES, "beheerder": BEHEER,
         "privacyfunctionaris": PRIVACY}
ROLES = ["anonymous", *USERS]


@dataclass(frozen=True)
class Route:
    method: str
    url: Callable[[dict[str, tuple[str, str]], str], str]
    allowed: frozenset[str]


def task_url(suffix: str = "") -> Callable[[dict[str, tuple[str, str]], str], str]:
    return lambda objects, role: f"/medewerker/taken/{objects.get(role, objects['intake'])[0]}{suffix}"


def case_url(suffix: str = "") -> Callable[[dict[str, tuple[str, str]], str], str]:
    return lambda objects, role: f"/medewerker/dossier/{objects.get(role, objects['intake'])[1]}{suffix}"


def fixed(url: str) -> Callable[[dict[str, tuple[str, str]], str], str]:
    return lambda _objects, _role: url


def kcc_url(suffix: str = "") -> Callable[[dict[str, tuple[str, str]], str], str]:
    return lambda objects, _role: f"/medewerker/kcc/{objects['intake'][1]}{suffix}"


REPLAY = "/medewerker/processen/bewerken/categorisatie.dmn/terugkijken"
MATRIX: dict[str, Route] = {
    "staff.home": Route("GET", fixed("/medewerker/"), frozenset(EVERYONE)),
    "staff.logout": Route("POST", fixed("/medewerker/uitloggen"), frozenset(EVERYONE)),
    "staff.my_tasks": Route("GET", fixed("/medewerker/taken"), frozenset(WORKERS)),
    "staff.team_tasks": Route("GET", fixed("/medewerker/werkvoorraad"), frozenset(WORKERS)),
    "staff.task": Route("GET", task_url(), frozenset(WORKERS)),
    "staff.task_post": Route("POST", task_url(), frozenset(WORKERS)),
    "staff.claim": Route("POST", task_url("/oppakken"), frozenset(WORKERS)),
    "staff.release": Route("POST", task_url("/vrijgeven"), frozenset(WORKERS)),
    "staff.hand_over": Route("POST", task_url("/overdragen"), frozenset(WORKERS)),
    "staff.case_file": Route("GET", case_url(), frozenset(WORKERS)),
    "staff.case_message": Route("POST", case_url("/bericht"), frozenset(WORKERS)),
    "staff.case_ask": Route("POST", case_url("/aanvulling"), frozenset(WORKERS)),
    "staff.case_contact": Route("POST", case_url("/contact"), frozenset(WORKERS)),
    "staff.case_guide": Route("POST", case_url("/begeleider"), frozenset({"intake"})),
    "staff.case_document": Route("GET", case_url("/documenten/onbekend"), frozenset(WORKERS)),
    "staff.case_diagram": Route("GET", case_url("/model/eenvoudig"), frozenset(WORKERS)),
    "staff.kcc_search": Route("GET", fixed("/medewerker/kcc?q=INI"), frozenset({"kcc"})),
    "staff.kcc_case": Route("GET", kcc_url(), frozenset({"kcc"})),
    "staff.kcc_contact": Route("POST", kcc_url("/contact"), frozenset({"kcc"})),
    "staff.kcc_diagram": Route("GET", kcc_url("/model/eenvoudig"), frozenset({"kcc"})),
    "staff.register": Route("GET", fixed("/medewerker/aanmelden"), frozenset({"kcc", "intake"})),
    "staff.register_post": Route("POST", fixed("/medewerker/aanmelden"), frozenset({"kcc", "intake"})),
    "staff.register_done": Route("GET", lambda objects, _r: f"/medewerker/aanmelden/{objects['intake'][1]}/klaar",
                                 frozenset({"kcc", "intake"})),
    "staff.incidents": Route("GET", fixed("/medewerker/storingen"), frozenset({"procesbeheerder"})),
    "staff.incident_retry": Route("POST", fixed("/medewerker/storingen/99999/opnieuw"),
                                  frozenset({"procesbeheerder"})),
    "staff.models": Route("GET", fixed("/medewerker/processen"), frozenset({"procesbeheerder"})),
    "staff.model_file": Route("GET", fixed("/medewerker/processen/bestanden/wijkwens.bpmn"),
                              frozenset({"procesbeheerder"})),
    "staff.model_view": Route("GET", fixed("/medewerker/processen/bekijken/wijkwens.bpmn"),
                              frozenset({"procesbeheerder"})),
    "staff.model_version_file": Route("GET", fixed("/medewerker/processen/versies/1"), frozenset({"procesbeheerder"})),
    "staff.models_post": Route("POST", fixed("/medewerker/processen"), frozenset({"procesbeheerder"})),
    "staff.model_version_current": Route("POST", fixed("/medewerker/processen/versies/99999/in-gebruik"),
                                         frozenset({"procesbeheerder"})),
    "staff.model_editor": Route("GET", fixed("/medewerker/processen/bewerken/wijkwens.bpmn"),
                                frozenset({"procesbeheerder"})),
    "staff.model_editor_post": Route("POST", fixed("/medewerker/processen/bewerken/wijkwens.bpmn"),
                                     frozenset({"procesbeheerder"})),
    "staff.model_editor_try": Route("POST", fixed("/medewerker/processen/bewerken/categorisatie.dmn/proberen"),
                                    frozenset({"procesbeheerder"})),
    "staff.form_editor": Route("GET", fixed("/medewerker/processen/formulieren/forms/intake.json"),
                               frozenset({"procesbeheerder"})),
    "staff.form_editor_post": Route("POST", fixed("/medewerker/processen/formulieren/forms/intake.json"),
                                    frozenset({"procesbeheerder"})),
    "staff.form_editor_preview": Route("POST", fixed("/medewerker/processen/formulieren-voorbeeld/forms/intake.json"),
                                       frozenset({"procesbeheerder"})),
    "staff.form_editor_new": Route("GET", fixed("/medewerker/processen/formulieren-nieuw"),
                                   frozenset({"procesbeheerder"})),
    "staff.text_editor": Route("GET", fixed("/medewerker/processen/teksten/texts/bevestiging.nl.txt"),
                               frozenset({"procesbeheerder"})),
    "staff.text_editor_post": Route("POST", fixed("/medewerker/processen/teksten/texts/bevestiging.nl.txt"),
                                    frozenset({"procesbeheerder"})),
    "staff.studio_draft": Route("GET", fixed("/medewerker/processen/concepten/wijkwens.bpmn"),
                                frozenset({"procesbeheerder"})),
    "staff.studio_draft_save": Route("PUT", fixed("/medewerker/processen/concepten/wijkwens.bpmn"),
                                     frozenset({"procesbeheerder"})),
    "staff.studio_draft_discard": Route("DELETE", fixed("/medewerker/processen/concepten/wijkwens.bpmn"),
                                        frozenset({"procesbeheerder"})),
    "staff.compare": Route("GET", fixed("/medewerker/processen/vergelijken?van=1&naar=2"),
                           frozenset({"procesbeheerder"})),
    "staff.compare_file": Route("GET", fixed("/medewerker/processen/vergelijken/1/wijkwens.bpmn"),
                                frozenset({"procesbeheerder"})),
    "staff.moving": Route("GET", fixed("/medewerker/processen/verplaatsen?proces=complex&versie=1"),
                          frozenset({"procesbeheerder"})),
    "staff.waiting": Route("GET", fixed("/medewerker/processen/wachten/eenvoudig"), frozenset({"procesbeheerder"})),
    "staff.scenarios_page": Route("GET", fixed("/medewerker/processen/proefdraaien"), frozenset({"procesbeheerder"})),
    "staff.scenarios_run": Route("POST", fixed("/medewerker/processen/proefdraaien"), frozenset({"procesbeheerder"})),
    "staff.scenarios_deploy": Route("POST", fixed("/medewerker/processen/proefdraaien/in-gebruik"),
                                    frozenset({"procesbeheerder"})),
    "staff.scenario_recorder": Route("GET", fixed("/medewerker/processen/proefdraaien/opnemen"),
                                     frozenset({"procesbeheerder"})),
    "staff.scenario_recorder_post": Route("POST", fixed("/medewerker/processen/proefdraaien/opnemen"),
                                          frozenset({"procesbeheerder"})),
    "staff.model_editor_replay_panel": Route("GET", fixed(REPLAY), frozenset({"procesbeheerder"})),
    "staff.model_editor_replay": Route("POST", fixed(REPLAY), frozenset({"procesbeheerder"})),
    "staff.admin": Route("GET", fixed("/medewerker/beheer"), frozenset({"beheerder"})),
    "staff.admin_districts": Route("GET", fixed("/medewerker/beheer/wijken"), frozenset({"beheerder"})),
    "staff.admin_teams": Route("GET", fixed("/medewerker/beheer/teams"), frozenset({"beheerder"})),
    "staff.admin_guides": Route("GET", fixed("/medewerker/beheer/begeleiders"), frozenset({"beheerder"})),
    "staff.admin_budgets": Route("GET", fixed("/medewerker/beheer/budgetten"), frozenset({"beheerder"})),
    "staff.admin_funds": Route("GET", fixed("/medewerker/beheer/fonds"), frozenset({"beheerder"})),
    "staff.admin_history": Route("GET", fixed("/medewerker/beheer/wijzigingen"), frozenset({"beheerder"})),
    "staff.admin_kcc_log": Route("GET", fixed("/medewerker/beheer/inzage-kcc"), frozenset({"beheerder"})),
    "staff.admin_guide": Route("POST", fixed("/medewerker/beheer/begeleiders/99999"), frozenset({"beheerder"})),
    "staff.admin_guide_create": Route("POST", fixed("/medewerker/beheer/begeleiders/nieuw"), frozenset({"beheerder"})),
    "staff.admin_budget": Route("POST", fixed("/medewerker/beheer/budgetten/99999"), frozenset({"beheerder"})),
    "staff.admin_budgets_create": Route("POST", fixed("/medewerker/beheer/budgetten/nieuw"),
                                        frozenset({"beheerder"})),
    "staff.admin_fund": Route("POST", fixed("/medewerker/beheer/fonds/99999"), frozenset({"beheerder"})),
    "staff.admin_fund_create": Route("POST", fixed("/medewerker/beheer/fonds/nieuw"), frozenset({"beheerder"})),
    "staff.admin_district": Route("POST", fixed("/medewerker/beheer/wijken/oost"), frozenset({"beheerder"})),
    "staff.admin_team": Route("POST", fixed("/medewerker/beheer/teams/team-groen"), frozenset({"beheerder"})),
    "staff.admin_district_create": Route("POST", fixed("/medewerker/beheer/wijken/nieuw"), frozenset({"beheerder"})),
    "staff.admin_team_create": Route("POST", fixed("/medewerker/beheer/teams/nieuw"), frozenset({"beheerder"})),
    "staff.admin_users": Route("GET", fixed("/medewerker/beheer/gebruikers"), frozenset({"beheerder"})),
    "staff.admin_user_new": Route("GET", fixed("/medewerker/beheer/gebruikers/nieuw"), frozenset({"beheerder"})),
    "staff.admin_user_create": Route("POST", fixed("/medewerker/beheer/gebruikers/nieuw"), frozenset({"beheerder"})),
    "staff.admin_user": Route("GET", fixed("/medewerker/beheer/gebruikers/99999"), frozenset({"beheerder"})),
    "staff.admin_user_update": Route("POST", fixed("/medewerker/beheer/gebruikers/99999"), frozenset({"beheerder"})),
    "staff.admin_user_active": Route("POST", fixed("/medewerker/beheer/gebruikers/99999/actief"),
                                     frozenset({"beheerder"})),
    "staff.admin_user_password": Route("POST", fixed("/medewerker/beheer/gebruikers/99999/wachtwoord"),
                                       frozenset({"beheerder"})),
    "staff.monitor": Route("GET", fixed("/medewerker/monitor"), frozenset({"procesbeheerder", "beheerder"})),
    "staff.monitor_export": Route("GET", fixed("/medewerker/monitor/export/stappen.csv"),
                                  frozenset({"procesbeheerder", "beheerder"})),
    "staff.monitor_report": Route("GET", fixed("/medewerker/monitor/rapport.html"),
                                  frozenset({"procesbeheerder", "beheerder"})),
    "staff.admin_retention": Route("GET", fixed("/medewerker/beheer/bewaartermijnen"), frozenset({"beheerder"})),
    "staff.admin_retention_post": Route("POST", fixed("/medewerker/beheer/bewaartermijnen/complex"),
                                        frozenset({"beheerder"})),
    "staff.admin_log_retention_post": Route("POST", fixed("/medewerker/beheer/bewaartermijnen-inzagelog"),
                                            frozenset({"beheerder"})),
    "staff.access_log_page": Route("GET", fixed("/medewerker/privacy/inzagelog"), frozenset({"privacyfunctionaris"})),
    "staff.access_log_csv": Route("GET", fixed("/medewerker/privacy/inzagelog.csv"),
                                  frozenset({"privacyfunctionaris"})),
    "staff.password": Route("GET", fixed("/medewerker/wachtwoord"), frozenset(EVERYONE)),
    "staff.password_post": Route("POST", fixed("/medewerker/wachtwoord"), frozenset(EVERYONE)),
}
OPEN = {"staff.login", "staff.login_post", "staff.static",
        # the organisation's sign-on (404 without one; tests/web/staff/test_oidc_login.py)
        "staff.sso_start", "staff.sso_callback"}


@pytest.fixture
def objects(engine: Engine) -> dict[str, tuple[str, str]]:
    """Per role a task (and its case) that role works on."""
    intake = start(engine)
    assessed = assessed_case(engine)  # before the other complex case, so Pieter Jansen (GUIDE) guides it
    complex_ = complex_case(engine)
    green = green_case(engine)
    oost = wijkwens_case(engine, "oost")
    fund = fund_case(engine)
    return {
        "intake": (intake.task("categorie_bevestigen").task_id, intake.info.case_ref),
        "begeleider": (assessed.task("advies_besluit").task_id, assessed.info.case_ref),
        "specialist": (complex_.task("toets_regels").task_id, complex_.info.case_ref),
        "team-groen": (green.task("groen_beoordelen").task_id, green.info.case_ref),
        "regiegroep": (oost.task("regiegroep_beoordelen").task_id, oost.info.case_ref),
        "fondsbeheerder": (fund.task("fonds_beoordelen").task_id, fund.info.case_ref),
    }


@pytest.fixture
def matrix_client(app: Flask) -> Iterator[FlaskClient]:
    app.config["WTF_CSRF_ENABLED"] = False  # the matrix tests authorization, not CSRF
    yield app.test_client()


def test_the_matrix_covers_every_staff_route(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("staff.")}
    assert endpoints - OPEN == set(MATRIX)
    for endpoint in MATRIX:
        view = app.view_functions[endpoint]
        assert getattr(view, "staff_roles", None) is not None, f"{endpoint} is not guarded by requires()"


@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(app: Flask, matrix_client: FlaskClient, objects: dict[str, tuple[str, str]],
                           role: str) -> None:
    problems = []
    for endpoint, route in MATRIX.items():
        if role != "anonymous":
            login_as(matrix_client, app, USERS[role])
        url = route.url(objects, role)
        response = matrix_client.open(url, method=route.method, data={})
        location = response.headers.get("Location", "")
        if role == "anonymous":
            ok = response.status_code == 302 and location.startswith("/medewerker/inloggen")
        elif role in route.allowed and endpoint == "staff.logout":
            ok = response.status_code == 302  # to the login page: what logging out is for
        elif role in route.allowed:
            ok = response.status_code in (200, 302, 400, 404, 409) and not location.startswith("/medewerker/inloggen")
        else:
            ok = response.status_code == 403
        if not ok:
            problems.append(f"{role} {route.method} {url} ({endpoint}): {response.status_code} {location}")
    assert problems == []


# --- URL tampering: the real requests a curious user could make -------------------------------
def tamper(client: FlaskClient, app: Flask, email: str, url: str, data: dict[str, str] | None = None) -> int:
    login_as(client, app, email)
    token = csrf_token(client.get("/medewerker/").text)
    if data is None:
        return client.get(url).status_code
    return client.post(url, data={"csrf_token": token, **data}).status_code


def test_another_teams_task_cannot_be_opened_claimed_or_completed(app: Flask, client: FlaskClient,
                                                                   engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    for email in (GROEN, OOST, FONDS, VERGUNNINGEN, GUIDE):
        assert tamper(client, app, email, f"/medewerker/taken/{task_id}") == 403
        assert tamper(client, app, email, f"/medewerker/taken/{task_id}",
                      {"actie": "afronden", "aanvulling_nodig": "", "categorie_akkoord": "true"}) == 403
        assert tamper(client, app, email, f"/medewerker/taken/{task_id}", {"actie": "concept"}) == 403
        assert tamper(client, app, email, f"/medewerker/taken/{task_id}/oppakken", {}) == 403
    assert case.task_names() == ["categorie_bevestigen"] and case.task("categorie_bevestigen").assignee is None


def test_a_regiegroep_member_cannot_touch_another_districts_wijkwens(app: Flask, client: FlaskClient,
                                                                     engine: Engine) -> None:
    west = wijkwens_case(engine, "west")
    task_id = west.task("regiegroep_beoordelen").task_id
    decision = {"actie": "afronden", "besluit": "toegekend", "toegekend_bedrag": "750"}
    assert tamper(client, app, OOST, f"/medewerker/taken/{task_id}") == 403
    assert tamper(client, app, OOST, f"/medewerker/taken/{task_id}", decision) == 403
    assert tamper(client, app, OOST, f"/medewerker/taken/{task_id}/oppakken", {}) == 403
    assert tamper(client, app, OOST, f"/medewerker/dossier/{west.info.case_ref}") == 403
    assert tamper(client, app, OOST, f"/medewerker/dossier/{west.info.case_ref}/aanvulling",
                  {"taak": task_id, "vraag": "Hoe hoog is het bedrag?"}) == 403
    assert west.task_names() == ["regiegroep_beoordelen"]
    # The west member can.
    assert tamper(client, app, WEST, f"/medewerker/taken/{task_id}", decision) == 302
    west.run_jobs()
    assert west.data["uitkomst"] == "toegekend"


def test_the_contact_centre_can_never_complete_a_task(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = green_case(engine)
    task_id = case.task("groen_beoordelen").task_id
    answers = {"actie": "afronden", "besluit": "toegekend", "afspraken": "Onderhoud door bewoners."}
    assert tamper(client, app, KCC, f"/medewerker/taken/{task_id}") == 403
    assert tamper(client, app, KCC, f"/medewerker/taken/{task_id}", answers) == 403
    assert tamper(client, app, KCC, f"/medewerker/taken/{task_id}/oppakken", {}) == 403
    assert tamper(client, app, KCC, f"/medewerker/dossier/{case.info.case_ref}") == 403
    assert tamper(client, app, KCC, f"/medewerker/dossier/{case.info.case_ref}/aanvulling",
                  {"taak": task_id, "vraag": "Vraag"}) == 403
    assert case.task_names() == ["groen_beoordelen"]
    # What the KCC may do: look and log the call.
    assert tamper(client, app, KCC, f"/medewerker/kcc/{case.info.case_ref}") == 200
    assert tamper(client, app, KCC, f"/medewerker/kcc/{case.info.case_ref}/contact",
                  {"kanaal": "telefoon", "samenvatting": "Vroeg naar de stand van zaken."}) == 302


def test_another_guides_task_and_guide_reassignment_are_refused(app: Flask, client: FlaskClient,
                                                                engine: Engine) -> None:
    case = assessed_case(engine)
    task_id = case.task("advies_besluit").task_id
    assert tamper(client, app, OTHER_GUIDE, f"/medewerker/taken/{task_id}") == 403
    assert tamper(client, app, OTHER_GUIDE, f"/medewerker/dossier/{case.info.case_ref}") == 403
    assert tamper(client, app, GUIDE, f"/medewerker/dossier/{case.info.case_ref}/begeleider",
                  {"begeleider": "3"}) == 403
    assert {task.assignee for task in case.tasks()} == {GUIDE}


def test_case_actions_on_a_case_out_of_reach_store_nothing(app: Flask, client: FlaskClient, engine: Engine) -> None:
    oost = wijkwens_case(engine, "oost")
    url = f"/medewerker/dossier/{oost.info.case_ref}"
    assert tamper(client, app, GROEN, f"{url}/bericht", {"bericht": "Hallo"}) == 403
    assert tamper(client, app, GROEN, f"{url}/contact", {"kanaal": "telefoon", "samenvatting": "x"}) == 403
    with engine.db.transaction() as session:
        assert session.scalars(select(CaseMessage)).all() == []
        assert session.scalars(select(ContactMoment)).all() == []


def test_handing_over_outside_the_team_is_refused(app: Flask, client: FlaskClient, engine: Engine) -> None:
    from processes.tables.staff import StaffUser

    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    with engine.db.transaction() as session:
        kcc_id = session.scalar(select(StaffUser.id).where(StaffUser.email == KCC))
    assert tamper(client, app, INTAKE, f"/medewerker/taken/{task_id}/overdragen", {"collega": str(kcc_id)}) == 400
    assert case.task("categorie_bevestigen").assignee is None
