"""Migration 0005 fills the new structures from the rows a database already has: a group row
per candidate group of every open task, and the contact centre's search index (on PostgreSQL
made again by 0013 as a generated column, which fills itself for the rows there are)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from engine import OpenTaskGroup
from engine.db import normalise_url
from processes import kcc
from processes.access import Principal
from processes.schema import upgrade_database
from tests.processes.migration_factories import database_at

AGENT = Principal(id=1, email="kcc@gemeente.example", name="K", session_token="t", roles=frozenset({"kcc"}))
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0004(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_at(request, tmp_path, "0004")


def test_open_tasks_and_initiatives_of_before_are_found_after(url_at_0004: str) -> None:
    db = create_engine(normalise_url(url_at_0004))
    with db.begin() as conn:
        conn.execute(text("INSERT INTO model_bundle (id, content_hash, files, deployed_at, deployed_by) "
                          "VALUES (1, 'h', '{}', :now, 'x')"), {"now": NOW})
        conn.execute(text("INSERT INTO model_version (id, process_id, version_no, content_hash, bundle_id, spec, "
                          "deployed_at) VALUES (1, 'initiatief', 1, 'h', 1, '', :now)"), {"now": NOW})
        conn.execute(text(
            "INSERT INTO process_instance (id, case_ref, model_version_id, process_id, state, has_incident, title, "
            "initiator, case_data, workflow_state, row_version, created_at, updated_at, started_by) VALUES "
            "(1, 'INI-2026-000001', 1, 'initiatief', 'running', false, 'Geveltuin Reeland', 'anna@example.nl', "
            "'{\"naam\": \"Anna Kwakernaak\", \"postcode\": \"3311 AB\"}', :state, 1, :now, :now, 'x')"),
            {"now": NOW, "state": b""})
        conn.execute(text(
            "INSERT INTO open_task (task_id, instance_id, case_ref, process_id, task_name, title, candidate_group, "
            "due_at, overdue, created_at) VALUES ('t1', 1, 'INI-2026-000001', 'initiatief', 'stap', 'Stap', "
            "'team-groen, regiegroep-oost', :now, false, :now), ('t2', 1, 'INI-2026-000001', 'initiatief', "
            "'ander', 'Ander', NULL, NULL, false, :now)"), {"now": NOW})
    upgrade_database(url_at_0004, "0005")
    with Session(db) as session:
        groups = session.execute(select(OpenTaskGroup.task_id, OpenTaskGroup.group_code)
                                 .order_by(OpenTaskGroup.group_code)).all()
    assert [tuple(row) for row in groups] == [("t1", "regiegroep-oost"), ("t1", "team-groen")]
    upgrade_database(url_at_0004)
    for query in ("kwakernaak", "3311ab", "anna@example"):
        with Session(db) as session:  # each search is logged; the log is not what this test is about
            assert [hit.case_ref for hit in kcc.find(session, AGENT, query).hits] == ["INI-2026-000001"]
            session.rollback()
    db.dispose()
