"""Shared fixtures: a fresh SQLite file and a fresh PostgreSQL database per test run.

PostgreSQL tests never skip: if the server is unreachable they fail with a clear message.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from engine import clock
from engine.db import Base, Database

pytest_plugins = ["tests.web_support", "tests.smtp_support", "tests.oidc_support"]

POSTGRES_URL = os.environ.get("LOKET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin_url() -> str:
    return POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a database created for this test run (dropped afterwards)."""
    name = f"loket_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(_admin_url(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # pragma: no cover - environment problem
        pytest.fail(f"PostgreSQL is needed at {POSTGRES_URL} (set LOKET_TEST_POSTGRES_URL): {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = _admin_url().rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _import_all_tables() -> None:
    import processes.tables  # noqa: F401


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A clean database with every table, on SQLite and on PostgreSQL."""
    _import_all_tables()
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'loket.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    database = Database(url)
    if not database.is_sqlite:
        with database.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    Base.metadata.create_all(database.engine)
    database.dispose()
    yield url


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    """Every test starts and ends on the real clock."""
    clock.set_time(None)
    yield
    clock.set_time(None)
