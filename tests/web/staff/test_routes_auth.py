"""Login, logout, session expiry, CSRF and the rate limit, through HTTP."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from engine import clock
from tests.web.staff.support import GROEN, INTAKE, PASSWORD, login_as
from tests.web_support import check_page, csrf_token
from web import create_app, engine_of


def post_login(client: FlaskClient, email: str, password: str, next_url: str = "") -> tuple[int, str, str]:
    token = csrf_token(client.get("/medewerker/inloggen").text)
    response = client.post("/medewerker/inloggen", data={"csrf_token": token, "email": email, "wachtwoord": password,
                                                         "next": next_url})
    return response.status_code, response.headers.get("Location", ""), response.text


def test_login_page_and_a_successful_login(client: FlaskClient) -> None:
    page = client.get("/medewerker/inloggen")
    soup = check_page(page.text)
    assert soup.find("input", attrs={"name": "wachtwoord", "autocomplete": "current-password"})
    status, location, _ = post_login(client, INTAKE, PASSWORD, next_url="/medewerker/werkvoorraad")
    assert (status, location) == (302, "/medewerker/werkvoorraad")
    home = client.get("/medewerker/")
    assert home.status_code == 200 and "Ilse de Wit" in home.text
    check_page(home.text)
    # A logged-in user who opens the login page goes to the start page.
    assert client.get("/medewerker/inloggen").headers["Location"] == "/medewerker/"


def test_the_session_cookie_is_permanent_and_http_only(client: FlaskClient) -> None:
    token = csrf_token(client.get("/medewerker/inloggen").text)
    response = client.post("/medewerker/inloggen", data={"csrf_token": token, "email": INTAKE, "wachtwoord": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_next_never_leaves_the_site(client: FlaskClient) -> None:
    status, location, _ = post_login(client, INTAKE, PASSWORD, next_url="https://evil.example/")
    assert (status, location) == (302, "/medewerker/")


def post_login_from(client: FlaskClient, email: str, password: str, ip: str) -> tuple[int, str]:
    """A login from the computer with address ``ip``; the page with the token and the address made neutral."""
    environ = {"REMOTE_ADDR": ip}
    token = csrf_token(client.get("/medewerker/inloggen", environ_base=environ).text)
    response = client.post("/medewerker/inloggen", environ_base=environ,
                           data={"csrf_token": token, "email": email, "wachtwoord": password})
    page = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="TOKEN"', response.text)
    return response.status_code, page.replace(email, "ADRES")


TOO_MANY = "Te veel pogingen. Wacht een paar minuten en probeer het opnieuw."


def test_wrong_password_says_so_and_too_many_slow_down_this_computer(client: FlaskClient) -> None:
    for _ in range(5):
        status, _, text = post_login(client, INTAKE, "fout-wachtwoord")
        assert status == 200 and "Het e-mailadres of het wachtwoord klopt niet." in text
        assert "geblokkeerd" not in text
    status, _, text = post_login(client, INTAKE, "fout-wachtwoord")
    assert status == 429 and TOO_MANY in text
    check_page(text)
    status, location, text = post_login(client, INTAKE, PASSWORD)
    assert status == 429 and TOO_MANY in text
    clock.set_time(clock.now() + timedelta(minutes=16))
    status, location, _ = post_login(client, INTAKE, PASSWORD)
    assert (status, location) == (302, "/medewerker/")


def test_a_login_page_never_tells_whether_an_address_has_an_account(app: Flask) -> None:
    """Known and unknown addresses get the same pages, attempt after attempt, throttle included."""
    known, unknown = app.test_client(), app.test_client()
    for _ in range(7):
        answer_known = post_login_from(known, INTAKE, "fout-wachtwoord", "192.0.2.10")
        answer_unknown = post_login_from(unknown, "niemand@gemeente.example", "fout-wachtwoord", "192.0.2.11")
        assert answer_known == answer_unknown
    assert answer_known[0] == 429 and TOO_MANY in answer_known[1]


def test_guessing_from_elsewhere_does_not_lock_the_real_user_out(app: Flask) -> None:
    attacker, colleague = app.test_client(), app.test_client()
    for _ in range(20):
        post_login_from(attacker, INTAKE, "raden-123", "203.0.113.66")
    assert post_login_from(attacker, INTAKE, PASSWORD, "203.0.113.66")[0] == 429
    environ = {"REMOTE_ADDR": "10.20.30.40"}
    token = csrf_token(colleague.get("/medewerker/inloggen", environ_base=environ).text)
    response = colleague.post("/medewerker/inloggen", environ_base=environ,
                              data={"csrf_token": token, "email": INTAKE, "wachtwoord": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, "/medewerker/")


def test_login_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/medewerker/inloggen", data={"email": INTAKE, "wachtwoord": PASSWORD})
    assert response.status_code == 400
    assert client.get("/medewerker/").status_code == 302


def test_logout_is_a_post_and_ends_the_session(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, INTAKE)
    assert client.get("/medewerker/uitloggen").status_code == 405
    token = csrf_token(client.get("/medewerker/").text)
    response = client.post("/medewerker/uitloggen", data={"csrf_token": token})
    assert response.headers["Location"] == "/medewerker/inloggen"
    assert "U bent uitgelogd" in client.get("/medewerker/inloggen").text
    assert client.get("/medewerker/").headers["Location"].startswith("/medewerker/inloggen")


def test_anonymous_users_go_to_the_login_page_and_come_back(client: FlaskClient) -> None:
    response = client.get("/medewerker/werkvoorraad?wijk=oost")
    assert response.status_code == 302
    assert response.headers["Location"] == "/medewerker/inloggen?next=/medewerker/werkvoorraad?wijk%3Doost"
    status, location, _ = post_login(client, GROEN, PASSWORD, next_url="/medewerker/werkvoorraad?wijk=oost")
    assert location == "/medewerker/werkvoorraad?wijk=oost"


def test_an_idle_session_expires(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, INTAKE)
    clock.set_time(clock.now() + timedelta(minutes=29))
    assert client.get("/medewerker/").status_code == 200
    clock.set_time(clock.now() + timedelta(minutes=29))  # 29 minutes after the last request
    assert client.get("/medewerker/").status_code == 200
    clock.set_time(clock.now() + timedelta(minutes=31))
    response = client.get("/medewerker/taken")
    assert response.status_code == 302 and response.headers["Location"].startswith("/medewerker/inloggen")
    assert "sessie is verlopen" in client.get("/medewerker/inloggen").text
    assert client.get("/medewerker/").status_code == 302


def test_a_session_ends_after_its_lifetime_even_when_active(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, INTAKE)
    for _ in range(17):  # 17 × 29 minutes > 8 hours
        clock.set_time(clock.now() + timedelta(minutes=29))
        response = client.get("/medewerker/")
    assert response.status_code == 302


def test_the_idle_timeout_is_configurable(app: Flask, client: FlaskClient) -> None:
    app.config["STAFF_IDLE_TIMEOUT"] = timedelta(minutes=5)
    login_as(client, app, INTAKE)
    clock.set_time(clock.now() + timedelta(minutes=6))
    assert client.get("/medewerker/").status_code == 302


def test_the_login_post_is_rate_limited(staff_sqlite: Path, tmp_path: Path) -> None:
    path = tmp_path / "limited.sqlite3"
    shutil.copy(staff_sqlite, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "RATELIMIT_ENABLED": True,
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    statuses = [client.post("/medewerker/inloggen", data={"email": f"x{n}@example.nl", "wachtwoord": "x"}).status_code
                for n in range(11)]
    engine_of(app).db.dispose()
    assert statuses == [200] * 10 + [429]
    assert client.get("/medewerker/inloggen").status_code == 200
