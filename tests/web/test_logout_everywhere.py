"""Logging out ends the session on the server: a copy of the cookie taken before logout opens
nothing afterwards, for every staff role and for an initiator; every login gets a new session;
pages with personal data are never stored (``Cache-Control: no-store``), static files may be.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.db import Base, Database
from processes.demo.organisation import load_organisation
from processes.demo.staff import load_staff
from processes.documents import Upload, store_document
from tests.web.public.support import ALICE, log_in, start_case
from tests.web.staff.support import (
    BEHEER,
    FONDS,
    GROEN,
    GUIDE,
    INTAKE,
    KCC,
    OOST,
    PASSWORD,
    PROCES,
    VERGUNNINGEN,
    complex_case,
    fund_case,
    green_case,
    start,
    wijkwens_case,
)
from tests.web_support import ROOT, csrf_token
from web import create_app, engine_of
from web.public.auth import SESSION_KEY as INITIATOR_SESSION
from web.staff.auth import SESSION_TOKEN

NAME = "Jan Jansen"
"""The initiator's name in every staff case below (tests.processes.factories.intake_data)."""


@dataclass(frozen=True)
class Site:
    app: Flask
    pages: dict[str, tuple[str, str, str]]
    """Per staff role: the account, a page with personal data it may open, and a piece of that data."""
    initiator_case: str
    initiator_file: str
    staff_file: str


def _app_on(url: str, folder: Path) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                       "MAIL_FOLDER": str(folder / "mail")})


def _postgres_app(url: str, folder: Path) -> Flask:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    database = Database(url)
    Base.metadata.create_all(database.engine)
    database.dispose()
    app = _app_on(url, folder)
    engine = engine_of(app)
    engine.deploy_directory(ROOT / "bpmn_models", actor="test")
    with engine.db.transaction() as session:
        load_organisation(session)
        load_staff(session, password=PASSWORD)
    return app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("logout")
    if request.param == "sqlite":
        path = folder / "loket.sqlite3"
        shutil.copy(request.getfixturevalue("staff_sqlite"), path)
        app = _app_on(f"sqlite:///{path}", folder)
    else:
        app = _postgres_app(request.getfixturevalue("postgres_url"), folder)
    engine = engine_of(app)
    intake, complex_, green = start(engine), complex_case(engine), green_case(engine)
    oost, fund = wijkwens_case(engine, "oost"), fund_case(engine)
    mine = start_case(engine, ALICE, titel="Buurtfeest van Alice")
    with engine.db.transaction() as session:
        theirs = store_document(session, Upload("tekening.pdf", b"%PDF-1.4 tekening"), uploaded_by=ALICE,
                                instance_id=mine.id).public_id
        staff_file = store_document(session, Upload("plan.pdf", b"%PDF-1.4 plan"), uploaded_by=INTAKE,
                                    instance_id=intake.id).public_id
    pages = {
        "intake": (INTAKE, f"/medewerker/dossier/{intake.info.case_ref}", NAME),
        "begeleider": (GUIDE, f"/medewerker/dossier/{complex_.info.case_ref}", NAME),
        "specialist": (VERGUNNINGEN, f"/medewerker/dossier/{complex_.info.case_ref}", NAME),
        "team-groen": (GROEN, f"/medewerker/dossier/{green.info.case_ref}", NAME),
        "regiegroep": (OOST, f"/medewerker/dossier/{oost.info.case_ref}", NAME),
        "fondsbeheerder": (FONDS, f"/medewerker/dossier/{fund.info.case_ref}", NAME),
        "kcc": (KCC, f"/medewerker/kcc/{intake.info.case_ref}", NAME),
        "procesbeheerder": (PROCES, "/medewerker/processen", "Paul Hendriks"),
        "beheerder": (BEHEER, "/medewerker/beheer/gebruikers", KCC),
    }
    yield Site(app, pages, mine.case_ref, theirs, f"/medewerker/dossier/{intake.info.case_ref}/documenten/{staff_file}")
    engine.db.dispose()


def staff_login(client: FlaskClient, email: str) -> None:
    """Log in the way a person does: the login page, the e-mail address and the password."""
    token = csrf_token(client.get("/medewerker/inloggen").text)
    response = client.post("/medewerker/inloggen", data={"csrf_token": token, "email": email, "wachtwoord": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/medewerker/")


def cookie(client: FlaskClient) -> str:
    found = client.get_cookie("session")
    assert found is not None
    return found.value


def with_cookie(app: Flask, value: str) -> FlaskClient:
    """Another browser holding a copy of a session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def session_token(client: FlaskClient, key: str) -> object:
    with client.session_transaction() as session:
        return session.get(key)


@pytest.mark.parametrize("role", ["intake", "begeleider", "specialist", "team-groen", "regiegroep",
                                  "fondsbeheerder", "kcc", "procesbeheerder", "beheerder"])
def test_a_copied_staff_cookie_opens_nothing_after_logout(site: Site, role: str) -> None:
    email, url, personal = site.pages[role]
    client = site.app.test_client()
    staff_login(client, email)
    page = client.get(url)
    assert page.status_code == 200 and personal in page.text
    copied = cookie(client)
    assert with_cookie(site.app, copied).get(url).status_code == 200, "the copy works while the session runs"
    logout = client.post("/medewerker/uitloggen", data={"csrf_token": csrf_token(page.text)})
    assert logout.headers["Location"] == "/medewerker/inloggen"
    for browser in (with_cookie(site.app, copied), client):
        refused = browser.get(url)
        assert refused.status_code == 302 and refused.headers["Location"].startswith("/medewerker/inloggen")
        assert personal not in refused.text and NAME not in refused.text
        assert browser.get("/medewerker/").status_code == 302


def test_a_copied_initiator_cookie_opens_nothing_after_logout(site: Site) -> None:
    client = site.app.test_client()
    engine = engine_of(site.app)
    log_in(client, engine, ALICE)
    case_url = f"/mijn-initiatieven/{site.initiator_case}"
    file_url = f"{case_url}/document/{site.initiator_file}"
    page = client.get(case_url)
    assert page.status_code == 200 and "Buurtfeest van Alice" in page.text
    copied = cookie(client)
    assert with_cookie(site.app, copied).get(file_url).status_code == 200
    client.post("/uitloggen", data={"csrf_token": csrf_token(page.text)})
    for browser in (with_cookie(site.app, copied), client):
        for url in ("/mijn-initiatieven", case_url, file_url):
            refused = browser.get(url)
            assert refused.status_code == 302 and refused.headers["Location"].startswith("/inloggen")
            assert "Buurtfeest van Alice" not in refused.text and b"%PDF" not in refused.data


def test_every_staff_login_gets_a_new_session_and_ends_the_one_before(site: Site) -> None:
    """No session fixation: a cookie planted before a login is worth nothing after it, and a
    login over a running session (someone else at the same computer) ends that session."""
    client = site.app.test_client()
    assert client.get("/medewerker/inloggen").status_code == 200
    planted = cookie(client)
    staff_login(client, KCC)
    kcc_cookie, first = cookie(client), session_token(client, SESSION_TOKEN)
    assert kcc_cookie != planted and isinstance(first, str) and first
    assert with_cookie(site.app, planted).get("/medewerker/").status_code == 302
    token = csrf_token(client.get("/medewerker/").text)
    response = client.post("/medewerker/inloggen", data={"csrf_token": token, "email": INTAKE, "wachtwoord": PASSWORD})
    assert response.status_code == 302
    second = session_token(client, SESSION_TOKEN)
    assert isinstance(second, str) and second != first and cookie(client) != kcc_cookie
    assert client.get(site.pages["intake"][1]).status_code == 200
    refused = with_cookie(site.app, kcc_cookie).get(site.pages["kcc"][1])
    assert refused.status_code == 302 and NAME not in refused.text


def test_a_staff_login_ends_the_session_of_the_same_browser_before_it(site: Site) -> None:
    """Logging in over a running session (an initiator's, or a planted staff cookie whose
    owner logged in again elsewhere) leaves no second session running behind the new one."""
    client = site.app.test_client()
    log_in(client, engine_of(site.app), ALICE)
    initiator = cookie(client)
    assert with_cookie(site.app, initiator).get("/mijn-initiatieven").status_code == 200
    staff_login(client, INTAKE)
    assert session_token(client, INITIATOR_SESSION) is None
    assert with_cookie(site.app, initiator).get("/mijn-initiatieven").status_code == 302


def test_every_initiator_login_gets_a_new_session(site: Site) -> None:
    client = site.app.test_client()
    engine = engine_of(site.app)
    log_in(client, engine, ALICE)
    first_cookie, first = cookie(client), session_token(client, INITIATOR_SESSION)
    log_in(client, engine, ALICE)
    second = session_token(client, INITIATOR_SESSION)
    assert isinstance(first, str) and isinstance(second, str) and first != second
    assert cookie(client) != first_cookie
    assert with_cookie(site.app, first_cookie).get("/mijn-initiatieven").status_code == 302
    assert client.get("/mijn-initiatieven").status_code == 200


def test_pages_with_personal_data_are_not_stored_static_files_may_be(site: Site) -> None:
    staff, initiator, visitor = site.app.test_client(), site.app.test_client(), site.app.test_client()
    staff_login(staff, INTAKE)
    log_in(initiator, engine_of(site.app), ALICE)
    case_url = f"/mijn-initiatieven/{site.initiator_case}"
    personal = [
        (staff, "/medewerker/"), (staff, site.pages["intake"][1]), (staff, site.staff_file),
        (staff, "/medewerker/werkvoorraad"), (visitor, "/medewerker/inloggen"), (visitor, site.pages["kcc"][1]),
        (initiator, "/mijn-initiatieven"), (initiator, case_url),
        (initiator, f"{case_url}/document/{site.initiator_file}"),
        (visitor, "/aanmelden/stap/wie"), (visitor, "/inloggen"),
    ]
    for client, url in personal:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert "no-store" in response.headers.get("Cache-Control", ""), url
    for url in ("/static/loket.css", "/medewerker/static/staff.css"):
        response = staff.get(url)
        assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", ""), url
