"""The tallies (:mod:`processes.tables.tally`) follow every write of the facts and the open tasks —
steps, the bulk history, the upgrade's fill, changed and deleted rows, a task taken or past its
norm, a cascade from a deleted initiative —
and equal a recount from the facts; the dashboard read from them (whole months) and from the
facts (the days of months in part) gives every figure exactly as counted from the facts alone,
on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, delete, func, select, update

from engine import Base, OpenTask, OpenTaskGroup, ProcessInstance
from processes.facts import fill_facts
from processes.loket import Loket
from processes.monitoring import Filters, Scope, dashboard
from processes.monitoring.history import generate
from processes.monitoring.tally import fold, rebuild
from processes.tables.facts import CaseFact, StepFact
from processes.tables.tally import MonitorTally, MonitorTallyDelta, decode, encode
from tests.processes.factories import Case, intake_data
from tests.processes.monitoring.test_facts import walk


def tallies(loket: Loket) -> dict[tuple[Any, ...], int]:
    """Per group the tally with the deltas not yet folded in (what a reader sees)."""
    found: dict[tuple[Any, ...], int] = {}
    with loket.reading() as session:
        for table in (MonitorTally, MonitorTallyDelta):
            for row in session.execute(select(table.figure, table.category, table.district, table.month,
                                              table.k1, table.k2, table.i1, table.n)):
                found[tuple(row[:-1])] = found.get(tuple(row[:-1]), 0) + int(row[-1])
    return {key: count for key, count in found.items() if count != 0}


def deltas(loket: Loket) -> int:
    with loket.reading() as session:
        return int(session.scalar(select(func.count()).select_from(MonitorTallyDelta)) or 0)


def folded(loket: Loket) -> dict[tuple[Any, ...], int]:
    """The tallies after a fold, which leaves no delta."""
    with loket.transaction() as session:
        assert fold(session)
    assert deltas(loket) == 0
    return tallies(loket)


def recounted(loket: Loket) -> dict[tuple[Any, ...], int]:
    with loket.transaction() as session:
        rebuild(session)
    return tallies(loket)


def _delete_initiative(loket: Loket, instance_id: int) -> None:
    """As a deleted initiative goes: the rows that keep it first, then the instance, whose facts
    go with it by the cascade (both fact tables in one statement)."""
    with loket.transaction() as session:
        for table in Base.metadata.sorted_tables:
            keeps = [key for key in table.foreign_keys if key.column.table.name == "process_instance"
                     and key.ondelete is None]
            for key in keeps:
                assert isinstance(table, Table)
                session.execute(delete(table).where(key.parent == instance_id))
        session.execute(delete(ProcessInstance).where(ProcessInstance.id == instance_id))


def test_the_tallies_follow_every_write_of_the_facts(loket: Loket) -> None:
    walk(loket.engine)  # steps through the product: inserts, updates, step rows
    Case.start(loket.engine, intake_data(wijk="west", kanaal="telefoon"))
    first = generate(loket, 60, months=4)  # bulk inserts of 2,000 rows at most
    assert tallies(loket) and tallies(loket) == recounted(loket)
    with loket.reading() as session:
        stepped = session.scalars(select(StepFact.instance_id).where(StepFact.instance_id >= first)
                                  .group_by(StepFact.instance_id).having(func.count() > 1).limit(3)).all()
    assert len(stepped) == 3
    moved, thinned, deleted = stepped
    with loket.transaction() as session:  # a category and district changed: its steps move along
        session.execute(update(CaseFact).where(CaseFact.instance_id == moved)
                        .values(category="complex", district=None, kind=None, score=3))
        session.execute(delete(StepFact).where(StepFact.id == select(func.min(StepFact.id))
                                               .where(StepFact.instance_id == thinned).scalar_subquery()))
        session.execute(update(OpenTask).where(OpenTask.task_id == select(func.min(OpenTask.task_id))
                                               .scalar_subquery()).values(overdue=True, assignee="kim@x.nl"))
        session.execute(delete(OpenTaskGroup).where(OpenTaskGroup.task_id == select(func.max(OpenTask.task_id))
                                                    .scalar_subquery()))
    _delete_initiative(loket, deleted)
    with loket.transaction() as session:  # as right after the migration: the facts filled anew
        session.execute(delete(StepFact).where(StepFact.instance_id < first))
        session.execute(delete(CaseFact).where(CaseFact.instance_id < first))
    assert fill_facts(loket.engine) == 2
    assert deltas(loket) > 0  # the triggers' since the last bulk write: read with the tallies
    kept = tallies(loket)
    assert kept == folded(loket) == recounted(loket)
    assert any(key[0] == "steps" and key[1] == encode("complex") and key[2] == "" for key in kept)
    assert any(key[0] == "cases" and key[2] == encode(None) for key in kept)  # the district is gone
    assert decode(encode("")) == "" and decode(encode(None)) is None


def _figures(loket: Loket, filters: Filters, scope: Scope) -> dict[str, Any]:
    found = dashboard(loket, filters, scope)
    return {"volumes": found.volumes,
            "steps": {key: (row.counts, row.calendar_counts) for key, row in found.steps.items()},
            "cases": {key: row.counts for key, row in found.cases.items()},
            "questions": (found.questions.asked, found.questions.answered, found.questions.withdrawn,
                          found.questions.answer_time.counts),
            "rules": sorted((use.rule, use.suggested, use.total, sorted(use.changed_to.items()))
                            for use in found.rules),
            "scores": found.satisfaction.scores, "work": found.work}


FILTERS = [Filters(), Filters(category="wijkwens"), Filters(district="oost"),
           Filters(date(2024, 11, 1), date(2025, 1, 31)), Filters(date(2024, 10, 17), None),
           Filters(None, date(2025, 1, 12)), Filters(date(2024, 9, 9), date(2025, 2, 3), "eenvoudig", "west"),
           Filters(date(2024, 12, 2), date(2024, 12, 30)), Filters(date(2024, 11, 20), date(2024, 12, 10), "complex"),
           Filters(date(2024, 11, 4), date(2025, 1, 27), "wijkwens", "oost"), Filters(date(2025, 2, 3), None)]


def test_every_figure_read_from_the_tallies_is_the_one_the_facts_give(loket: Loket,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    generate(loket, 300, months=8)
    walk(loket.engine)
    scopes = [Scope(), Scope(frozenset({"team-groen"})), Scope(frozenset({"regiegroep-oost", "team-vastgoed"}))]
    tallied = {(index, scope): _figures(loket, filters, scope)
               for index, filters in enumerate(FILTERS) for scope in scopes}
    assert tallied[(0, Scope())]["volumes"].total == 301
    monkeypatch.setattr(Filters, "whole_months", lambda _self: None)  # every figure from the facts
    for (index, scope), figures in tallied.items():
        assert figures == _figures(loket, FILTERS[index], scope), (FILTERS[index], scope)


def test_a_period_is_months_from_the_tallies_and_at_most_half_a_month_of_days_at_each_end() -> None:
    def split(since: date | None, until: date | None) -> tuple[Any, list[tuple[Any, Any, int]]]:
        filters = Filters(since, until)
        return filters.whole_months(), [(edge.since, edge.until, sign) for edge, sign in filters.edges()]

    assert split(None, None) == ((None, None), [])
    assert split(date(2025, 1, 1), date(2025, 3, 31)) == (("2025-01", "2025-03"), [])
    # From the 15th: January less its first 14 days; from the 20th: its last 12 days alone.
    assert split(date(2025, 1, 15), None) == (("2025-01", None), [(date(2025, 1, 1), date(2025, 1, 14), -1)])
    assert split(date(2025, 1, 20), None) == (("2025-02", None), [(date(2025, 1, 20), date(2025, 1, 31), 1)])
    assert split(None, date(2024, 2, 28)) == ((None, "2024-02"), [(date(2024, 2, 29), date(2024, 2, 29), -1)])
    assert split(None, date(2024, 2, 29)) == ((None, "2024-02"), [])
    assert split(None, date(2024, 2, 10)) == ((None, "2024-01"), [(date(2024, 2, 1), date(2024, 2, 10), 1)])
    assert split(date(2024, 12, 10), date(2025, 2, 5)) == (
        ("2024-12", "2025-01"), [(date(2024, 12, 1), date(2024, 12, 9), -1), (date(2025, 2, 1), date(2025, 2, 5), 1)])
    assert split(date(2025, 3, 1), date(2025, 3, 30)) == (("2025-03", "2025-03"), [(date(2025, 3, 31),) * 2 + (-1,)])
    assert split(date(2025, 3, 3), date(2025, 3, 28)) == (
        ("2025-03", "2025-03"), [(date(2025, 3, 1), date(2025, 3, 2), -1), (date(2025, 3, 29), date(2025, 3, 31), -1)])
    assert split(date(2025, 3, 10), date(2025, 3, 12)) == (None, [(date(2025, 3, 10), date(2025, 3, 12), 1)])
    assert split(date(2025, 1, 25), date(2025, 2, 3)) == (None, [(date(2025, 1, 25), date(2025, 2, 3), 1)])
    assert split(date(2025, 3, 5), date(2025, 3, 3)) == (None, [])  # nothing in it
