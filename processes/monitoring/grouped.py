"""The counts over the initiatives' facts that several figures are made of, read together: per
month, category, district, kind of initiator, channel and state (the volumes), per category and
working days to the decision (end-to-end lead times), per rule, suggested and chosen category
(rule quality) and per survey score.

Over the months a period covers whole they are read from the tallies
(:mod:`processes.monitoring.tally`); over the days of a month it covers in part, from the facts.
On PostgreSQL one pass over the facts counts them all (``GROUPING SETS``, each row says by its
``GROUPING`` bits which set it counts); on SQLite each is a grouped query of its own. A set
that only counts some initiatives (those decided, categorised, or with a score) leaves the
others out here, the same on both."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session

from processes.monitoring.sql import Filters
from processes.monitoring.tally import QUESTION_SETS, Counts, Tallied, Wanted, tallied
from processes.tables.facts import CaseFact

__all__ = ["Counts", "counts"]

SETS: dict[str, tuple[str, ...]] = {
    "month": ("month",), "category": ("category",), "district": ("district",), "kind": ("kind",),
    "channel": ("channel",), "state": ("state",), "decision": ("category", "decision_days"),
    "rules": ("rule", "suggested", "category"), "scores": ("score",),
}
"""Per set the fact columns it groups by."""
COUNTED: dict[str, Callable[[tuple[Any, ...]], bool]] = {
    "decision": lambda values: values[1] is not None,
    "rules": lambda values: values[1] is not None and values[2] is not None,
    "scores": lambda values: values[0] is not None,
}
"""Which groups of a set count (the others are initiatives the figure leaves out)."""
NAMES = list(dict.fromkeys(name for names in SETS.values() for name in names))


def _counts(name: str, values: tuple[Any, ...]) -> bool:
    counted = COUNTED.get(name)
    return counted is None or counted(values)


def _mask(names: tuple[str, ...]) -> int:
    """The ``GROUPING`` bits of a row of this set: 1 for every column it is not grouped by."""
    return sum(1 << (len(NAMES) - 1 - index) for index, name in enumerate(NAMES) if name not in names)


def _in_one_pass(session: Session, filters: Filters) -> Counts:
    sets = {_mask(names): name for name, names in SETS.items()}
    columns = [getattr(CaseFact, name) for name in NAMES]
    query = (select(*columns, func.grouping(*columns), func.count()).where(filters.condition())
             .group_by(func.grouping_sets(*(tuple_(*(getattr(CaseFact, name) for name in names))
                                            for names in SETS.values()))))
    found: Counts = {name: [] for name in SETS}
    for row in session.execute(query):
        name = sets[row[-2]]
        values = tuple(row[NAMES.index(column)] for column in SETS[name])
        if _counts(name, values):
            found[name].append((values, int(row[-1])))
    return found


def _one_by_one(session: Session, filters: Filters) -> Counts:
    found: Counts = {name: [] for name in SETS}
    for name, names in SETS.items():
        columns = [getattr(CaseFact, column) for column in names]
        for row in session.execute(select(*columns, func.count()).where(filters.condition()).group_by(*columns)):
            values = tuple(row[:-1])
            if _counts(name, values):
                found[name].append((values, int(row[-1])))
    return found


def _questions(session: Session, filters: Filters) -> Counts:
    """The questions' sets (:mod:`processes.monitoring.work`) of the initiatives that were asked."""
    asked = [filters.condition(), CaseFact.asked > 0]
    totals = session.execute(
        select(func.coalesce(func.sum(CaseFact.asked), 0), func.coalesce(func.sum(CaseFact.answered), 0),
               func.coalesce(func.sum(case((CaseFact.withdrawn.is_(True), 1), else_=0)), 0)).where(*asked)).one()
    found: Counts = {name: [((), int(total))] for name, total in zip(QUESTION_SETS[:3], totals, strict=True)}
    days = CaseFact.answered_work - CaseFact.asked_work
    found["answer"] = [((int(days_taken or 0),), int(count)) for days_taken, count in session.execute(
        select(days, func.count()).where(*asked, CaseFact.answered > 0,
                                         CaseFact.first_answered_at >= CaseFact.first_asked_at).group_by(days))]
    return found


def from_facts(session: Session, filters: Filters) -> Counts:
    """Every set counted from the facts."""
    if session.get_bind().dialect.name == "postgresql":
        found = _in_one_pass(session, filters)
    else:
        found = _one_by_one(session, filters)
    return found | _questions(session, filters)


def counts(session: Session, filters: Filters, read: Tallied | None = None) -> Counts:
    """Every set: the tallies of the months :meth:`Filters.whole_months` names (``read`` when the
    caller read them already), with the days the facts add or take away (:meth:`Filters.edges`)."""
    if read is None:
        read = tallied(session, filters, Wanted(steps=(), teams=()))
    parts = [(read.counts, 1)] + [(from_facts(session, edge), sign) for edge, sign in filters.edges()]
    added: dict[str, dict[tuple[Any, ...], int]] = {name: {} for name in (*SETS, *QUESTION_SETS)}
    for part, sign in parts:
        for name, rows in part.items():
            for values, count in rows:
                added[name][values] = added[name].get(values, 0) + sign * count
    return {name: sorted(((values, count) for values, count in rows.items() if count > 0), key=repr)
            for name, rows in added.items()}
