"""The hot path's statements, sent straight to the DB-API driver inside SQLAlchemy's
transaction: no statement compilation and no result processing per step. On PostgreSQL the
writes of a step go out in one psycopg pipeline (one round trip instead of one each).

Values are written exactly as SQLAlchemy's own types store them, so the ORM and the queries
read these rows back unchanged (the engine tests run every path on both databases).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection


class RawSql:
    def __init__(self, conn: Connection) -> None:
        self.dbapi: Any = conn.connection.driver_connection
        self.sqlite = conn.dialect.name == "sqlite"

    def _sql(self, text: str) -> str:
        return text if self.sqlite else text.replace("?", "%s")

    # values ------------------------------------------------------------------------------
    def time(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else value

    def json(self, value: Any) -> Any:
        if value is None:
            return None
        if self.sqlite:
            return json.dumps(value)
        from psycopg.types.json import Json

        return Json(value)

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    # statements -----------------------------------------------------------------------------
    def one(self, text: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(self._sql(text), params)
            row = cursor.fetchone()
            return tuple(row) if row is not None else None
        finally:
            cursor.close()

    def run(self, text: str, params: Sequence[Any]) -> Any:
        """Execute; returns the cursor so a pipeline's rowcount can be read after the batch."""
        cursor = self.dbapi.cursor()
        cursor.execute(self._sql(text), params)
        return cursor

    def many(self, text: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cursor = self.dbapi.cursor()
            cursor.executemany(self._sql(text), rows)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Statements inside go out together on PostgreSQL (pipeline mode)."""
        context = nullcontext() if self.sqlite else self.dbapi.pipeline()
        with context:
            yield
