"""A period that covers months in part: every figure of the dashboard (tallies of whole months,
days of the months in part added or taken away from the facts) equals the figures counted by
hand, in Python, from every fact row and open task whose initiative came in in the period — on
SQLite and on PostgreSQL, for edges added and taken away at either end, within one month, and
with a category and a district."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

import pytest
from sqlalchemy import select

from engine import OpenTask, OpenTaskGroup
from processes.housekeeping import fold_tallies
from processes.loket import Loket
from processes.monitoring import Filters, Scope, dashboard
from processes.monitoring.dashboard import PROCESSES, norms_in_use
from processes.monitoring.history import generate
from processes.monitoring.leadtime import CALENDAR_UNITS
from processes.tables.facts import CaseFact, StepFact
from processes.vocabulary import INITIATOR_GROUP
from tests.processes.monitoring.test_facts import walk

UNKNOWN = "onbekend"
PERIODS = [
    Filters(date(2024, 10, 10), None),  # October read whole, its first nine days taken away
    Filters(date(2024, 10, 24), date(2025, 1, 9)),  # days added at the start, days added at the end
    Filters(date(2024, 9, 5), date(2025, 1, 22)),  # days taken away at both ends
    Filters(date(2024, 9, 14), date(2025, 1, 18), "wijkwens", "oost"),
    Filters(date(2024, 12, 4), date(2024, 12, 27)),  # one month less some days at each end
    Filters(date(2024, 11, 11), date(2024, 11, 19), "eenvoudig"),  # some days of one month
    Filters(None, date(2024, 12, 12), None, "west"),
    Filters(date(2024, 11, 13), date(2025, 2, 14), "complex"),
]


@dataclass(frozen=True)
class Facts:
    cases: list[Any]
    steps: dict[int, list[Any]]
    tasks: dict[int, list[Any]]


def _facts(loket: Loket) -> Facts:
    with loket.reading() as session:
        cases = list(session.execute(select(CaseFact)).scalars())
        for case in cases:
            session.expunge(case)
        steps: dict[int, list[Any]] = {}
        for step in session.execute(select(StepFact.instance_id, StepFact.process, StepFact.element,
                                           StepFact.work_days, StepFact.calendar_days)):
            steps.setdefault(step.instance_id, []).append(step)
        tasks: dict[int, list[Any]] = {}
        for task in session.execute(select(OpenTask.instance_id, OpenTaskGroup.group_code, OpenTask.overdue,
                                           OpenTask.assignee).join(OpenTaskGroup,
                                                                   OpenTaskGroup.task_id == OpenTask.task_id)):
            tasks.setdefault(task.instance_id, []).append(task)
    return Facts(cases, steps, tasks)


def _in(case: Any, filters: Filters) -> bool:
    day = case.created_at.astimezone(UTC).date()
    return ((filters.since is None or filters.since <= day) and (filters.until is None or day <= filters.until)
            and (filters.category is None or case.category == filters.category)
            and (filters.district is None or case.district == filters.district))


def _named(values: Counter[Any]) -> dict[str, int]:
    found: Counter[str] = Counter()
    for value, count in values.items():
        found[str(value) if value not in (None, "") else UNKNOWN] += count
    return dict(sorted(found.items()))


def by_hand(facts: Facts, filters: Filters, calendar_steps: set[str]) -> dict[str, Any]:
    """Every figure :func:`figures` reads, counted from the rows one by one."""
    cases = [case for case in facts.cases if _in(case, filters)]
    steps: dict[str, Counter[int]] = {}
    calendar: dict[str, Counter[int]] = {}
    work: dict[str, list[int]] = {}
    for case in cases:
        for step in facts.steps.get(case.instance_id, []):
            key = f"{step.process}/{step.element}"
            steps.setdefault(key, Counter())[step.work_days] += 1
            if key in calendar_steps:
                calendar.setdefault(key, Counter())[step.calendar_days] += 1
        for task in facts.tasks.get(case.instance_id, []):
            if task.group_code != INITIATOR_GROUP:
                row = work.setdefault(task.group_code, [0, 0, 0])
                row[0] += 1
                row[1] += bool(task.overdue)
                row[2] += task.assignee is None
    decisions: dict[str, Counter[int]] = {}
    rules: dict[tuple[str, str], Counter[str]] = {}
    asked = [case for case in cases if case.asked > 0]
    for case in cases:
        if case.decision_days is not None:
            decisions.setdefault(case.category or UNKNOWN, Counter())[case.decision_days] += 1
        if case.suggested is not None and case.category is not None:
            rules.setdefault((case.rule or "-", case.suggested), Counter())[case.category] += 1
    answers = Counter((case.answered_work - case.asked_work) if case.answered_work is not None
                      and case.asked_work is not None else 0 for case in asked
                      if case.answered > 0 and case.first_answered_at >= case.first_asked_at)
    answered = sum(case.answered for case in asked)
    return {
        "total": len(cases),
        "volumes": {name: _named(Counter(getattr(case, name) for case in cases))
                    for name in ("month", "category", "district", "kind", "channel", "state")},
        "steps": {key: dict(counts) for key, counts in steps.items()},
        "calendar": {key: dict(counts) for key, counts in calendar.items()},
        "cases": {key: dict(counts) for key, counts in decisions.items()},
        "questions": (sum(case.asked for case in asked), answered, sum(bool(case.withdrawn) for case in asked),
                      dict(answers) if answered else {}),
        "rules": sorted((rule, suggested, sum(chosen.values()),
                         sorted((name, count) for name, count in chosen.items() if name != suggested))
                        for (rule, suggested), chosen in rules.items()),
        "scores": dict(Counter(case.score for case in cases if case.score is not None)),
        "work": {team: tuple(row) for team, row in work.items() if row[0] > 0},
    }


def figures(loket: Loket, filters: Filters) -> dict[str, Any]:
    found = dashboard(loket, filters, Scope())
    volumes = found.volumes
    return {
        "total": volumes.total,
        "volumes": {"month": volumes.per_month, "category": volumes.per_category, "district": volumes.per_district,
                    "kind": volumes.per_kind, "channel": volumes.per_channel, "state": volumes.per_state},
        "steps": {key: row.counts for key, row in found.steps.items() if row.counts},
        "calendar": {key: row.calendar_counts for key, row in found.steps.items() if row.calendar_counts},
        "cases": {key: row.counts for key, row in found.cases.items()},
        "questions": (found.questions.asked, found.questions.answered, found.questions.withdrawn,
                      found.questions.answer_time.counts),
        "rules": sorted((use.rule, use.suggested, use.total, sorted(use.changed_to.items())) for use in found.rules),
        "scores": found.satisfaction.scores,
        "work": {row.team: (row.open, row.overdue, row.unassigned) for row in found.work},
    }


@pytest.mark.parametrize("fold", [False, True], ids=["deltas", "folded"])
def test_a_period_covering_months_in_part_gives_the_figures_counted_by_hand(loket: Loket, fold: bool) -> None:
    generate(loket, 900, months=8)
    walk(loket.engine)
    if fold:
        assert fold_tallies(loket)
    norms = norms_in_use(loket.engine.outlines(PROCESSES), None)
    calendar_steps = {key for key, norm in norms.steps.items() if norm.unit in CALENDAR_UNITS}
    facts = _facts(loket)
    signs = set()
    for filters in PERIODS:
        expected = by_hand(facts, filters, calendar_steps)
        assert expected["total"] > 0, filters
        for edge, sign in filters.edges():  # every edge has initiatives: a wrong day would show
            assert by_hand(facts, edge, calendar_steps)["total"] > 0, (filters, edge)
            signs.add(sign)
        assert figures(loket, filters) == expected, filters
    assert signs == {1, -1}
