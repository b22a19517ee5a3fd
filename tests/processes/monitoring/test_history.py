"""The generated history (``loket demo --cases N``): every path, figures that hang together, no
budget spent twice, and the engine goes on numbering after it (PostgreSQL's sequence)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine import AuditEvent, OpenTask, ProcessInstance
from processes import MODELS_DIR, versions
from processes.loket import Loket
from processes.monitoring import Filters, Scope, dashboard
from processes.monitoring.history import generate
from tests.processes.factories import intake_data
from web import create_app, loket_of


@pytest.fixture
def deployed(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    loket = loket_of(app)
    loket.engine.deploy_directory(MODELS_DIR, actor="test")
    yield loket
    loket.engine.db.dispose()


def test_a_generated_history_covers_every_path(deployed: Loket) -> None:
    assert generate(deployed, 400, months=12) == 1
    found = dashboard(deployed, Filters(), Scope())
    assert found.volumes.total == 400
    assert sum(found.volumes.per_category.values()) == 400 and len(found.volumes.per_month) >= 12
    assert {"eenvoudig", "wijkwens", "complex"} <= set(found.volumes.per_category)
    assert {"eenvoudig/groen_beoordelen", "wijkwens/regiegroep_beoordelen", "complex/advies_besluit",
            "initiatief/categorie_bevestigen"} <= set(found.steps)
    confirm = found.steps["initiatief/categorie_bevestigen"]
    assert 0.3 < (confirm.within_norm_share or 0) < 1.0  # around the norm: most in time, some late
    assert any(use.changed for use in found.rules)
    assert found.questions.asked > found.questions.answered > 0
    assert found.satisfaction.answered > 0 and found.work
    assert any(row.overdue for row in found.work)
    for budget in found.budgets:
        assert budget.remaining >= 0, budget
    assert any(budget.granted for budget in found.budgets)
    with deployed.reading() as session:
        assert session.scalar(select(func.min(AuditEvent.detail["seconds"].as_integer()))) >= 0
        assert session.scalar(select(func.count()).select_from(OpenTask)) > 0
    started = deployed.engine.start("initiatief", intake_data(), actor="test")  # ids go on after the history
    assert started.id == 401
    with deployed.reading() as session:
        assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 401


def test_the_owners_page_counts_the_generated_initiatives_that_are_still_running(deployed: Loket) -> None:
    generate(deployed, 120, months=6)
    with deployed.reading() as session:
        running = session.scalar(select(func.count()).select_from(ProcessInstance)
                                 .where(ProcessInstance.state == "running"))
        complex_running = session.scalar(select(func.count()).select_from(ProcessInstance).where(
            ProcessInstance.state == "running", ProcessInstance.case_data["categorie"].as_string() == "complex"))
    rows = {row.process_id: row for row in versions.overview(deployed)}
    assert running and rows["initiatief"].current.running == running
    assert rows["complex"].current.running == complex_running
