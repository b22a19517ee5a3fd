"""The Alembic head creates exactly the tables the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

import processes.tables  # noqa: F401
from engine.db import Base, normalise_url
from processes.schema import upgrade_database
from processes.tables.search import SEARCH_OBJECTS
from tests.processes.migration_factories import empty_database


def _modelled(name: str | None, _type: str, _parents: object) -> bool:
    """The contact centre's search index (FTS5 tables, a trigram index) is made by migration
    0005 and by the listeners in processes/tables/search.py, not from a model."""
    return name not in SEARCH_OBJECTS


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return empty_database(request, tmp_path)


def test_head_matches_the_models(empty_database_url: str) -> None:
    upgrade_database(empty_database_url)
    db = create_engine(normalise_url(empty_database_url))
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": _modelled}), Base.metadata)
    db.dispose()
    assert diff == [], f"models changed without a migration: {diff}"


def test_upgrade_twice_is_harmless(empty_database_url: str) -> None:
    upgrade_database(empty_database_url)
    upgrade_database(empty_database_url)
    db = create_engine(normalise_url(empty_database_url))
    tables = set(inspect(db).get_table_names())
    db.dispose()
    assert {"process_instance", "open_task", "job", "audit_event", "model_version"} <= tables
