"""The hot path's statements, sent straight to the DB-API driver inside SQLAlchemy's
transaction: no statement compilation and no result processing per step.

On PostgreSQL a round trip costs more than the engine step itself, so a step's writes travel
together: inside :meth:`RawSql.batch` statements are collected and sent as one simple query
(parameters bound client-side by psycopg's ``ClientCursor``, which quotes every value), with
the transaction's ``COMMIT`` at its end when the step is done. The engine's own connections
run in autocommit mode with the transaction opened explicitly, so the ``BEGIN`` travels with
the step's first statement too (:mod:`engine.db`). A step on a cached instance is then one
round trip; starting an instance two.

Values are written exactly as SQLAlchemy's own types store them, so the ORM and the queries
read these rows back unchanged (the engine tests run every path on both databases).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from psycopg import ClientCursor
from psycopg.pq import TransactionStatus
from psycopg.types.json import Json
from sqlalchemy import Connection


class RawSql:
    def __init__(self, conn: Connection) -> None:
        self.dbapi: Any = conn.connection.driver_connection
        self.sqlite = conn.dialect.name == "sqlite"
        self._queued: list[tuple[str, Sequence[Any]]] | None = None

    # values ------------------------------------------------------------------------------
    def time(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if self.sqlite:  # as SQLAlchemy's DateTime stores it on SQLite
            return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        return value

    def json(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value) if self.sqlite else Json(value)

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    # transaction ----------------------------------------------------------------------------
    def _owns_transaction(self) -> bool:
        """True on an engine connection (autocommit, transaction opened by us)."""
        return not self.sqlite and bool(self.dbapi.autocommit)

    def _begin_prefix(self) -> str:
        if self._owns_transaction() and self.dbapi.info.transaction_status == TransactionStatus.IDLE:
            return "BEGIN; "
        return ""

    def begin(self) -> None:
        """Open the transaction now, before anything else writes on this connection."""
        if self._begin_prefix():
            self.dbapi.execute("BEGIN")

    # statements -----------------------------------------------------------------------------
    def _execute(self, text: str, params: Sequence[Any]) -> Any:
        if self.sqlite:
            cursor = self.dbapi.cursor()
            cursor.execute(text, params)
            return cursor
        cursor = ClientCursor(self.dbapi)
        cursor.execute(self._begin_prefix() + text.replace("?", "%s"), params)
        while cursor.nextset():  # the result that counts is the last statement's
            pass
        return cursor

    def one(self, text: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        cursor = self._execute(text, params)
        try:
            row = cursor.fetchone()
            return tuple(row) if row is not None else None
        finally:
            cursor.close()

    def run(self, text: str, params: Sequence[Any]) -> Any:
        """Execute now, or queue inside a batch on PostgreSQL (then the result is None)."""
        if self._queued is not None:
            self._queued.append((text, params))
            return None
        return self._execute(text, params)

    def many(self, text: str, rows: Sequence[Sequence[Any]]) -> None:
        """One INSERT of several rows (``text`` inserts one: ``... VALUES (?, ...)``)."""
        if not rows:
            return
        if self.sqlite:
            self.dbapi.cursor().executemany(text, rows)
            return
        head, _, values = text.partition(" VALUES ")
        self.run(f"{head} VALUES {', '.join(values for _ in rows)}", [value for row in rows for value in row])

    @contextmanager
    def batch(self, *, commit: bool = False) -> Iterator[None]:
        """Statements inside go out together on PostgreSQL, in one round trip, and with
        ``commit`` the transaction's COMMIT with them. On SQLite (in-process) they run as they
        come and the caller's transaction commits."""
        if self.sqlite:
            yield
            return
        self._queued = []
        try:
            yield
            statements = [text for text, _ in self._queued]
            open_now = self.dbapi.info.transaction_status != TransactionStatus.IDLE
            if commit and self._owns_transaction() and (statements or open_now):
                statements.append("COMMIT")
            params = [value for _, values in self._queued for value in values]
        finally:
            self._queued = None
        if statements:
            self._execute("; ".join(statements), params).close()
