"""The monitoring's tallies: the facts (:mod:`processes.tables.facts`) and the open tasks counted
ahead, per month an initiative came in, its category and district (the dashboard's filters) and
what a figure groups by, so a look at the dashboard reads a row per group instead of a row per
initiative.

One table, ``monitor_tally``: per ``figure`` (:data:`CASE_FIGURES`; ``steps`` and ``step_days``,
the completed tasks per working and calendar days; ``work``, the open tasks per candidate
group), district, category and month, up to two texts (``k1``, ``k2``) and a number (``i1``),
how many (``n``). Every figure but ``cases`` is kept twice (:data:`LEVELS`): per month and
district, and for the whole history (month and district ``*``). Lead times are tallied per
whole working day (a histogram), so the median and the 80th percentile come out exactly as from
the facts. A text of a case is kept as ``''`` when it is missing and as ``'=' || value``
otherwise (:func:`decode`): a key column cannot hold NULL, and a missing value is not the
empty text.

Triggers keep it, on both databases, whoever writes the rows (the step hook, the engine's task
rows, the upgrade's fill, the generated history's bulk inserts, a cascade from a deleted
initiative): each change of a counted table adds its rows' groups and takes away its old rows'
groups in one grouped insert into ``monitor_tally_delta`` (:class:`MonitorTallyDelta`), never
an update of a shared row: steps at the same time take no lock on the same row (they deadlocked
when they upserted the tallies). The worker folds the deltas into the tallies every round
(:data:`FOLD_POSTGRES`, :func:`processes.monitoring.tally.fold`) and a reader sums both.

A step's and an open task's groups are those of its initiative
(month, category, district): they move with the initiative's category or district, and a row
counts once all the rows it joins are there. PostgreSQL: per statement, with its transition
tables (a bulk insert is one insert); SQLite: per row. Deletes are counted per row *before* the
row goes, so a cascade that deletes an initiative's facts and its steps in one statement takes
each step away while its initiative is still there to say its groups. Migration 0016 makes them
in a database that exists and fills the tallies (:data:`REBUILD`); the listeners here make them
when the tables are created from the models (tests, benches)."""

# ruff: noqa: S608 - every statement is made of this module's constants only (no input reaches it)
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import DDL, Connection, Dialect, Index, Integer, MetaData, String, Table, event
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.sql.ddl import BaseDDLElement
from sqlalchemy.sql.schema import SchemaItem

from engine import Base
from processes.tables.facts import TEXT_LENGTH

TABLE = "monitor_tally"
DELTA = "monitor_tally_delta"
KEYS = ("figure", "district", "category", "month", "k1", "k2", "i1")
WHOLE = "*"
"""``month`` and ``district`` of the whole-history groups (see :data:`LEVELS`)."""


class MonitorTally(Base):
    """How many facts (or what they add up to) fall in one group."""

    __tablename__ = TABLE
    # Room on every page for a row's next version: a fold rewrites a few counts in place.
    __table_args__ = {"postgresql_with": {"fillfactor": 50}}

    # In this order: a figure for the whole history (district ``*``) or of a district is one
    # range of the key.
    figure: Mapped[str] = mapped_column(String(20), primary_key=True)
    district: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    category: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    k1: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    k2: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    i1: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class MonitorTallyDelta(Base):
    """What a write added to one group, not yet folded into :class:`MonitorTally`. The triggers
    only append these rows (no row is shared, so two steps at the same time never wait for or
    deadlock on each other); the worker folds them in (:data:`FOLD_POSTGRES`) every round, and
    a reader sums both tables."""

    __tablename__ = DELTA
    __table_args__ = (Index("ix_monitor_tally_delta_group", "figure", "district", "category", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    figure: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1))
    category: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1))
    month: Mapped[str] = mapped_column(String(7))
    k1: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1))
    k2: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1))
    i1: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)


def encode(value: str | None) -> str:
    return "" if value is None else "=" + value


def decode(key: str) -> str | None:
    return key[1:] if key else None


def _enc(column: str) -> str:
    return f"CASE WHEN {column} IS NULL THEN '' ELSE '=' || {column} END"


CASE_FIGURES: dict[str, tuple[dict[str, str], str]] = {
    "cases": ({"k1": _enc("r.state")}, ""),
    "kind": ({"k1": _enc("r.kind")}, ""),
    "channel": ({"k1": _enc("r.channel")}, ""),
    "decision": ({"i1": "r.decision_days"}, "r.decision_days IS NOT NULL"),
    "rules": ({"k1": _enc("r.rule"), "k2": _enc("r.suggested")}, "r.suggested IS NOT NULL AND r.category IS NOT NULL"),
    "scores": ({"i1": "r.score"}, "r.score IS NOT NULL"),
    "asked": ({"n": "r.asked"}, "r.asked > 0"),
    "answered": ({"n": "r.answered"}, "r.asked > 0"),
    "withdrawn": ({}, "r.asked > 0 AND r.withdrawn"),
    "answer": ({"i1": "COALESCE(r.answered_work - r.asked_work, 0)"},
               "r.asked > 0 AND r.answered > 0 AND r.first_answered_at >= r.first_asked_at"),
}
"""Per figure of an initiative: its keys beyond month, category and district (the others are
``''`` and 0), what it adds (``n``, else 1) and which initiatives it counts. The same as the
queries on the facts count (:mod:`processes.monitoring.grouped`, :mod:`processes.monitoring.work`)."""
CASE_COLUMNS = ("instance_id", "month", "state", "category", "suggested", "rule", "district", "kind", "channel",
                "score", "withdrawn", "decision_days", "asked", "first_asked_at", "asked_work", "answered",
                "first_answered_at", "answered_work")
STEP_COLUMNS = ("instance_id", "process", "element", "work_days", "calendar_days")
READS = {"cases": ("state",), "kind": ("kind",), "channel": ("channel",), "decision": ("decision_days",),
         "rules": ("rule", "suggested"), "scores": ("score",), "asked": ("asked",), "answered": ("asked", "answered"),
         "withdrawn": ("asked", "withdrawn"),
         "answer": ("asked", "answered", "answered_work", "asked_work", "first_answered_at", "first_asked_at")}
"""Per figure the columns of an initiative it reads besides month, category and district."""


def _row(record: str, columns: tuple[str, ...]) -> str:
    """One trigger row (``NEW``/``OLD``) as a relation."""
    return "(SELECT " + ", ".join(f"{record}.{name} AS {name}" for name in columns) + ")"


LEVELS = {"detail": f"r.month AS month, {_enc('r.district')} AS district",
          "whole": f"'{WHOLE}' AS month, '{WHOLE}' AS district"}
"""Every figure is kept per month and district (for a period or a district) and, but for
``cases`` (a few groups per month anyway), once more for the whole history per category (so
the overview reads a group per value, not per value and month)."""


def _case_parts(source: str, sign: int, figures: tuple[str, ...] = tuple(CASE_FIGURES)) -> list[str]:
    """The groups of the initiatives in ``source`` (aliased ``r``), each ``sign`` × what it adds."""
    parts = []
    for figure in figures:
        keys, where = CASE_FIGURES[figure]
        values = {"k1": "''", "k2": "''", "i1": "0", "n": "1", **keys}
        for level, columns in LEVELS.items():
            if level == "whole" and figure == "cases":
                continue
            parts.append(f"SELECT '{figure}' AS figure, {_enc('r.category')} AS category, {columns}, "
                         f"{values['k1']} AS k1, {values['k2']} AS k2, {values['i1']} AS i1, "
                         f"{sign} * ({values['n']}) AS n FROM {source} r" + (f" WHERE {where}" if where else ""))
    return parts


def _step_part(steps: str, cases: str, sign: int) -> list[str]:
    """The groups of the steps in ``steps`` (aliased ``s``) of the initiatives in ``cases``
    (aliased ``r``): per step and working days (``steps``) and per step and calendar days
    (``step_days``, for the norms in days or weeks)."""
    return [f"SELECT '{figure}' AS figure, {_enc('r.category')} AS category, {columns}, s.process AS k1, "
            f"s.element AS k2, s.{days} AS i1, {sign} AS n "
            f"FROM {steps} s JOIN {cases} r ON r.instance_id = s.instance_id"
            for figure, days in (("steps", "work_days"), ("step_days", "calendar_days"))
            for columns in LEVELS.values()]


def _grouped(source: str) -> str:
    keys = ", ".join(KEYS)
    return f"SELECT {keys}, sum(n) FROM ({source}) AS d WHERE true GROUP BY {keys} HAVING sum(n) <> 0"


def upsert(parts: list[str]) -> str:
    """Adds the groups ``parts`` select to the tallies in one statement (in key order, so
    shared groups are locked in the same order). Only for who writes alone: the fill, a fold."""
    keys = ", ".join(KEYS)
    return (f"INSERT INTO {TABLE} ({keys}, n) " + _grouped(" UNION ALL ".join(parts)) + f" ORDER BY {keys} "
            f"ON CONFLICT ({keys}) DO UPDATE SET n = {TABLE}.n + excluded.n")


def append(parts: list[str]) -> str:
    """Adds the groups ``parts`` select as new delta rows (what a trigger does: no lock on a
    row another transaction writes too)."""
    return f"INSERT INTO {DELTA} ({', '.join(KEYS)}, n) " + _grouped(" UNION ALL ".join(parts))


FOLD_LOCK = 150_001
"""The advisory lock a fold holds on PostgreSQL (one folder at a time; another skips its turn)."""
FOLD_POSTGRES = (f"WITH moved AS (DELETE FROM {DELTA} RETURNING {', '.join(KEYS)}, n) "
                 + upsert([f"SELECT {', '.join(KEYS)}, n FROM moved"]))
"""The deltas moved into the tallies in one statement: it deletes the deltas its snapshot sees
and adds exactly those (a delta committed meanwhile waits for the next fold)."""
FOLD_SQLITE = (upsert([f"SELECT {', '.join(KEYS)}, n FROM {DELTA}"]), f"DELETE FROM {DELTA}")
"""The same on SQLite, where the first statement holds the only writer's lock until the end."""


def _work_part(groups: str, tasks: str, cases: str, sign: int) -> list[str]:
    """The open tasks per candidate group (``g``, ``t``) of the initiatives in ``cases`` (``r``):
    per group (``k1``), whether overdue (``i1`` bit 2) and whether nobody took it (bit 1)."""
    flags = "CASE WHEN t.overdue THEN 2 ELSE 0 END + CASE WHEN t.assignee IS NULL THEN 1 ELSE 0 END"
    return [f"SELECT 'work' AS figure, {_enc('r.category')} AS category, {columns}, g.group_code AS k1, "
            f"'' AS k2, {flags} AS i1, {sign} AS n FROM {groups} g JOIN {tasks} t ON t.task_id = g.task_id "
            f"JOIN {cases} r ON r.instance_id = t.instance_id" for columns in LEVELS.values()]


def _parts(table: str, rows: str, sign: int) -> list[str]:
    """What ``rows`` of ``table`` count in, joined with the other tables as they are."""
    if table == "case_fact":
        return [*_case_parts(rows, sign), *_step_part("step_fact", rows, sign),
                *_work_part("open_task_group", "open_task", rows, sign)]
    if table == "step_fact":
        return _step_part(rows, "case_fact", sign)
    if table == "open_task":
        return _work_part("open_task_group", rows, "case_fact", sign)
    return _work_part(rows, "open_task", "case_fact", sign)


REBUILD = (f"DELETE FROM {TABLE}", f"DELETE FROM {DELTA}", upsert(_parts("case_fact", "case_fact", 1)))
"""The tallies counted again from the facts and the open tasks (the upgrade that adds them)."""

COLUMNS = {"case_fact": CASE_COLUMNS, "step_fact": STEP_COLUMNS, "open_task": ("task_id", "instance_id", "overdue",
                                                                               "assignee"),
           "open_task_group": ("task_id", "group_code")}
"""The tables whose rows the tallies count (the open tasks' are the engine's), and the columns
they are counted by."""


@dataclass(frozen=True)
class Trigger:
    """One trigger: on a change of ``table`` it adds what ``parts`` select (``NEW``/``OLD``: the
    row, ``new_rows``/``old_rows``: a statement's rows on PostgreSQL)."""

    table: str
    name: str
    event: str
    parts: tuple[str, ...]
    per_row: bool = True
    when: tuple[str, ...] = ()
    """Only when one of these columns changed."""


def _both(table: str) -> list[str]:
    """What a changed row adds and takes away."""
    return [*_parts(table, _row("NEW", COLUMNS[table]), 1), *_parts(table, _row("OLD", COLUMNS[table]), -1)]


def _triggers(per_statement: bool) -> list[Trigger]:
    """Inserts per statement where the database can (a bulk insert is one upsert); a change of
    an initiative per figure, only when a column the figure reads changed (most steps change
    one or two); deletes before the row goes (a cascade takes each row away while the rows it
    joins are still there)."""
    found = []
    for table, columns in COLUMNS.items():
        rows = "new_rows" if per_statement else _row("NEW", columns)
        found.append(Trigger(table, f"{table}_tally_insert", "INSERT", tuple(_parts(table, rows, 1)),
                             per_row=not per_statement))
        found.append(Trigger(table, f"{table}_tally_delete", "DELETE", tuple(_parts(table, _row("OLD", columns), -1))))
    dimensions = ("month", "category", "district")
    new, old = _row("NEW", CASE_COLUMNS), _row("OLD", CASE_COLUMNS)
    for figure, reads in READS.items():
        found.append(Trigger("case_fact", f"case_fact_tally_{figure}", "UPDATE", (
            *_case_parts(new, 1, (figure,)), *_case_parts(old, -1, (figure,))), when=(*dimensions, *reads)))
    found.append(Trigger("case_fact", "case_fact_tally_moved", "UPDATE", (
        *_step_part("step_fact", new, 1), *_step_part("step_fact", old, -1),
        *_work_part("open_task_group", "open_task", new, 1), *_work_part("open_task_group", "open_task", old, -1)),
        when=dimensions))
    found.append(Trigger("open_task", "open_task_tally_update", "UPDATE", tuple(_both("open_task")),
                         when=("task_id", "instance_id", "overdue", "assignee")))
    found += [Trigger(table, f"{table}_tally_update", "UPDATE", tuple(_both(table)))
              for table in ("step_fact", "open_task_group")]
    return found


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"OLD.{name} {distinct} NEW.{name}" for name in columns)


def _postgres_ddl() -> list[str]:
    found = []
    for trigger in _triggers(per_statement=True):
        timing = "BEFORE" if trigger.event == "DELETE" else "AFTER"
        if trigger.per_row:
            each = "FOR EACH ROW" + (f" WHEN ({_changed(trigger.when, 'IS DISTINCT FROM')})" if trigger.when else "")
        else:
            each = "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
        found += [f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                  f"{append(list(trigger.parts))}; RETURN {'OLD' if trigger.event == 'DELETE' else 'NULL'}; END $$",
                  f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}",
                  f"CREATE TRIGGER {trigger.name} {timing} {trigger.event} ON {trigger.table} {each} "
                  f"EXECUTE FUNCTION {trigger.name}()"]
    return found


def _sqlite_ddl() -> list[str]:
    found = []
    for trigger in _triggers(per_statement=False):
        timing = "BEFORE" if trigger.event == "DELETE" else "AFTER"
        when = f" WHEN {_changed(trigger.when, 'IS NOT')}" if trigger.when else ""
        found += [f"DROP TRIGGER IF EXISTS {trigger.name}",
                  f"CREATE TRIGGER {trigger.name} {timing} {trigger.event} ON {trigger.table} FOR EACH ROW{when} "
                  f"BEGIN {append(list(trigger.parts))}; END"]
    return found


POSTGRES_DDL = tuple(_postgres_ddl())
SQLITE_DDL = tuple(_sqlite_ddl())
DROP_POSTGRES = tuple(f"DROP FUNCTION IF EXISTS {trigger.name}() CASCADE" for trigger in _triggers(True))
DROP_SQLITE = tuple(f"DROP TRIGGER IF EXISTS {trigger.name}" for trigger in _triggers(False))


def _all_made(ddl: BaseDDLElement, target: SchemaItem | str, bind: Connection | None, tables: list[Table] | None = None,
              state: Any | None = None, *, dialect: Dialect, compiler: DDLCompiler | None = None,
              checkfirst: bool = False) -> bool:
    """Whether the tables the triggers join were made now (a test may make the engine's alone)."""
    return tables is None or {TABLE, DELTA, *COLUMNS} <= {table.name for table in tables}


def _register() -> None:
    # After every table is there: the triggers sit on the fact and task tables and write this one.
    metadata: MetaData = Base.metadata
    for dialect, statements in (("postgresql", POSTGRES_DDL), ("sqlite", SQLITE_DDL)):
        for statement in statements:
            event.listen(metadata, "after_create", DDL(statement.replace("%", "%%")).execute_if(
                dialect=dialect, callable_=_all_made))


_register()
