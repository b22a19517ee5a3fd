"""The figures read from the tallies (:mod:`processes.tables.tally`): a row per group, however many
initiatives there are. A period reads the months it covers whole from the tallies and the days
of the months it covers in part from the facts (:meth:`Filters.edges`: less than a month at
each end), so every figure is the same as counted from the facts alone.

Without a period and a district the overview reads the groups kept for the whole history (per
category); otherwise those per month and district."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
    union_all,
)
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


@dataclass(frozen=True)
class Wanted:
    """What a view reads from the tallies: the initiatives' sets (``cases``), the completed tasks
    per working days (``steps``: of these steps only, None: all) and per calendar days
    (``in_days``), the open work per candidate group (but ``leave_out``; ``teams``: only these)."""

    cases: bool = True
    steps: Collection[tuple[str, str]] | None = None
    in_days: Collection[tuple[str, str]] = ()
    teams: Collection[str] | None = None
    leave_out: str = ""

    def __post_init__(self) -> None:
        # Sorted tuples: equal wishes are equal keys of the statements kept (:func:`_query`).
        for name in ("steps", "in_days", "teams"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, tuple(sorted(value)))


@dataclass
class Tallied:
    """What the tallies hold over the months the filters cover whole (see :class:`Wanted`)."""

    counts: Counts = field(default_factory=dict)
    steps: list[tuple[str, str, int, int]] = field(default_factory=list)
    """Per step and working days how many."""
    step_days: list[tuple[str, str, int, int]] = field(default_factory=list)
    """Per step and calendar days how many."""
    work: list[tuple[str, int, int]] = field(default_factory=list)
    """Per candidate group and the bits overdue (2) and nobody took it (1) how many open tasks."""


def _wanted(filters: Filters, wanted: Wanted, t: Tallies) -> list[ColumnElement[bool]]:
    """The groups of every figure ``wanted`` names, as one condition (one read for a view)."""
    level = _of(filters, _whole(filters), t)
    parts: list[ColumnElement[bool]] = []
    if wanted.steps is None or wanted.steps:
        only = [] if wanted.steps is None else [tuple_(t.k1, t.k2).in_(sorted(wanted.steps))]
        parts.append(and_(t.figure == "steps", *level, *only))
    if wanted.in_days:
        parts.append(and_(t.figure == "step_days", *level, tuple_(t.k1, t.k2).in_(sorted(wanted.in_days))))
    if wanted.teams is None or wanted.teams:
        teams = [] if wanted.teams is None else [t.k1.in_(sorted(wanted.teams))]
        parts.append(and_(t.figure == "work", t.k1 != wanted.leave_out, *level, *teams))
    if wanted.cases:
        parts += _where(filters, t)
    return [or_(false(), *parts)]


@lru_cache(maxsize=256)
def _query(filters: Filters, wanted: Wanted) -> Select[Any]:
    """The statement of :func:`tallied`, made once per filters and wish: making it (a few hundred
    clause objects) cost more than running it on the tallies. A statement never changes once
    made, so it is safe to share."""
    tally = _both(lambda t: _wanted(filters, wanted, t)).c
    is_cases = tally.figure == "cases"
    month = case((is_cases, tally.month), else_=literal(""))
    category = case((tally.figure.in_(("cases", "decision", "rules")), tally.category), else_=literal(""))
    district = case((is_cases, tally.district), else_=literal(""))
    columns = (tally.figure, month, category, district, tally.k1, tally.k2, tally.i1)
    return _summed(tally, *columns)


def tallied(session: Session, filters: Filters, wanted: Wanted) -> Tallied:
    """Every figure ``wanted`` names over the months the filters cover whole: one grouped query
    (the counts of :mod:`processes.monitoring.grouped` with the questions' sets, the steps and
    the open work)."""
    found = Tallied()
    if filters.whole_months() is None:
        return found
    counted: dict[str, dict[tuple[Any, ...], int]] = {}
    lists = {"steps": found.steps, "step_days": found.step_days}
    # A row per group and value (a lead time's histogram is a row per day): kept lean per row.
    for figure, month_of, category_of, district_of, k1, k2, i1, count in session.execute(_query(filters, wanted)):
        into_list = lists.get(figure)
        if into_list is not None:
            into_list.append((k1, k2, i1, int(count)))
        elif figure == "work":
            found.work.append((k1, i1, int(count)))
        else:
            for name, values in _sets(figure, month_of, decode(category_of), decode(district_of), k1, k2, i1):
                into = counted.get(name)
                if into is None:
                    into = counted[name] = {}
                into[values] = into.get(values, 0) + int(count)
    found.counts = {name: list(rows.items()) for name, rows in counted.items()}
    return found


def _sets(figure: str, month: str, category: str | None, district: str | None, k1: str, k2: str,
          i1: int) -> Iterable[tuple[str, tuple[Any, ...]]]:
    """Which sets a tallied group counts in, with its values there."""
    if figure == "cases":
        return (("month", (month,)), ("category", (category,)), ("district", (district,)),
                ("state", (decode(k1),)))
    if figure in ("kind", "channel"):
        return ((figure, (decode(k1),)),)
    if figure == "decision":
        return ((figure, (category, i1)),)
    if figure == "rules":
        return ((figure, (decode(k1), decode(k2), category)),)
    if figure in ("scores", "answer"):
        return ((figure, (i1,)),)
    return ((figure, ()),)


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
