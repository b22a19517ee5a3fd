"""The monitoring's tallies: the facts (:mod:`processes.tables.facts`) counted ahead, per month an
initiative came in, its category and district (the dashboard's filters) and what a figure groups
by, so a look at the dashboard reads a row per group instead of a row per initiative.

One table, ``monitor_tally``: per ``figure`` (see :data:`CASE_FIGURES` and ``steps``), month,
category and district, up to two texts (``k1``, ``k2``) and two numbers (``i1``, ``i2``), how
many (``n``). Lead times are tallied per whole working day (a histogram), so the median and the
80th percentile come out exactly as from the facts. A text of a case is kept as ``''`` when it
is missing and as ``'=' || value`` otherwise (:func:`decode`): a key column cannot hold NULL, and
a missing value is not the empty text.

Triggers keep it, on both databases, whoever writes the facts (the step hook, the upgrade's
fill, the generated history's bulk inserts, a cascade from a deleted initiative): each change
of a fact table adds its rows' groups and takes away its old rows' groups in one grouped upsert.
A step's groups are those of its initiative (month, category, district): they move with the
initiative's category or district. PostgreSQL: per statement, with its transition tables (a bulk
insert is one upsert); SQLite: per row. Deletes are counted per row *before* the row goes, so a
cascade that deletes an initiative's facts and its steps in one statement takes each step away
while its initiative is still there to say its groups. Migration 0014 makes them in a database
that exists and fills the tallies (:data:`REBUILD`); the listeners here make them when the
tables are created from the models (tests, benches)."""

# ruff: noqa: S608 - every statement is made of this module's constants only (no input reaches it)
from __future__ import annotations

from sqlalchemy import DDL, Integer, MetaData, String, event
from sqlalchemy.orm import Mapped, mapped_column

from engine import Base
from processes.tables.facts import TEXT_LENGTH

TABLE = "monitor_tally"
KEYS = ("figure", "category", "district", "month", "k1", "k2", "i1", "i2")
WHOLE = "*"
"""``month`` and ``district`` of the whole-history groups (see :data:`LEVELS`)."""


class MonitorTally(Base):
    """How many facts (or what they add up to) fall in one group."""

    __tablename__ = TABLE

    figure: Mapped[str] = mapped_column(String(20), primary_key=True)
    category: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    district: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    k1: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    k2: Mapped[str] = mapped_column(String(TEXT_LENGTH + 1), primary_key=True)
    i1: Mapped[int] = mapped_column(Integer, primary_key=True)
    i2: Mapped[int] = mapped_column(Integer, primary_key=True)
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


def _row(record: str, columns: tuple[str, ...]) -> str:
    """One trigger row (``NEW``/``OLD``) as a relation."""
    return "(SELECT " + ", ".join(f"{record}.{name} AS {name}" for name in columns) + ")"


LEVELS = {"detail": f"r.month AS month, {_enc('r.district')} AS district",
          "whole": f"'{WHOLE}' AS month, '{WHOLE}' AS district"}
"""Every figure is kept per month and district (for a period or a district) and, but for
``cases`` (a few groups per month anyway), once more for the whole history per category (so
the overview reads a group per value, not per value and month)."""


def _case_parts(source: str, sign: int) -> list[str]:
    """The groups of the initiatives in ``source`` (aliased ``r``), each ``sign`` × what it adds."""
    parts = []
    for figure, (keys, where) in CASE_FIGURES.items():
        values = {"k1": "''", "k2": "''", "i1": "0", "i2": "0", "n": "1", **keys}
        for level, columns in LEVELS.items():
            if level == "whole" and figure == "cases":
                continue
            parts.append(f"SELECT '{figure}' AS figure, {_enc('r.category')} AS category, {columns}, "
                         f"{values['k1']} AS k1, {values['k2']} AS k2, {values['i1']} AS i1, {values['i2']} AS i2, "
                         f"{sign} * ({values['n']}) AS n FROM {source} r" + (f" WHERE {where}" if where else ""))
    return parts


def _step_part(steps: str, cases: str, sign: int) -> list[str]:
    """The groups of the steps in ``steps`` (aliased ``s``) of the initiatives in ``cases``
    (aliased ``r``): per step and working and calendar days."""
    return [f"SELECT 'steps' AS figure, {_enc('r.category')} AS category, {columns}, s.process AS k1, "
            f"s.element AS k2, s.work_days AS i1, s.calendar_days AS i2, {sign} AS n "
            f"FROM {steps} s JOIN {cases} r ON r.instance_id = s.instance_id" for columns in LEVELS.values()]


def upsert(parts: list[str]) -> str:
    """Adds the groups ``parts`` select to the tallies in one statement (in key order, so two
    steps at the same time lock shared groups in the same order)."""
    keys = ", ".join(KEYS)
    return (f"INSERT INTO {TABLE} ({keys}, n) SELECT {keys}, sum(n) FROM ("
            + " UNION ALL ".join(parts) + f") AS d WHERE true GROUP BY {keys} HAVING sum(n) <> 0 ORDER BY {keys} "
            f"ON CONFLICT ({keys}) DO UPDATE SET n = {TABLE}.n + excluded.n")


REBUILD = (f"DELETE FROM {TABLE}",
           upsert([*_case_parts("case_fact", 1), *_step_part("step_fact", "case_fact", 1)]))
"""The tallies counted again from the facts (the upgrade that adds them, ``loket monitor tallies``)."""

# What each change adds (+) and takes away (−), by table and event: the sources are the trigger's
# rows — transition tables per statement (PostgreSQL) or NEW/OLD per row.
NEW_CASES, OLD_CASES = _row("NEW", CASE_COLUMNS), _row("OLD", CASE_COLUMNS)
NEW_STEPS, OLD_STEPS = _row("NEW", STEP_COLUMNS), _row("OLD", STEP_COLUMNS)


def _changes(new_cases: str, old_cases: str, new_steps: str, old_steps: str) -> dict[tuple[str, str], list[str]]:
    return {
        ("case_fact", "INSERT"): [*_case_parts(new_cases, 1), *_step_part("step_fact", new_cases, 1)],
        ("case_fact", "UPDATE"): [*_case_parts(new_cases, 1), *_case_parts(old_cases, -1),
                                  *_step_part("step_fact", new_cases, 1), *_step_part("step_fact", old_cases, -1)],
        ("step_fact", "INSERT"): [*_step_part(new_steps, "case_fact", 1)],
        ("step_fact", "UPDATE"): [*_step_part(new_steps, "case_fact", 1), *_step_part(old_steps, "case_fact", -1)],
    }


DELETES = {"case_fact": [*_case_parts(OLD_CASES, -1), *_step_part("step_fact", OLD_CASES, -1)],
           "step_fact": [*_step_part(OLD_STEPS, "case_fact", -1)]}


def _postgres_ddl() -> list[str]:
    found = []
    for (table, action), parts in _changes("new_rows", "old_rows", "new_rows", "old_rows").items():
        name = f"{table}_tally_{action.lower()}"
        tables = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
        found += [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                  f"{upsert(parts)}; RETURN NULL; END $$",
                  f"DROP TRIGGER IF EXISTS {name} ON {table}",
                  f"CREATE TRIGGER {name} AFTER {action} ON {table} REFERENCING {tables[action]} "
                  f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]
    for table, parts in DELETES.items():
        name = f"{table}_tally_delete"
        found += [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                  f"{upsert(parts)}; RETURN OLD; END $$",
                  f"DROP TRIGGER IF EXISTS {name} ON {table}",
                  f"CREATE TRIGGER {name} BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"]
    return found


def _sqlite_ddl() -> list[str]:
    found = []
    for (table, action), parts in _changes(NEW_CASES, OLD_CASES, NEW_STEPS, OLD_STEPS).items():
        name = f"{table}_tally_{action.lower()}"
        found += [f"DROP TRIGGER IF EXISTS {name}",
                  f"CREATE TRIGGER {name} AFTER {action} ON {table} FOR EACH ROW BEGIN {upsert(parts)}; END"]
    for table, parts in DELETES.items():
        name = f"{table}_tally_delete"
        found += [f"DROP TRIGGER IF EXISTS {name}",
                  f"CREATE TRIGGER {name} BEFORE DELETE ON {table} FOR EACH ROW BEGIN {upsert(parts)}; END"]
    return found


POSTGRES_DDL = tuple(_postgres_ddl())
SQLITE_DDL = tuple(_sqlite_ddl())
DROP_POSTGRES = tuple(f"DROP FUNCTION IF EXISTS {table}_tally_{action}() CASCADE"
                      for table in ("case_fact", "step_fact") for action in ("insert", "update", "delete"))
DROP_SQLITE = tuple(f"DROP TRIGGER IF EXISTS {table}_tally_{action}"
                    for table in ("case_fact", "step_fact") for action in ("insert", "update", "delete"))


def _register() -> None:
    # After every table is there: the triggers sit on the fact tables and write this one.
    metadata: MetaData = Base.metadata
    for statement in POSTGRES_DDL:
        event.listen(metadata, "after_create", DDL(statement.replace("%", "%%")).execute_if(dialect="postgresql"))
    for statement in SQLITE_DDL:
        event.listen(metadata, "after_create", DDL(statement.replace("%", "%%")).execute_if(dialect="sqlite"))


_register()
