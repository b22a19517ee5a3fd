"""Staff sign-on with the organisation's OpenID Connect provider, through HTTP: the round trip in
claim mode and in account mode, roles and teams, the error pages (never a 500), and logout at the
loket and at the provider. The provider is real: node-oidc-provider (tests/oidc_support.py)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from processes import users
from processes.oidc.settings import SettingsInvalid
from processes.tables.login_session import LoginSession
from processes.tables.staff import LoginAttempt, StaffUser
from tests.oidc_support import ProviderBrowser, RunningProvider, callback_path
from tests.web.staff.support import BEHEER, INTAKE, KCC, PASSWORD, login_as, principal
from tests.web_support import CheckedClient, app_on_copy, check_page, csrf_token
from web import create_app, engine_of, loket_of
from web.staff import sso
from web.staff.auth import SESSION_TOKEN

START = "/medewerker/inloggen/organisatie"
MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(staff_sqlite: Path, tmp_path: Path, oidc_provider: RunningProvider) -> Iterator[MakeApp]:
    """``make_app(**settings)``: an app on a copy of the staff database, signing on at the test provider."""
    with ExitStack() as stack:
        count = iter(range(100))

        def make(**settings: object) -> Flask:
            folder = tmp_path / f"app{next(count)}"
            folder.mkdir()
            app = stack.enter_context(app_on_copy(staff_sqlite, folder, **oidc_provider.app_config(**settings)))
            app.test_client_class = CheckedClient
            return app

        yield make


def provider_address(client: FlaskClient, next_url: str = "") -> str:
    response = client.get(START, query_string={"next": next_url} if next_url else None)
    assert response.status_code == 302
    return response.headers["Location"]


def sign_on(client: FlaskClient, account: str, next_url: str = "", *, cancel: bool = False) -> tuple[int, str, str]:
    """The whole round trip: status, Location and text of the app's answer at the callback."""
    back = ProviderBrowser().sign_in(provider_address(client, next_url), account, cancel=cancel)
    response = client.get(callback_path(back))
    return response.status_code, response.headers.get("Location", ""), response.text


def test_without_sign_on_the_login_page_is_unchanged(client: FlaskClient) -> None:
    page = client.get("/medewerker/inloggen").text
    assert "organisatie-account" not in page and 'name="wachtwoord"' in page
    assert client.get(START).status_code == 404
    assert client.get(f"{START}/terug?code=x&state=y").status_code == 404


def test_claim_mode_round_trip_with_roles_and_teams(make_app: MakeApp, oidc_provider: RunningProvider) -> None:
    app = make_app()
    client = app.test_client()
    page = client.get("/medewerker/inloggen?next=/medewerker/werkvoorraad")
    soup = check_page(page.text)
    link = soup.find("a", string="Inloggen met uw organisatie-account")
    assert link is not None and link["href"] == f"{START}?next=/medewerker/werkvoorraad"
    assert soup.find("input", attrs={"name": "wachtwoord"}), "the local form stays"
    with client.session_transaction() as session:
        session[SESSION_TOKEN] = "token-van-een-eerdere-sessie"
    address = provider_address(client, "/medewerker/werkvoorraad")
    assert address.startswith(oidc_provider.issuer)
    with client.session_transaction() as session:
        pending = session[sso.PENDING]
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(address).query)["state"] == [pending["state"]]

    back = ProviderBrowser().sign_in(address, "anna")
    response = client.get(callback_path(back))
    assert (response.status_code, response.headers["Location"]) == (302, "/medewerker/werkvoorraad")
    with client.session_transaction() as session:
        assert sso.PENDING not in session and session[sso.ID_TOKEN].count(".") == 2
        token = session[SESSION_TOKEN]
    with engine_of(app).db.transaction() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.email == "anna.smit@gemeente.example"))
        assert user is not None and user.external
        assert {role.role for role in user.roles} == {"intake"}
        assert {m.team_code for m in user.memberships} == {"initiatieventeam"}
        assert db.scalar(select(LoginSession).where(LoginSession.staff_user_id == user.id)) is not None
    assert token and token != "token-van-een-eerdere-sessie"  # a new session at every login
    home = client.get("/medewerker/")
    assert home.status_code == 200 and "Anna Smit" in home.text
    assert "Wachtwoord wijzigen" not in home.text  # the organisation keeps the password
    assert client.get("/medewerker/werkvoorraad").status_code == 200  # intake works on tasks
    assert client.get("/medewerker/beheer/gebruikers").status_code == 403  # not a beheerder
    assert client.get("/medewerker/wachtwoord").headers["Location"] == "/medewerker/"
    # Back at the login page: already logged in.
    assert client.get(START).headers["Location"] == "/medewerker/"


def test_account_mode_uses_the_loket_s_own_roles(make_app: MakeApp) -> None:
    app = make_app(OIDC_MODE="accounts")
    client = app.test_client()
    status, location, _ = sign_on(client, "ilse")
    assert (status, location) == (302, "/medewerker/")
    home = client.get("/medewerker/")
    assert "Ilse de Wit" in home.text and "Wachtwoord wijzigen" in home.text
    assert client.get("/medewerker/werkvoorraad").status_code == 200
    # Someone without an account of the loket.
    status, _, text = sign_on(app.test_client(), "onbekend")
    assert status == 403 and "U heeft geen account in het loket" in text


def test_the_local_form_can_be_switched_off(make_app: MakeApp) -> None:
    app = make_app(OIDC_LOCAL_LOGIN="0", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    soup = check_page(client.get("/medewerker/inloggen").text)
    assert soup.find("a", string="Inloggen met uw organisatie-account") is not None
    assert soup.find("input", attrs={"name": "wachtwoord"}) is None
    # (there is no form, so no CSRF token to send: the check is off for this app)
    response = client.post("/medewerker/inloggen", data={"email": INTAKE, "wachtwoord": PASSWORD})
    assert response.status_code == 404
    # Accounts the loket made itself cannot be asked to choose a password nobody can use.
    login_as(client, app, INTAKE)
    assert "Wachtwoord wijzigen" not in client.get("/medewerker/").text
    assert client.get("/medewerker/wachtwoord").headers["Location"] == "/medewerker/"


def test_state_mismatch_is_refused(make_app: MakeApp) -> None:
    app = make_app()
    client = app.test_client()
    first = ProviderBrowser().sign_in(provider_address(client), "anna")
    provider_address(client)  # a second login in the same browser: the first answer is no longer expected
    response = client.get(callback_path(first))
    assert response.status_code == 400 and "Het inloggen is verlopen" in response.text
    # An answer nobody asked for (a forged link): also refused, and nobody is logged in.
    other = app.test_client()
    response = other.get(callback_path(first))
    assert response.status_code == 400
    assert client.get("/medewerker/").headers["Location"].startswith("/medewerker/inloggen")
    with engine_of(app).db.transaction() as db:
        outcomes = db.scalars(select(LoginAttempt.outcome)).all()
        assert list(outcomes).count("oidc_invalid") == 2 and "oidc_ok" not in outcomes


def test_an_answer_that_does_not_pass_the_checks(make_app: MakeApp) -> None:
    app = make_app()
    client = app.test_client()
    back = ProviderBrowser().sign_in(provider_address(client), "anna")
    response = client.get(callback_path(back.replace("iss=", "iss=https%3A%2F%2Felders.example%2F")))
    assert response.status_code == 400 and "Het inloggen is niet gelukt" in response.text


def test_cancelled_no_role_and_switched_off(make_app: MakeApp) -> None:
    app = make_app()
    status, _, text = sign_on(app.test_client(), "anna", cancel=True)
    assert status == 200 and "U bent niet ingelogd" in text and "afgebroken" in text
    status, _, text = sign_on(app.test_client(), "zonder-rol")
    assert status == 403 and "U heeft geen rol in het loket" in text
    kim = principal(engine_of(app), KCC)
    users.set_active(loket_of(app), principal(engine_of(app), BEHEER), kim.id, False)
    status, _, text = sign_on(app.test_client(), "kim")
    assert status == 403 and "Uw account staat uit" in text


def test_an_unreachable_provider_gets_a_page(make_app: MakeApp) -> None:
    app = make_app(OIDC_ISSUER="http://127.0.0.1:9", OIDC_TIMEOUT="2")
    client = app.test_client()
    response = client.get(START)
    assert response.status_code == 503 and "lukt nu niet" in response.text
    # The login page itself does not need the provider.
    assert client.get("/medewerker/inloggen").status_code == 200


def test_logout_ends_the_loket_session_and_goes_to_the_provider(make_app: MakeApp,
                                                                oidc_provider: RunningProvider) -> None:
    app = make_app()
    client = app.test_client()
    sign_on(client, "anna")
    with client.session_transaction() as session:
        id_token = session[sso.ID_TOKEN]
    token = csrf_token(client.get("/medewerker/").text)
    response = client.post("/medewerker/uitloggen", data={"csrf_token": token})
    assert response.status_code == 302
    address = response.headers["Location"]
    assert address.startswith(f"{oidc_provider.issuer}/session/end?")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(address).query))
    assert params == {"client_id": "loket", "id_token_hint": id_token,
                      "post_logout_redirect_uri": "http://localhost/medewerker/inloggen"}
    assert client.get("/medewerker/").headers["Location"].startswith("/medewerker/inloggen")
    with client.session_transaction() as session:
        assert sso.ID_TOKEN not in session
    with engine_of(app).db.transaction() as db:
        assert db.scalar(select(LoginSession)) is None
    # The provider accepts it: it asks the user to confirm logging out there too.
    status, _, body = ProviderBrowser().open(address)
    assert status == 200 and "logout" in body.lower()
    # A local login logs out at the loket only.
    login_as(client, app, INTAKE)
    token = csrf_token(client.get("/medewerker/").text)
    response = client.post("/medewerker/uitloggen", data={"csrf_token": token})
    assert response.headers["Location"] == "/medewerker/inloggen"


def test_the_environment_configures_the_sign_on(staff_sqlite: Path, tmp_path: Path, oidc_provider: RunningProvider,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in oidc_provider.app_config(OIDC_MODE="accounts").items():
        monkeypatch.setenv(name, str(value))
    with app_on_copy(staff_sqlite, tmp_path) as app:
        found = app.extensions[sso.EXTENSION]
        assert found is not None and found.settings.mode == "accounts" and found.settings.issuer == oidc_provider.issuer
    monkeypatch.delenv("OIDC_CLIENT_SECRET")
    with pytest.raises(SettingsInvalid, match="OIDC_CLIENT_SECRET"):
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}"})
