"""Replay a changed categorisation table on the intakes of the past, before deploying it: which
initiatives would get another category, with the rule that fires now and the one that fired
then. The stored answers of every initiative (or of a period) are read in one pass and the
table runs compiled (:mod:`engine.dmn_replay`), so the whole pilot takes seconds. The same from
the command line (a folder or a file) and from the decision-table editor (the table as it is on
the screen, not deployed), which lists the switches a page at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import CompiledDecision, DecisionUnusable, ModelProblem, ProcessInstance, compile_decision, decision_inputs
from processes import studio
from processes.loket import Loket
from processes.vocabulary import CATEGORY_DECISION, CATEGORY_OUTPUT, INITIATIVE_PROCESS

RULE_OUTPUT = "categorie_regel"
LISTED = 500
"""How many switching initiatives the report lists (all are counted)."""
PAGE = 200
"""How many switching initiatives the editor's panel lists at a time."""
UNKNOWN = "onbekend"

__all__ = ["PAGE", "DecisionUnusable", "PastIntake", "ReplayReport", "Switch", "TableUnusable", "decides_category",
           "replay", "replay_edited", "replay_rows"]


class TableUnusable(DecisionUnusable):
    """The edited table cannot be replayed: ``problems`` names what is wrong as the editor's try
    panel does (in Dutch and English, with the element); without them the message says why."""

    def __init__(self, message: str, problems: tuple[ModelProblem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class Switch:
    case_ref: str
    title: str | None
    created_at: datetime
    before: str
    before_rule: str
    after: str
    after_rule: str


@dataclass
class ReplayReport:
    total: int = 0
    changes: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(category then, category with the changed table) → how many initiatives."""
    switches: list[Switch] = field(default_factory=list)
    """The initiatives that would switch, oldest first: from number ``first`` (0-based) on, at
    most as many as asked (:data:`LISTED` by default)."""
    first: int = 0
    switched: int = 0
    unreadable: int = 0
    """Initiatives whose stored answers the table cannot decide on (an answer missing)."""
    seconds: float = 0.0

    @property
    def per_category(self) -> dict[str, tuple[int, int]]:
        """Per category: how many had it then, and how many would have it with the changed table."""
        before: Counter[str] = Counter()
        after: Counter[str] = Counter()
        for (old, new), count in self.changes.items():
            before[old] += count
            after[new] += count
        return {name: (before[name], after[name]) for name in sorted(set(before) | set(after))}

    @property
    def moves(self) -> list[tuple[str, str, int]]:
        """(category then, category with the changed table, how many) of the initiatives that
        switch, the most first."""
        return sorted(((old, new, count) for (old, new), count in self.changes.items() if old != new),
                      key=lambda move: (-move[2], move[0], move[1]))


@dataclass(frozen=True)
class PastIntake:
    case_ref: str
    title: str | None
    created_at: datetime
    data: Mapping[str, Any]


def _rule_of(outputs: Mapping[str, Any]) -> str:
    return str(outputs.get(RULE_OUTPUT) or UNKNOWN)


def replay_rows(rows: Iterator[PastIntake] | list[PastIntake], changed: CompiledDecision,
                current: CompiledDecision | None, *, skip: int = 0, listed: int = LISTED) -> ReplayReport:
    """Decide every row with the changed table; "then" is what the initiative got (stored), or
    what the table in use decides when nothing was stored. All switches are counted; those from
    number ``skip`` on are listed, at most ``listed``."""
    report = ReplayReport(first=skip)
    started = perf_counter()
    for row in rows:
        report.total += 1
        before, before_rule = row.data.get(CATEGORY_OUTPUT), row.data.get(RULE_OUTPUT)
        try:
            if not before and current is not None:
                hit = current.decide(row.data)
                before, before_rule = (hit.outputs.get(CATEGORY_OUTPUT), _rule_of(hit.outputs)) if hit else (None,
                                                                                                             None)
            after_hit = changed.decide(row.data)
        except Exception:  # noqa: BLE001 - an answer the table needs is missing or of another kind
            report.unreadable += 1
            continue
        after = str(after_hit.outputs.get(CATEGORY_OUTPUT) or UNKNOWN) if after_hit else UNKNOWN
        after_rule = _rule_of(after_hit.outputs) if after_hit else UNKNOWN
        old = str(before or UNKNOWN)
        report.changes[(old, after)] += 1
        if old != after:
            report.switched += 1
            if skip < report.switched <= skip + listed:
                report.switches.append(Switch(row.case_ref, row.title, row.created_at, old, str(before_rule or UNKNOWN),
                                              after, after_rule))
    report.seconds = perf_counter() - started
    return report


def _rows(session: Session, since: date | None, until: date | None) -> Iterator[PastIntake]:
    query = (select(ProcessInstance.case_ref, ProcessInstance.title, ProcessInstance.created_at,
                    ProcessInstance.case_data)
             .where(ProcessInstance.process_id == INITIATIVE_PROCESS)
             .order_by(ProcessInstance.created_at, ProcessInstance.id)
             .execution_options(yield_per=2000))
    if since is not None:
        query = query.where(ProcessInstance.created_at >= datetime.combine(since, time.min))
    if until is not None:
        query = query.where(ProcessInstance.created_at < datetime.combine(until + timedelta(days=1), time.min))
    for case_ref, title, created_at, data in session.execute(query):
        yield PastIntake(case_ref, title, created_at, data or {})


def replay(loket: Loket, changed_files: Mapping[str, bytes], current_files: Mapping[str, bytes] | None = None,
           *, since: date | None = None, until: date | None = None, skip: int = 0,
           listed: int = LISTED) -> ReplayReport:
    """Replay the categorisation table of ``changed_files`` on the initiatives of the period
    (all by default); DecisionUnusable when that table cannot be run."""
    changed = compile_decision(changed_files, CATEGORY_DECISION)
    current = compile_decision(current_files, CATEGORY_DECISION) if current_files else None
    with loket.reading() as session:
        return replay_rows(_rows(session, since, until), changed, current, skip=skip, listed=listed)


def decides_category(content: bytes, filename: str) -> bool:
    """Whether the decision table file ``content`` holds the categorisation decision (only then
    can the editor replay it)."""
    try:
        compile_decision({filename: content}, CATEGORY_DECISION)
    except DecisionUnusable:
        return False
    return True


def replay_edited(loket: Loket, filename: str, content: bytes, *, since: date | None = None,
                  until: date | None = None, skip: int = 0, listed: int = PAGE) -> ReplayReport:
    """Replay the categorisation table as the editor has it (``content``, the file ``filename``,
    not deployed) on the initiatives of the period; an initiative that stored no category is
    compared with what the tables in use decide. TableUnusable when the edited table cannot be
    run."""
    problems = decision_inputs(content, CATEGORY_DECISION, filename=filename).problems
    if problems:
        raise TableUnusable(problems[0].message_nl, problems)
    try:
        return replay(loket, {filename: content}, studio.bundle_in_use(loket), since=since, until=until,
                      skip=max(skip, 0), listed=listed)
    except DecisionUnusable as unusable:  # read, but a cell cannot run
        raise TableUnusable(str(unusable)) from unusable
