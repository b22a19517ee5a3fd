"""The monitor counts the same after the retention policy ran: on a generated history of closed
and running initiatives, every figure of the dashboard but the survey's free-text comments is
unchanged once the personal data of the closed ones are gone."""

from __future__ import annotations

from datetime import timedelta

from engine import clock
from processes.anonymise import apply_all
from processes.loket import Loket
from processes.monitoring.dashboard import Dashboard, Scope, dashboard
from processes.monitoring.history import generate
from processes.monitoring.sql import Filters


def figures(found: Dashboard) -> tuple[object, ...]:
    return (found.volumes, found.steps, found.cases, found.slowest, found.work, found.questions, found.rules,
            found.satisfaction.scores, found.budgets)


def test_the_dashboard_is_the_same_after_anonymising(loket: Loket) -> None:
    generate(loket, 80, months=6)
    clock.set_time(clock.now() + timedelta(days=3 * 365))
    before = dashboard(loket, Filters(), Scope())
    assert before.volumes.per_state.get("completed", 0) > 20

    run = apply_all(loket)

    assert len(run.anonymised) == before.volumes.per_state["completed"] and run.failed == []
    after = dashboard(loket, Filters(), Scope())
    assert figures(after) == figures(before)
