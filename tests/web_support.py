"""Web fixtures: an app on a prepared SQLite database (models deployed, organisation loaded),
a test client, and checks every rendered page must pass."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

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
