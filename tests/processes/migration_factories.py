"""Databases for the migration tests: empty, or brought to one revision, on the database a
fixture's ``request.param`` names ("sqlite" or "postgresql")."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from processes.schema import upgrade_database


def emptied_postgres(url: str) -> str:
    """The test server's database at ``url`` with nothing in its schema."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return url


def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'loket.sqlite3'}"
    return emptied_postgres(request.getfixturevalue("postgres_url"))


def database_at(request: pytest.FixtureRequest, tmp_path: Path, revision: str) -> str:
    url = empty_database(request, tmp_path)
    upgrade_database(url, revision)
    return url
