"""A backup of the whole database in one file, and putting it back (``loket backup`` and
``loket restore``).

- SQLite: SQLite's online backup API, a consistent copy also while the site writes. The copy
  is one self-contained file (no write-ahead log next to it).
- PostgreSQL: ``pg_dump --format=custom``; a restore replays it with ``psql`` in one
  transaction, after dropping the tables there are now: a restore that fails changes nothing,
  one that succeeds leaves exactly what the backup holds. Needs the PostgreSQL client programs
  (``postgresql-client``, the server's version or newer).

A backup holds personal data: the file is readable by its owner only. A restore replaces
everything; stop the site and the workers first (on SQLite a restore refuses while the
database is in use)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing, suppress
from pathlib import Path
from typing import IO

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from engine import normalise_url

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
LOKET_TABLE = "process_instance"
"""A table every loket database has: a file without it is not a backup of ours."""
IN_USE = "De database is in gebruik. Stop eerst de website en de workers; er is niets veranderd."

# Drop what the schema holds now, so the restore leaves exactly what the backup has (a table a
# later migration added would otherwise survive). Owned objects only: the schema itself may
# belong to someone else.
_EMPTY_SCHEMA = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm', 'r', 'p', 'f', 'S')
              AND pg_has_role(c.relowner, 'USAGE')
  LOOP
    EXECUTE format(CASE item.relkind WHEN 'v' THEN 'DROP VIEW IF EXISTS %I CASCADE'
                                     WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS %I CASCADE'
                                     WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS %I CASCADE'
                                     WHEN 'S' THEN 'DROP SEQUENCE IF EXISTS %I CASCADE'
                                     ELSE 'DROP TABLE IF EXISTS %I CASCADE' END, item.relname);
  END LOOP;
  -- The trigger functions too (the monitoring's tallies); an extension's stay with it.
  FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = current_schema() AND pg_has_role(p.proowner, 'USAGE')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                              AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
  END LOOP;
END $$;
"""


class BackupFailed(Exception):
    """A backup or restore that could not be done; the message says why, in Dutch."""


def backup(database_url: str, out: Path) -> None:
    """Write a backup of the database at ``database_url`` to ``out`` (replaced if it exists;
    a failed backup leaves no half file)."""
    url = _url(database_url)
    out = out.expanduser()
    if not out.parent.is_dir():
        raise BackupFailed(f"De map {out.parent} bestaat niet.")
    partial = _private_file(out.parent)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
        else:
            _run([_program("pg_dump"), "--format=custom", "--no-password", f"--file={partial}",
                  f"--dbname={_libpq_uri(url)}"], url)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


def restore(database_url: str, source: Path) -> None:
    """Replace everything in the database at ``database_url`` by the backup in ``source``."""
    url = _url(database_url)
    head = _head(source)
    if url.get_backend_name() == "sqlite":
        if not head.startswith(SQLITE_HEADER):
            raise BackupFailed(f"{source} is geen reservekopie van een SQLite-database.")
        _sqlite_restore(source, _sqlite_path(url))
    else:
        if not head.startswith(PG_DUMP_HEADER):
            raise BackupFailed(f"{source} is geen reservekopie van een PostgreSQL-database (pg_dump --format=custom).")
        _postgres_restore(source, url)


# SQLite ---------------------------------------------------------------------------------------
def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("Deze database staat niet in een bestand.")
    return Path(url.database)


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupFailed(f"De database {database} bestaat niet.")
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, no log beside it
    except sqlite3.Error as error:
        raise BackupFailed(f"De reservekopie is mislukt: {error}.") from error


def _sqlite_restore(source: Path, database: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup_db:
            if backup_db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupFailed(f"{source} is beschadigd.")
            if not backup_db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                     (LOKET_TABLE,)).fetchone():
                raise BackupFailed(f"{source} is geen reservekopie van het Initiatievenloket.")
            with closing(sqlite3.connect(database, timeout=5)) as live:
                # Leaving WAL mode needs the database to itself: a site or worker still using it
                # makes this fail (nothing changed), and the backup may then set another page size.
                if live.execute("PRAGMA journal_mode=DELETE").fetchone() != ("delete",):
                    raise BackupFailed(IN_USE)
                backup_db.backup(live)
                live.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise BackupFailed(IN_USE) from error
        raise BackupFailed(f"Terugzetten is mislukt: {error}. Er is niets veranderd.") from error
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{source} is geen bruikbare reservekopie: {error}.") from error


# PostgreSQL -----------------------------------------------------------------------------------
def _postgres_restore(source: Path, url: URL) -> None:
    listing = _run([_program("pg_restore"), "--list", str(source)], url)
    if f" TABLE public {LOKET_TABLE} " not in listing and f" TABLE {LOKET_TABLE} " not in listing:
        raise BackupFailed(f"{source} is geen reservekopie van het Initiatievenloket.")
    env = _env(url)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        script = subprocess.Popen(  # noqa: S603 - fixed programs, no shell
            [_program("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(source)],
            stdout=subprocess.PIPE, stderr=restore_errors, env=env)
        psql = subprocess.Popen(  # noqa: S603 - fixed programs, no shell
            [_program("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
             "--no-password", f"--dbname={_libpq_uri(url)}"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors, env=env)
        script_failed = _feed(psql.stdin, script)
        psql_failed = psql.wait() != 0
        # psql stopping at an error also stops pg_restore (a closed pipe): psql says why.
        if psql_failed or script_failed:
            raise BackupFailed("Terugzetten is mislukt; er is niets veranderd: "
                               + _text(psql_errors if psql_failed else restore_errors))


def _feed(target: IO[bytes] | None, script: subprocess.Popen[bytes]) -> bool:
    """One transaction into psql: the drop statements, the backup's own script, and COMMIT
    only when pg_restore read the whole backup (otherwise psql ends without it: rolled back).
    psql stopping early at an error closes the pipe; its exit status says so. True when
    pg_restore failed."""
    assert target is not None and script.stdout is not None
    with suppress(BrokenPipeError), target:
        target.write(b"BEGIN;\n" + _EMPTY_SCHEMA.encode())
        shutil.copyfileobj(script.stdout, target)
        script.stdout.close()
        if script.wait() == 0:
            target.write(b"COMMIT;\n")
    script.stdout.close()
    return script.wait() != 0


def _text(errors: IO[bytes]) -> str:
    errors.seek(0)
    return errors.read().decode("utf-8", "replace").strip()[-2000:]


def _run(command: list[str], url: URL) -> str:
    done = subprocess.run(command, capture_output=True, env=_env(url), check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} is mislukt: "
                           + done.stderr.decode("utf-8", "replace").strip()[-2000:])
    return done.stdout.decode("utf-8", "replace")


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} ontbreekt. Installeer de PostgreSQL-clientprogramma's (postgresql-client), "
                           "dezelfde of een nieuwere versie dan de server.")
    return found


def _libpq_uri(url: URL) -> str:
    """The address for libpq, without the password (that goes in the environment, not on the
    command line where any user of the machine can read it)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


# both -----------------------------------------------------------------------------------------
def _url(database_url: str) -> URL:
    try:
        url = make_url(normalise_url(database_url))
    except ArgumentError as error:
        raise BackupFailed(f"Onbekend databaseadres: {error}.") from error
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupFailed(f"Alleen SQLite en PostgreSQL worden ondersteund, niet {url.get_backend_name()}.")
    return url


def _head(source: Path) -> bytes:
    try:
        with source.expanduser().open("rb") as file:
            return file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupFailed(f"{source} kan niet worden gelezen: {error.strerror}.") from error


def _private_file(folder: Path) -> Path:
    """An empty file only its owner can read: a backup holds personal data."""
    handle, name = tempfile.mkstemp(prefix=".loket-backup-", dir=folder)
    os.close(handle)  # mkstemp makes it 0600
    return Path(name)
