"""The process owner's drafts: kept per owner (nobody else sees them), replaced when saved again,
thrown away when that owner puts the file into use; the same on SQLite and PostgreSQL, and the
migration that adds the table upgrades an existing database on both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from engine import clock
from engine.db import normalise_url
from processes import MODELS_DIR, studio, studio_drafts
from processes.demo.organisation import load_organisation
from processes.loket import Loket
from processes.schema import upgrade_database
from processes.studio_drafts import DraftRefused
from processes.tables.studio_draft import StudioDraft
from tests.web.staff.support import PROCES
from web import create_app, engine_of, loket_of

OTHER = "pia.procesbeheer@gemeente.example"
WIJKWENS = "wijkwens.bpmn"
BEVESTIGING = "texts/bevestiging.nl.txt"


def test_a_draft_is_its_owners_alone(loket: Loket) -> None:
    saved = studio_drafts.save(loket, PROCES, WIJKWENS, "<definitions/>")
    assert saved.name == WIJKWENS and saved.content == "<definitions/>"
    assert studio_drafts.load(loket, PROCES.upper(), WIJKWENS) == saved  # the address, in any case
    assert studio_drafts.load(loket, OTHER, WIJKWENS) is None
    assert studio_drafts.list_for(loket, OTHER) == []
    assert studio_drafts.load_many(loket, OTHER, [WIJKWENS, BEVESTIGING]) == {}
    assert studio_drafts.discard(loket, OTHER, [WIJKWENS]) == 0
    assert studio_drafts.load(loket, PROCES, WIJKWENS) == saved


def test_saving_again_replaces_the_draft(loket: Loket) -> None:
    clock.set_time(clock.now() - timedelta(hours=1))
    first = studio_drafts.save(loket, PROCES, WIJKWENS, "eerste")
    clock.set_time(None)
    second = studio_drafts.save(loket, PROCES, WIJKWENS, "tweede")
    assert second.saved_at > first.saved_at
    studio_drafts.save(loket, PROCES, BEVESTIGING, "Onderwerp: x\n")
    listed = studio_drafts.list_for(loket, PROCES)
    assert [draft.name for draft in listed] == [BEVESTIGING, WIJKWENS]  # the most recent first
    assert studio_drafts.load(loket, PROCES, WIJKWENS) is not None
    with loket.reading() as session:
        assert session.scalar(select(func.count()).select_from(StudioDraft)) == 2


def test_only_files_in_use_and_the_missing_twin_of_a_text_can_have_a_draft(loket: Loket) -> None:
    for name in ("bestaat-niet.bpmn", "../pyproject.toml", "texts/nieuw.nl.txt", "forms/nieuw.json"):
        with pytest.raises(DraftRefused) as refused:
            studio_drafts.save(loket, PROCES, name, "x")
        assert refused.value.code == "not_draftable"
    files = {name: data for name, data in studio.bundle_in_use(loket).items() if name != "texts/masterclass.en.txt"}
    loket.engine.deploy_files(files, actor=PROCES)
    assert studio_drafts.save(loket, PROCES, "texts/masterclass.en.txt", "Subject: x\n").name == \
        "texts/masterclass.en.txt"
    assert studio_drafts.twin_of("texts/masterclass.en.txt") == "texts/masterclass.nl.txt"
    assert studio_drafts.twin_of(WIJKWENS) is None


@pytest.mark.parametrize(("content", "code"), [
    ("x" * (studio_drafts.MAX_DRAFT_BYTES + 1), "too_large"),
    ("nul \x00 teken", "not_text"),
    ("half \ud800 teken", "not_text"),
])
def test_a_draft_that_no_file_could_hold_is_refused(loket: Loket, content: str, code: str) -> None:
    with pytest.raises(DraftRefused) as refused:
        studio_drafts.save(loket, PROCES, WIJKWENS, content)
    assert refused.value.code == code
    assert studio_drafts.list_for(loket, PROCES) == []


def test_deploying_a_file_ends_the_deployers_draft_of_it_only(loket: Loket) -> None:
    diagram = (MODELS_DIR / WIJKWENS).read_bytes()
    changed = diagram.replace(b"De regiegroep van uw wijk beoordeelt uw wijkwens.",
                              b"De regiegroep van uw wijk kijkt naar uw wijkwens.")
    for owner in (PROCES, OTHER):
        studio_drafts.save(loket, owner, WIJKWENS, changed.decode())
    studio_drafts.save(loket, PROCES, BEVESTIGING, "Onderwerp: x\n")

    check, result = studio_drafts.deploy(loket, {WIJKWENS: b"<kapot"}, actor=PROCES)
    assert result is None and check.problems
    assert studio_drafts.load(loket, PROCES, WIJKWENS) is not None  # refused: the draft stays

    check, result = studio_drafts.deploy(loket, {WIJKWENS: changed}, actor=PROCES, note="test")
    assert result is not None and check.replaced == [WIJKWENS]
    assert studio_drafts.load(loket, PROCES, WIJKWENS) is None
    assert studio_drafts.load(loket, PROCES, BEVESTIGING) is not None  # another file
    assert studio_drafts.load(loket, OTHER, WIJKWENS) is not None  # another owner


def test_other_editors_can_end_the_draft_after_their_own_deploy(loket: Loket) -> None:
    studio_drafts.save(loket, PROCES, BEVESTIGING, "Onderwerp: x\n")
    content = (MODELS_DIR / "texts" / "bevestiging.nl.txt").read_bytes().replace(b"ontvangen", b"binnen", 1)
    check, result = studio.deploy(loket, {"bevestiging.nl.txt": content}, actor=PROCES)
    assert result is not None
    assert studio_drafts.discard_deployed(loket, PROCES, check) == 1
    assert studio_drafts.list_for(loket, PROCES) == []


# --- both databases ----------------------------------------------------------------------------
@pytest.fixture
def loket_on(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    app: Flask = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    engine = engine_of(app)
    engine.deploy_directory(MODELS_DIR, actor="test")
    with engine.db.transaction() as session:
        load_organisation(session)
    yield loket_of(app)
    engine.db.dispose()


def test_drafts_on_both_databases(loket_on: Loket) -> None:
    studio_drafts.save(loket_on, PROCES, WIJKWENS, "één")
    studio_drafts.save(loket_on, PROCES, WIJKWENS, "twee")
    studio_drafts.save(loket_on, OTHER, WIJKWENS, "van een ander")
    assert studio_drafts.load(loket_on, PROCES, WIJKWENS).content == "twee"  # type: ignore[union-attr]
    assert [draft.name for draft in studio_drafts.list_for(loket_on, OTHER)] == [WIJKWENS]
    with pytest.raises(IntegrityError), loket_on.transaction() as session:  # one draft per owner and file
        session.add(StudioDraft(owner=PROCES, name=WIJKWENS, content="dubbel", saved_at=clock.now()))
    assert studio_drafts.discard(loket_on, PROCES, [WIJKWENS, BEVESTIGING]) == 1
    assert studio_drafts.load(loket_on, OTHER, WIJKWENS) is not None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/migrate.sqlite3"
    url: str = request.getfixturevalue("postgres_url")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return url


def test_the_migration_adds_the_drafts_table_to_an_existing_database(empty_database_url: str) -> None:
    upgrade_database(empty_database_url, "0003")
    db = create_engine(normalise_url(empty_database_url))
    assert "studio_draft" not in inspect(db).get_table_names()
    upgrade_database(empty_database_url)
    inspector = inspect(db)
    assert "studio_draft" in inspector.get_table_names()
    assert [constraint["column_names"] for constraint in inspector.get_unique_constraints("studio_draft")] == \
        [["owner", "name"]]
    insert = text("INSERT INTO studio_draft (owner, name, content, saved_at) VALUES (:o, 'a.bpmn', 'x', :t)")
    with db.begin() as conn:
        conn.execute(insert, {"o": PROCES, "t": clock.now()})
        conn.execute(insert, {"o": OTHER, "t": clock.now()})
    with pytest.raises(IntegrityError), db.begin() as conn:
        conn.execute(insert, {"o": PROCES, "t": clock.now()})
    db.dispose()
