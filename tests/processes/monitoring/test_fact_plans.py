"""Query plans of the dashboard on PostgreSQL at a size where a sequential scan costs (36,000
initiatives over three years with three completed steps each, analysed): the overview and the
months a period covers whole are read from the tallies (no step fact is read); the days of a
month a period covers in part, filtered by category and district too, read the facts through
their indexes, never a whole fact table. The plans are those of the statements the dashboard
really sends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

import processes.tables  # noqa: F401 - every table on the metadata
from engine import Base
from processes import MODELS_DIR
from processes.loket import Loket, build_loket
from processes.monitoring import Filters, Scope, dashboard
from processes.monitoring.grouped import from_facts
from tests.processes.test_scale_plans import scans

SIZE = 36_000
FACTS = {"case_fact", "step_fact"}

# Three years from 2023, one initiative every 45 minutes; per initiative three steps.
ROWS = f"""
INSERT INTO process_instance (id, case_ref, model_version_id, process_id, state, has_incident, title, case_data,
                              workflow_state, row_version, created_at, updated_at, started_by)
SELECT g, 'P-' || g, (SELECT max(id) FROM model_version WHERE process_id = 'initiatief'), 'initiatief', 'completed',
       false, 't', '{{}}'::json, ''::bytea, 1, timestamptz '2023-01-01 08:00+00' + g * interval '45 minutes',
       timestamptz '2023-01-01 08:00+00' + g * interval '45 minutes', 't'
FROM generate_series(1, {SIZE}) AS g;
INSERT INTO case_fact (instance_id, case_ref, created_at, month, created_work, state, category, suggested, rule,
                       district, kind, channel, outcome, score, commented_at, withdrawn, decided_at, decision_days,
                       asked, first_asked_at, asked_work, answered, first_answered_at, answered_work)
SELECT id, case_ref, created_at, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), id / 40, 'completed',
       (ARRAY['eenvoudig', 'wijkwens', 'complex'])[1 + id % 3], 'eenvoudig', 'R1',
       (ARRAY['oost', 'west', 'centrum', 'noord'])[1 + id % 4], 'inwoner', 'online', 'toegekend', 1 + id % 5,
       CASE WHEN id % 7 = 0 THEN updated_at END, false, updated_at, id % 30, id % 2, created_at, id / 40,
       id % 2, created_at, id / 40 + 2
FROM process_instance;
INSERT INTO step_fact (instance_id, case_ref, created_at, process, element, done_at, seconds, work_days,
                       calendar_days, actor)
SELECT id, case_ref, created_at, step.process, step.element, created_at, 3600 * (id % 200), id % 20, id % 28, 't'
FROM process_instance, (VALUES ('initiatief', 'categorie_bevestigen'), ('eenvoudig', 'groen_beoordelen'),
                               ('complex', 'intakegesprek')) AS step (process, element);
"""


@pytest.fixture(scope="module")
def large(postgres_url: str) -> Iterator[Loket]:
    loket = build_loket(postgres_url)
    database = loket.engine.db
    with database.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    Base.metadata.create_all(database.engine)
    loket.engine.deploy_directory(MODELS_DIR, actor="test")
    with database.engine.begin() as conn:
        conn.execute(text(ROWS))
    with database.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    yield loket
    database.dispose()


def fact_scans(loket: Loket, filters: Filters, scope: Scope | None = None) -> list[tuple[str, str]]:
    def run(_session: Any) -> None:
        found = dashboard(loket, filters, scope or Scope())
        assert found.steps or scope is not None
    return [(kind, table) for kind, table in scans(loket.engine.db, run) if table in FACTS]


def seq_scans(found: list[tuple[str, str]]) -> list[str]:
    return sorted({table for kind, table in found if kind == "Seq Scan"})


def test_counting_the_whole_history_from_the_facts_reads_them_whole(large: Loket) -> None:
    """What the overview did before the tallies: the detector below sees it (so its silence means
    something)."""
    found = [(kind, table) for kind, table in scans(large.engine.db, lambda session: from_facts(session, Filters()))
             if table in FACTS]
    assert "case_fact" in seq_scans(found)


def test_the_overview_reads_the_tallies_not_the_facts(large: Loket) -> None:
    found = fact_scans(large, Filters())
    assert seq_scans(found) == []
    assert "step_fact" not in {table for _kind, table in found}


@pytest.mark.parametrize("filters", [
    Filters(date(2024, 6, 1), date(2024, 6, 30)),
    Filters(date(2025, 1, 1), None),
    Filters(date(2024, 1, 1), date(2024, 3, 31), "wijkwens", "oost"),
], ids=["a-month", "the-last-months", "a-quarter-of-wijkwensen-in-oost"])
def test_whole_months_are_read_from_the_tallies(large: Loket, filters: Filters) -> None:
    found = fact_scans(large, filters)
    assert seq_scans(found) == []
    assert "step_fact" not in {table for _kind, table in found}


@pytest.mark.parametrize("filters", [
    Filters(date(2024, 6, 10), date(2024, 9, 20)),
    Filters(date(2024, 6, 10), date(2024, 6, 20)),
    Filters(date(2024, 1, 15), date(2024, 3, 14), "wijkwens", "oost"),
], ids=["months-and-their-edges", "days-of-a-month", "edges-of-wijkwensen-in-oost"])
def test_the_days_of_a_month_in_part_are_read_through_the_indexes(large: Loket, filters: Filters) -> None:
    found = fact_scans(large, filters)
    assert seq_scans(found) == []
    assert {table for _kind, table in found} == FACTS
    assert any(kind in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan") and table == "case_fact"
               for kind, table in found)


def test_a_team_leads_steps_of_a_month_are_read_through_the_index(large: Loket) -> None:
    found = fact_scans(large, Filters(date(2024, 6, 1), date(2024, 6, 30)), Scope(frozenset({"team-groen"})))
    assert seq_scans(found) == []
