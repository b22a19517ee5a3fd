"""Backup and restore (processes.backup, ``loket backup`` / ``loket restore``) on SQLite and
PostgreSQL: what was there at the backup comes back, what came after is gone, and a restore
that cannot be done changes nothing."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from engine import clock
from engine.service import Engine
from engine.tables import ProcessInstance
from processes import backup
from tests.processes.factories import Case, create_loket_engine, intake_data
from web.cli import cli

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine, _mailer = create_loket_engine(database_url, year=clock.now().year)
    clock.set_time(None)
    yield engine
    engine.db.dispose()


def case_refs(engine: Engine) -> list[str]:
    with engine.db.reading() as session:
        return sorted(ref for ref in session.scalars(select(ProcessInstance.case_ref)).all() if ref)


def change_everything(engine: Engine, case: Case) -> None:
    """After the backup: the case moves on, another one arrives, and a table appears (as a
    later migration would add)."""
    case.complete("categorie_bevestigen", ACCEPT)
    Case.start(engine, intake_data(titel="Na de reservekopie"))
    with engine.db.transaction() as session:
        session.execute(text("CREATE TABLE na_de_kopie (id INTEGER PRIMARY KEY)"))
    assert len(case_refs(engine)) == 2 and "categorie_bevestigen" not in case.task_names()


def test_a_restored_backup_has_the_case_as_it_was(engine: Engine, database_url: str, tmp_path: Path) -> None:
    case = Case.start(engine, intake_data(titel="Geveltuin voor de reservekopie"))
    out = tmp_path / "loket.backup"
    backup.backup(database_url, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600, "a backup holds personal data: only its owner reads it"
    assert [p.name for p in tmp_path.iterdir()] == ["loket.backup"], "one file, nothing half-written beside it"
    change_everything(engine, case)
    engine.db.dispose()
    backup.restore(database_url, out)
    assert case_refs(engine) == [case.info.case_ref]
    assert case.refresh().data["titel"] == "Geveltuin voor de reservekopie"
    assert case.task_names() == ["categorie_bevestigen"]
    with pytest.raises(DBAPIError, match="na_de_kopie"), engine.db.reading() as session:
        session.execute(text("SELECT count(*) FROM na_de_kopie"))  # the table came after the backup
    case.complete("categorie_bevestigen", ACCEPT)  # the restored database works on
    assert "categorie_bevestigen" not in case.task_names()


def test_what_is_no_backup_is_refused_and_nothing_changes(engine: Engine, database_url: str, tmp_path: Path) -> None:
    Case.start(engine)
    before = case_refs(engine)
    garbage = tmp_path / "kapot.backup"
    garbage.write_bytes(b"dit is geen reservekopie")
    other = tmp_path / "ander.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE iets (id INTEGER)")
    engine.db.dispose()
    for source in (garbage, other, tmp_path / "bestaat-niet.backup"):
        with pytest.raises(backup.BackupFailed):
            backup.restore(database_url, source)
    assert case_refs(engine) == before


def test_a_backup_of_one_database_kind_does_not_go_into_the_other(engine: Engine, database_url: str,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "loket.backup"
    backup.backup(database_url, out)
    if database_url.startswith("sqlite"):
        elsewhere = "postgresql://postgres@127.0.0.1:5432/bestaat_niet"
        message = "geen reservekopie van een PostgreSQL-database"
    else:
        elsewhere = f"sqlite:///{tmp_path / 'elders.sqlite3'}"
        message = "geen reservekopie van een SQLite-database"
    with pytest.raises(backup.BackupFailed, match=message):
        backup.restore(elsewhere, out)


def test_a_broken_postgresql_backup_changes_nothing(database_url: str, engine: Engine, tmp_path: Path) -> None:
    """pg_restore fails halfway through a cut-off file: psql gets no COMMIT, nothing is dropped."""
    if database_url.startswith("sqlite"):
        # SQLite checks the whole file before it copies a page.
        out = tmp_path / "loket.backup"
        case = Case.start(engine)
        backup.backup(database_url, out)
        out.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    else:
        case = Case.start(engine)
        for n in range(30):  # enough rows that the data comes after the table of contents
            Case.start(engine, intake_data(titel=f"Initiatief {n}"))
        out = tmp_path / "loket.backup"
        backup.backup(database_url, out)
        whole = out.read_bytes()
        out.write_bytes(whole[: len(whole) * 3 // 4])
    case.complete("categorie_bevestigen", ACCEPT)
    before = case_refs(engine)
    engine.db.dispose()
    with pytest.raises(backup.BackupFailed, match="niets veranderd|beschadigd|geen bruikbare"):
        backup.restore(database_url, out)
    assert case_refs(engine) == before
    assert "categorie_bevestigen" not in case.task_names()


def test_a_sqlite_restore_waits_until_nobody_uses_the_database(tmp_path: Path) -> None:
    path = tmp_path / "loket.sqlite3"
    engine, _mailer = create_loket_engine(f"sqlite:///{path}")
    case = Case.start(engine)
    out = tmp_path / "loket.backup"
    backup.backup(f"sqlite:///{path}", out)
    case.complete("categorie_bevestigen", ACCEPT)
    try:
        with engine.db.reading() as session:  # the site is still running
            session.execute(select(func.count()).select_from(ProcessInstance))
            with pytest.raises(backup.BackupFailed, match="in gebruik"):
                backup.restore(f"sqlite:///{path}", out)
        assert "categorie_bevestigen" not in case.task_names()
    finally:
        engine.db.dispose()


def test_the_commands(engine: Engine, database_url: str, tmp_path: Path) -> None:
    case = Case.start(engine)
    engine.db.dispose()
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "test"}
    out = tmp_path / "kopie.backup"
    made = CliRunner().invoke(cli, ["backup", "--out", str(out)], env=env)
    assert made.exit_code == 0 and f"Reservekopie gemaakt: {out}" in made.output, made.output
    Case.start(engine, intake_data(titel="Later"))
    engine.db.dispose()
    refused = CliRunner().invoke(cli, ["restore", str(out)], env=env, input="n\n")
    assert refused.exit_code == 1 and len(case_refs(engine)) == 2, "without a yes nothing happens"
    engine.db.dispose()
    done = CliRunner().invoke(cli, ["restore", str(out)], env=env, input="y\n")
    assert done.exit_code == 0 and "teruggezet" in done.output, done.output
    assert case_refs(engine) == [case.info.case_ref]
    engine.db.dispose()
    broken = tmp_path / "kapot.backup"
    broken.write_bytes(b"niets")
    failed = CliRunner().invoke(cli, ["restore", "--yes", str(broken)], env=env)
    assert failed.exit_code == 1 and "geen reservekopie" in failed.output and "Traceback" not in failed.output
    missing_folder = CliRunner().invoke(cli, ["backup", "--out", str(tmp_path / "geen" / "map.backup")], env=env)
    assert missing_folder.exit_code == 1 and "bestaat niet" in missing_folder.output
