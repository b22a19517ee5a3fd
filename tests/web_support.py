"""Web fixtures: an app on a prepared SQLite database (models deployed, organisation loaded),
a test client, and checks every rendered page must pass."""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.pool import Pool
from werkzeug.test import TestResponse

from engine.db import Base, Database
from processes.loket import Loket
from web import create_app, engine_of, loket_of

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="session")
def prepared_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with every table, the bundled models deployed and the demo organisation."""
    import processes.tables  # noqa: F401
    from processes.demo.organisation import load_organisation

    path = tmp_path_factory.mktemp("prepared") / "loket.sqlite3"
    database = Database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    database.dispose()
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}"})
    engine = engine_of(app)
    engine.deploy_directory(ROOT / "bpmn_models", actor="test")
    with engine.db.transaction() as session:
        load_organisation(session)
    engine.db.dispose()
    return path


STAFF_PASSWORD = "test-wachtwoord-123"
"""The password of every demo staff account in the test databases."""


@pytest.fixture(scope="session")
def staff_sqlite(prepared_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The prepared database plus the demo staff accounts (processes.demo.staff)."""
    from processes.demo.staff import load_staff

    path = tmp_path_factory.mktemp("staff") / "loket.sqlite3"
    shutil.copy(prepared_sqlite, path)
    database = Database(f"sqlite:///{path}")
    with database.transaction() as session:
        load_staff(session, password=STAFF_PASSWORD)
    database.dispose()
    return path


@contextmanager
def app_on_copy(source: Path, folder: Path, **config: object) -> Iterator[Flask]:
    """An app on a private copy of a prepared database file, mail written to ``folder/mail``."""
    path = folder / "loket.sqlite3"
    shutil.copy(source, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "RATELIMIT_ENABLED": False,
                      "MAIL_FOLDER": str(folder / "mail")} | config)
    try:
        yield app
    finally:
        engine_of(app).db.dispose()


@pytest.fixture
def app(prepared_sqlite: Path, tmp_path: Path) -> Iterator[Flask]:
    with app_on_copy(prepared_sqlite, tmp_path) as app:
        yield app


@pytest.fixture
def loket(app: Flask) -> Loket:
    """The application of ``app``: what the use cases take."""
    return loket_of(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def check_response(response: TestResponse) -> None:
    """What every response in the web tests must be: never a crash (500), and every HTML page
    with a language, a title and forms that post with an action and a CSRF token."""
    assert response.status_code != 500, f"{response.request.path} crashed: {response.status_code}"
    if response.mimetype != "text/html" or not response.data:
        return
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    where = response.request.path
    assert soup.html is not None and soup.html.get("lang") in ("nl", "en"), f"{where}: no language"
    assert soup.title is not None and soup.title.get_text(strip=True), f"{where}: no title"
    for form in soup.find_all("form"):
        assert form.get("action"), f"{where}: a form without an action"
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), f"{where}: a posting form without CSRF token"


class _Connections(threading.local):
    """Database connections this thread holds now, and the most it held at once."""

    def __init__(self) -> None:
        self.open = 0
        self.most = 0


_held = _Connections()


@event.listens_for(Pool, "checkout")
def _checked_out(*_args: Any) -> None:
    _held.open += 1
    _held.most = max(_held.most, _held.open)


@event.listens_for(Pool, "checkin")
def _checked_in(*_args: Any) -> None:
    _held.open = max(0, _held.open - 1)


class CheckedClient(FlaskClient):
    """A test client that checks every response it gets (:func:`check_response`), and that the
    request never held two units of work (database connections) at once: on SQLite a second one
    would wait for the first."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        before = _held.most = _held.open
        response = super().open(*args, **kwargs)
        assert _held.most - before <= 1, f"{response.request.path} held {_held.most - before} connections at once"
        check_response(response)
        return response


@pytest.fixture(autouse=True)
def _checked_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test client of every app in the tests checks every page it gets."""
    monkeypatch.setattr(Flask, "test_client_class", CheckedClient)


def check_page(html: str) -> BeautifulSoup:
    """What every page must have: a language, a title, one h1, forms with an action and a
    CSRF token when they post, and a label for every visible input."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html.get("lang") in ("nl", "en")
    assert soup.title is not None and soup.title.get_text(strip=True)
    assert len(soup.find_all("h1")) == 1, "a page has exactly one h1"
    for form in soup.find_all("form"):
        assert form.get("action"), "every form has an action"
        if (form.get("method") or "get").lower() == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), "every posting form has a CSRF token"
    labelled = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit", "button") or field.get("name") == "website":
            continue
        assert field.get("id") in labelled or field.get("aria-label"), f"unlabelled field {field}"
    return soup
