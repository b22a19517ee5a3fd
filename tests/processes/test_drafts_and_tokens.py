"""Start-form drafts (answers, files, resume links) and login links: secrets as hashes only,
single use, expiry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.service import Engine
from processes import drafts
from processes.documents import MAX_FILE_BYTES, MAX_FILES, Upload
from processes.loket import Loket
from processes.portal_login import (
    LOGIN_LINK_LIFETIME,
    MAX_OPEN_LINKS,
    consume_login_token,
    hash_token,
    issue_login_link,
    valid_login_token,
)
from processes.tables.case import Document
from processes.tables.portal import FormDraft, LoginToken

PNG = Upload("foto.png", b"\x89PNG\r\n\x1a\nplaatje")


def test_save_answers_replaces_one_step_and_ignores_server_fields(engine: Engine) -> None:
    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        drafts.save_answers(draft, {"naam": "Alice", "email": "Alice@Example.nl", "telefoon": "0612345678"},
                            ["naam", "email", "telefoon"])
        drafts.save_answers(draft, {"titel": "Feest", "kanaal": "telefoon"}, ["titel", "kanaal"])
        drafts.save_answers(draft, {"naam": "Alice B"}, ["naam", "email", "telefoon"])
        assert draft.data == {"naam": "Alice B", "titel": "Feest"}
        assert draft.email == "alice@example.nl"


def test_files_are_checked_counted_and_removable(engine: Engine) -> None:
    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        stored, refused = drafts.add_documents(session, draft, [PNG, Upload("virus.exe", b"MZ")])
        assert [d.filename for d in stored] == ["foto.png"]
        assert [exc.message("en") for exc in refused] == [
            "virus.exe: we cannot accept this kind of file. Use PDF, JPG, PNG, DOCX, XLSX, ODT, TXT."]
        stored, refused = drafts.add_documents(session, draft, [PNG] * MAX_FILES)
        assert len(stored) == MAX_FILES - 1 and len(refused) == 1
        assert "hoogstens 5" in refused[0].message("nl")
        assert len(drafts.documents(session, draft)) == MAX_FILES
        assert drafts.remove_document(session, draft, stored[0].public_id)
        other = drafts.new_draft(session, "intake")
        assert not drafts.remove_document(session, other, stored[1].public_id), "only the draft's own files"
        assert len(drafts.documents(session, draft)) == MAX_FILES - 1


def test_files_larger_than_the_limit_are_refused(engine: Engine) -> None:
    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        stored, [refused] = drafts.add_documents(session, draft, [Upload("groot.pdf", b"%PDF" + b"0" * MAX_FILE_BYTES)])
        assert stored == [] and "groter dan 10 MB" in refused.message("nl")


def test_resume_link_is_stored_as_a_hash_and_replaced_by_a_newer_one(engine: Engine) -> None:
    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        first = drafts.issue_resume_link(session, draft, "Alice@example.nl")
        second = drafts.issue_resume_link(session, draft, "alice@example.nl")
        assert draft.resume_token_hash == hash_token(second)
        assert first not in str(session.scalars(select(FormDraft.resume_token_hash)).all())
        assert drafts.resume(session, first) is None
        resumed = drafts.resume(session, second)
        assert resumed is not None and resumed.key == draft.key
        assert drafts.resume(session, second) is not None, "a resume link works until the draft is sent"
        assert drafts.claim(session, draft.key)
        assert drafts.resume(session, second) is None, "not while (or after) it is being sent"


def test_expired_drafts_and_their_files_are_deleted(engine: Engine) -> None:
    with engine.db.transaction() as session:
        old = drafts.new_draft(session, "intake")
        drafts.add_documents(session, old, [PNG])
        token = drafts.issue_resume_link(session, old, "alice@example.nl")
        old_key = old.key
    clock.set_time(clock.now() + drafts.DRAFT_LIFETIME + timedelta(minutes=1))
    with engine.db.transaction() as session:
        assert drafts.find_draft(session, old_key) is None
        assert drafts.resume(session, token) is None
        drafts.new_draft(session, "intake")  # creating a draft purges expired ones
    with engine.db.transaction() as session:
        assert session.scalar(select(FormDraft).where(FormDraft.key == old_key)) is None
        assert session.scalars(select(Document)).all() == []


def _issue(session: Session, email: str = "alice@example.nl") -> str:
    link = issue_login_link(session, email)
    assert link is not None
    return link.token


def test_login_link_stores_only_a_hash_and_works_once(engine: Engine) -> None:
    with engine.db.transaction() as session:
        token = _issue(session, " Alice@Example.NL ")
        [row] = session.scalars(select(LoginToken)).all()
        assert row.token_hash == hash_token(token) and token not in row.token_hash
        assert row.email == "alice@example.nl"
        assert valid_login_token(session, token) is not None
        assert valid_login_token(session, token) is not None, "looking does not use it"
        login = consume_login_token(session, token)
        assert login is not None and login.email == "alice@example.nl"
        assert consume_login_token(session, token) is None
        assert valid_login_token(session, token) is None
        assert consume_login_token(session, token + "x") is None


def test_login_link_expires(engine: Engine) -> None:
    with engine.db.transaction() as session:
        token = _issue(session)
    clock.set_time(clock.now() + LOGIN_LINK_LIFETIME + timedelta(seconds=1))
    with engine.db.transaction() as session:
        assert valid_login_token(session, token) is None
        assert consume_login_token(session, token) is None


def test_one_address_gets_a_limited_number_of_open_links(engine: Engine) -> None:
    with engine.db.transaction() as session:
        tokens = [_issue(session) for _ in range(MAX_OPEN_LINKS)]
        assert issue_login_link(session, "alice@example.nl") is None
        assert issue_login_link(session, "bob@example.nl") is not None
        assert consume_login_token(session, tokens[0]) is not None
        assert issue_login_link(session, "alice@example.nl") is not None, "a used link no longer counts"


def test_old_login_links_are_purged(engine: Engine) -> None:
    with engine.db.transaction() as session:
        _issue(session)
    clock.set_time(clock.now() + timedelta(days=2))
    with engine.db.transaction() as session:
        _issue(session, "bob@example.nl")
    with engine.db.transaction() as session:
        assert session.scalars(select(LoginToken.email)).all() == ["bob@example.nl"]


def test_the_worker_housekeeping_deletes_expired_portal_data(loket: Loket, engine: Engine) -> None:
    """Expired drafts, their files and old login links go even when nobody starts a new one."""
    import threading

    from engine.jobs import work_forever
    from processes.housekeeping import purge_portal_data

    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        drafts.add_documents(session, draft, [PNG])
        _issue(session)
    clock.set_time(clock.now() + drafts.DRAFT_LIFETIME + timedelta(days=2))
    stop = threading.Event()

    def housekeeping() -> None:
        purge_portal_data(loket)
        stop.set()  # one round is enough for the test

    work_forever(engine, "test", poll_seconds=0.01, stop=stop, housekeeping=housekeeping)
    with engine.db.transaction() as session:
        assert session.scalars(select(FormDraft)).all() == []
        assert session.scalars(select(Document)).all() == []
        assert session.scalars(select(LoginToken)).all() == []


def test_orphan_uploads_are_deleted_after_a_day_but_draft_files_are_kept(engine: Engine) -> None:
    from processes.documents import store_document
    from processes.housekeeping import purge_orphan_uploads

    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        drafts.add_documents(session, draft, [PNG])
        store_document(session, PNG, uploaded_by="kcc@gemeente.example", draft_key="verlaten-registratie")
    with engine.db.transaction() as session:
        assert purge_orphan_uploads(session) == 0, "young orphans may still be sent"
    clock.set_time(clock.now() + timedelta(days=2))
    with engine.db.transaction() as session:
        assert purge_orphan_uploads(session) == 1
        assert [d.draft_key for d in session.scalars(select(Document)).all()] == [draft.key]


def test_staff_login_attempts_are_kept_ninety_days(engine: Engine) -> None:
    from processes.housekeeping import purge_old_login_attempts
    from processes.tables.staff import LoginAttempt

    with engine.db.transaction() as session:
        session.add(LoginAttempt(email="a@gemeente.example", ip="127.0.0.1", outcome="wrong", at=clock.now()))
    clock.set_time(clock.now() + timedelta(days=89))
    with engine.db.transaction() as session:
        assert purge_old_login_attempts(session) == 0
    clock.set_time(clock.now() + timedelta(days=2))
    with engine.db.transaction() as session:
        assert purge_old_login_attempts(session) == 1
        assert session.scalars(select(LoginAttempt)).all() == []
