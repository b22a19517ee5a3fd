"""What the contact centre searches in: one lower-case text per initiative (reference, title,
the initiator's name, e-mail address and postcode), indexed for "contains" searches.

PostgreSQL: the text is a stored generated column (``search_text``) with a trigram
(``pg_trgm``) GIN index, so a search for a rare word reads only the matching rows, and one for
a common word counts its first hits without reading each initiative's case data again (an
index on the expression alone made every counted row decode its ``json``). SQLite: an FTS5
table with the trigram tokenizer, kept by triggers (``rowid`` is the instance id). Migrations
0005 and 0013 make them in a database that exists; the listeners here make them when the tables
are created from the models (tests, benches). None is in the models: :data:`SEARCH_OBJECTS`
names them for the schema check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, Table, event, literal_column
from sqlalchemy.sql.elements import ColumnElement

from engine import ProcessInstance

COLUMN = "search_text"
INDEX = "ix_process_instance_search_text"
FTS_TABLE = "case_search"
SEARCH_OBJECTS = frozenset({COLUMN, INDEX, FTS_TABLE} | {f"{FTS_TABLE}_{part}" for part in
                                                          ("data", "idx", "config")})
"""Names of the search structures (not in the models, made by migrations 0005 and 0013)."""


def _text(prefix: str, field: str) -> str:
    """The searchable text of a row, as SQL (``field`` reads a case-data field as text)."""
    parts = [f"{prefix}case_ref", f"{prefix}title", field.format(p=prefix, f="naam"), f"{prefix}initiator",
             field.format(p=prefix, f="postcode")]
    return "lower(" + " || ' ' || ".join(f"coalesce({part}, '')" for part in parts) + ")"


POSTGRES_TEXT = _text("", "{p}case_data ->> '{f}'")
"""What the generated column holds."""


def _sqlite_text(row: str) -> str:
    return _text(f"{row}.", "json_extract({p}case_data, '$.{f}')")


def postgres_text() -> ColumnElement[Any]:
    return literal_column(f"process_instance.{COLUMN}")


POSTGRES_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE process_instance ADD COLUMN IF NOT EXISTS {COLUMN} text "
    f"GENERATED ALWAYS AS ({POSTGRES_TEXT}) STORED",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON process_instance USING gin ({COLUMN} gin_trgm_ops)",
)
# Every statement is made of this module's constants only (no input reaches it).
SQLITE_DDL = (
    # Contentless, without sizes: a start writes only the index pages of its text.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(body, tokenize='trigram', content='', columnsize=0)",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON process_instance BEGIN "  # noqa: S608
    f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (new.id, {_sqlite_text('new')}); END",
    # Only when a searched field changed: most steps change other case data only. A contentless
    # table forgets a row by being told its old text.
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF case_ref, title, initiator, case_data "  # noqa: S608
    f"ON process_instance WHEN {_sqlite_text('old')} IS NOT {_sqlite_text('new')} BEGIN "
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, {_sqlite_text('old')}); "
    f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (new.id, {_sqlite_text('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON process_instance BEGIN "  # noqa: S608
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, {_sqlite_text('old')}); END",
)

def _register() -> None:
    table = ProcessInstance.__table__
    assert isinstance(table, Table)
    for statement in POSTGRES_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))


_register()
