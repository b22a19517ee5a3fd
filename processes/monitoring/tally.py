"""The figures read from the tallies (:mod:`processes.tables.tally`): a row per group, however many
initiatives there are. A period reads the months it covers whole from the tallies and the days
of the months it covers in part from the facts (:meth:`Filters.edges`: less than a month at
each end), so every figure is the same as counted from the facts alone.

Without a period and a district the overview reads the groups kept for the whole history (per
category); otherwise those per month and district."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, func, literal, or_, select, text, tuple_, union_all
from sqlalchemy.orm import Session

from processes.monitoring.sql import Filters
from processes.tables.tally import (
    FOLD_LOCK,
    FOLD_POSTGRES,
    FOLD_SQLITE,
    KEYS,
    REBUILD,
    WHOLE,
    MonitorTally,
    MonitorTallyDelta,
    decode,
    encode,
)

Tallies = type[MonitorTally] | type[MonitorTallyDelta]

Counts = dict[str, list[tuple[tuple[Any, ...], int]]]
"""Per set: (its values, how many initiatives) — see :mod:`processes.monitoring.grouped`."""
QUESTION_SETS = ("asked", "answered", "withdrawn", "answer")
"""The questions' sets (:mod:`processes.monitoring.work`): what was asked, answered and
withdrawn added up, and per working days to the first answer."""
TALLIED = ("kind", "channel", "decision", "rules", "scores", *QUESTION_SETS)
"""The figures of an initiative besides ``cases`` (month, category, district and state)."""


def _whole(filters: Filters) -> bool:
    return filters.since is None and filters.until is None and not filters.district


def _both(where: Callable[[Tallies], list[ColumnElement[bool]]]) -> Subquery:
    """The tallies and the deltas not yet folded in, each read with ``where``: exact figures
    without waiting for the worker."""
    return union_all(*(select(*(getattr(table, key) for key in KEYS), table.n).where(*where(table))
                       for table in (MonitorTally, MonitorTallyDelta))).subquery("tally")


def _summed(tally: Any, *columns: ColumnElement[Any]) -> Select[Any]:
    """Per group of ``columns`` the sum of the read rows' counts (groups summing to 0 left out)."""
    return select(*columns, func.sum(tally.n)).group_by(*columns).having(func.sum(tally.n) != 0)


def _of(filters: Filters, whole: bool, t: Tallies) -> list[ColumnElement[bool]]:
    """The groups of the filters' whole months, category and district, at a level."""
    months = filters.whole_months()
    assert months is not None
    found: list[ColumnElement[bool]] = []
    if filters.category:
        found.append(t.category == encode(filters.category))
    if whole:
        return [*found, t.district == WHOLE]
    found.append(t.month != WHOLE)
    if filters.district:
        found.append(t.district == encode(filters.district))
    first, last = months
    if first is not None:
        found.append(t.month >= first)
    if last is not None:
        found.append(t.month <= last)
    return found


def _where(filters: Filters, t: Tallies) -> list[ColumnElement[bool]]:
    """``cases`` per month; the other figures for the whole history when the filters allow."""
    cases = and_(t.figure == "cases", *_of(filters, False, t))
    return [or_(cases, and_(t.figure.in_(TALLIED), *_of(filters, _whole(filters), t)))]


def case_counts(session: Session, filters: Filters) -> Counts:
    """The counts of :mod:`processes.monitoring.grouped` (and the questions' sets) over the
    months the filters cover whole: one grouped query."""
    tally = _both(lambda t: _where(filters, t)).c
    is_cases = tally.figure == "cases"
    month = case((is_cases, tally.month), else_=literal(""))
    category = case((tally.figure.in_(("cases", "decision", "rules")), tally.category), else_=literal(""))
    district = case((is_cases, tally.district), else_=literal(""))
    columns = (tally.figure, month, category, district, tally.k1, tally.k2, tally.i1)
    found: dict[str, dict[tuple[Any, ...], int]] = {}
    for figure, month_of, category_of, district_of, k1, k2, i1, count in session.execute(_summed(tally, *columns)):
        for name, values in _sets(str(figure), month_of, decode(category_of), decode(district_of), k1, k2, i1):
            into = found.setdefault(name, {})
            into[values] = into.get(values, 0) + int(count)
    return {name: list(rows.items()) for name, rows in found.items()}


def _sets(figure: str, month: str, category: str | None, district: str | None, k1: str, k2: str,
          i1: int) -> Iterable[tuple[str, tuple[Any, ...]]]:
    """Which sets a tallied group counts in, with its values there."""
    if figure == "cases":
        return (("month", (month,)), ("category", (category,)), ("district", (district,)),
                ("state", (decode(k1),)))
    values: dict[str, tuple[Any, ...]] = {
        "kind": (decode(k1),), "channel": (decode(k1),), "decision": (category, i1),
        "rules": (decode(k1), decode(k2), category), "scores": (i1,), "answer": (i1,)}
    return ((figure, values.get(figure, ())),)


def step_counts(session: Session, filters: Filters, figure: str,
                steps: Collection[tuple[str, str]] | None) -> list[tuple[str, str, int, int]]:
    """Per step and working days (``steps``) or calendar days (``step_days``) how many completed
    tasks (``steps``: only these) over the months the filters cover whole."""
    def where(t: Tallies) -> list[ColumnElement[bool]]:
        found = [t.figure == figure, *_of(filters, _whole(filters), t)]
        return found if steps is None else [*found, tuple_(t.k1, t.k2).in_(sorted(steps))]

    tally = _both(where).c
    return [(str(process), str(element), int(days), int(count))
            for process, element, days, count in session.execute(_summed(tally, tally.k1, tally.k2, tally.i1))]


def work_counts(session: Session, filters: Filters, teams: Collection[str] | None,
                leave_out: str) -> list[tuple[str, int, int]]:
    """Per candidate group (but ``leave_out``; ``teams``: only these) and the bits overdue (2)
    and nobody took it (1), how many tasks are open now of the initiatives that came in in the
    months the filters cover whole."""
    def where(t: Tallies) -> list[ColumnElement[bool]]:
        found = [t.figure == "work", t.k1 != leave_out, *_of(filters, _whole(filters), t)]
        return found if teams is None else [*found, t.k1.in_(sorted(teams))]

    tally = _both(where).c
    return [(str(team), int(flags), int(count))
            for team, flags, count in session.execute(_summed(tally, tally.k1, tally.i1))]


def fold(session: Session) -> bool:
    """Moves the deltas into the tallies (the worker's round, after a bulk write); the figures
    stay the same. On PostgreSQL one folder at a time: returns False when another was busy."""
    if session.get_bind().dialect.name == "postgresql":
        if not session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": FOLD_LOCK}):
            return False
        session.execute(text(FOLD_POSTGRES))
        return True
    for statement in FOLD_SQLITE:
        session.execute(text(statement))
    return True


def rebuild(session: Session) -> int:
    """The tallies counted again from the facts and the open tasks (what migration 0016 does);
    returns how many groups there are."""
    for statement in REBUILD:
        session.execute(text(statement))
    return int(session.scalar(select(func.count()).select_from(MonitorTally)) or 0)
