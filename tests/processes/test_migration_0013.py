"""Migration 0013 on PostgreSQL: the search text becomes a stored column with its own index,
filled for the initiatives there are; going back restores the index on the expression."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from engine.db import normalise_url
from processes.schema import alembic_config, upgrade_database
from tests.processes.migration_factories import emptied_postgres


@pytest.fixture
def url_at_0012(postgres_url: str) -> str:
    upgrade_database(emptied_postgres(postgres_url), "0012")
    return postgres_url


def _indexes(url: str) -> set[str]:
    db = create_engine(normalise_url(url))
    names = {index["name"] for index in inspect(db).get_indexes("process_instance")}
    db.dispose()
    return {str(name) for name in names}


def test_the_search_text_is_filled_and_going_back_restores_the_expression_index(url_at_0012: str) -> None:
    db = create_engine(normalise_url(url_at_0012))
    with db.begin() as conn:
        conn.execute(text("INSERT INTO model_bundle (id, content_hash, files, deployed_at, deployed_by) "
                          "VALUES (1, 'h', '{}', now(), 'x')"))
        conn.execute(text("INSERT INTO model_version (id, process_id, version_no, content_hash, bundle_id, spec, "
                          "deployed_at) VALUES (1, 'initiatief', 1, 'h', 1, '', now())"))
        conn.execute(text(
            "INSERT INTO process_instance (id, case_ref, model_version_id, process_id, state, has_incident, title, "
            "initiator, case_data, workflow_state, row_version, created_at, updated_at, started_by) VALUES "
            "(1, 'INI-2026-000001', 1, 'initiatief', 'running', false, 'Geveltuin Reeland', 'Anna@example.nl', "
            "'{\"naam\": \"Anna Kwakernaak\", \"postcode\": \"3311 AB\"}', ''::bytea, 1, now(), now(), 'x')"))
    assert "ix_process_instance_search" in _indexes(url_at_0012)
    upgrade_database(url_at_0012)
    with db.connect() as conn:
        stored = conn.scalar(text("SELECT search_text FROM process_instance WHERE id = 1"))
    assert stored == "ini-2026-000001 geveltuin reeland anna kwakernaak anna@example.nl 3311 ab"
    assert {"ix_process_instance_search_text"} <= _indexes(url_at_0012)
    assert "ix_process_instance_search" not in _indexes(url_at_0012)
    command.downgrade(alembic_config(url_at_0012), "0012")
    assert "ix_process_instance_search" in _indexes(url_at_0012)
    assert "ix_process_instance_search_text" not in _indexes(url_at_0012)
    db.dispose()
