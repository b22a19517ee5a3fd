"""Database access: one SQLAlchemy engine per URL, one session (= one transaction) per step."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def default_database_url(instance_dir: Path | None = None) -> str:
    """``DATABASE_URL`` if set, else an SQLite file under ``instance/``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return normalise_url(url)
    folder = instance_dir or Path.cwd() / "instance"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'loket.sqlite3'}"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


SQLITE_PAGE_SIZE = 1024


def sqlite_file_settings(dbapi_connection: Any, _record: Any = None) -> None:
    """Settings of the database file itself, so also for whatever creates it (the migrations).

    Every page a step changes is written to the log and synced at its commit: small pages
    write a quarter of the bytes for the same index entries (measured with the bench and the
    bundled models: both faster). The page size takes effect only when the file is created."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    sqlite_file_settings(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


READ_ONLY = "loket_read_only"
"""Execution option of the connections :meth:`Database.reading` hands out."""


def _sqlite_begin(conn: Any) -> None:
    # A unit of work that writes takes the write lock at its start, so concurrent steps
    # serialise instead of failing halfway with "database is locked". One that only reads
    # starts a deferred transaction: in WAL mode a reader never waits for a writer.
    # Straight to the driver: this runs for every transaction.
    read_only = conn.get_execution_options().get(READ_ONLY)
    conn.connection.driver_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")


class ReadOnlySession(Session):
    """A session of a unit of work that only reads: writing through it is a programming error
    (on SQLite its deferred transaction would have to take the write lock halfway)."""

    def flush(self, objects: Any = None) -> None:
        if self.new or self.dirty or self.deleted:
            raise RuntimeError("this unit of work only reads; use Database.transaction() to write")
        super().flush(objects)


class Database:
    """Owns the SQLAlchemy engine and hands out sessions."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "isolation_level": None}
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_recycle=1800)
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}),
                                           class_=ReadOnlySession, expire_on_commit=False)
        self._hot_path = self.engine if self.is_sqlite else self.engine.execution_options(
            isolation_level="AUTOCOMMIT"
        )
        self._read_path = self.engine.execution_options(**{READ_ONLY: True}) if self.is_sqlite else self._hot_path

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block succeeds, rolls back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads: never takes the write lock (on SQLite a deferred
        transaction, so readers answer while a long write holds the lock). Closing it ends the
        transaction without a commit; what it read stays usable."""
        session = self._read_sessions()
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def reading_one(self) -> Iterator[Session]:
        """A read of a single statement: on PostgreSQL in autocommit mode, so it costs one round
        trip instead of three (BEGIN, the query, ROLLBACK). One statement sees one snapshot
        either way (READ COMMITTED); a read that needs several to agree takes :meth:`reading`."""
        with self.read_connection() as conn:
            session = ReadOnlySession(bind=conn, expire_on_commit=False)
            try:
                yield session
            finally:
                session.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A bare connection in one transaction: the engine's hot path (no ORM session).

        On PostgreSQL the driver runs in autocommit mode here and :class:`engine.rawsql.RawSql`
        opens the transaction itself, so its BEGIN (and COMMIT) travel with the step's
        statements instead of costing round trips of their own. Leaving the block still
        commits, or rolls back on an error, whatever is open."""
        with self._hot_path.begin() as conn:
            yield conn

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A bare connection that only reads (on SQLite a deferred transaction: it never waits
        for a writer)."""
        with self._read_path.begin() as conn:
            yield conn

    def create_all(self) -> None:
        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
