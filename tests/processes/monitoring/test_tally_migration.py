"""Migration 0016 on both databases: a database with facts from before gets its tallies counted
from them, and its triggers keep them from then on; going back drops both."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect

from engine.db import normalise_url
from processes.loket import build_loket
from processes.monitoring import Filters, Scope, dashboard
from processes.monitoring.history import generate
from processes.schema import alembic_config, upgrade_database
from tests.processes.migration_factories import database_at
from tests.processes.monitoring.factories import write_history
from tests.processes.monitoring.test_tallies import recounted, tallies


@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0015(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_at(request, tmp_path, "0015")


def _tables(url: str) -> set[str]:
    db = create_engine(normalise_url(url))
    found = set(inspect(db).get_table_names())
    db.dispose()
    return found


def test_the_upgrade_counts_the_facts_there_are_and_going_back_drops_the_tallies(
        url_at_0015: str, monkeypatch: pytest.MonkeyPatch) -> None:
    loket = build_loket(url_at_0015)
    write_history(loket)  # facts written before the tallies were there
    with monkeypatch.context() as facts_only:
        facts_only.setattr(Filters, "whole_months", lambda _self: None)
        before = dashboard(loket, Filters(), Scope())
    upgrade_database(url_at_0015)
    counted = tallies(loket)
    assert counted and counted == recounted(loket)
    after = dashboard(loket, Filters(), Scope())
    assert (after.volumes, after.cases, after.work) == (before.volumes, before.cases, before.work)
    assert {key: row.counts for key, row in after.steps.items()} == {
        key: row.counts for key, row in before.steps.items()}
    generate(loket, 30, months=2)  # kept by the triggers from now on
    assert tallies(loket) == recounted(loket)
    command.downgrade(alembic_config(url_at_0015), "0015")
    assert "monitor_tally" not in _tables(url_at_0015)
    generate(loket, 5, months=1)  # the facts are written without the triggers
    loket.engine.db.dispose()
