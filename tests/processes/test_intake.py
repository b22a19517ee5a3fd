"""submit_initiative: the one way a case starts (online and on behalf), all or nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.errors import DiagramError
from engine.service import Engine
from engine.tables import AuditEvent, Job, ProcessInstance
from processes import drafts, portal
from processes import intake as services
from processes.documents import Upload, store_document
from processes.intake import AlreadySubmitting, SubmissionFailed, SubmissionRejected, submit_initiative
from processes.loket import Loket
from processes.tables.case import Document
from processes.tables.portal import FormDraft
from tests.processes.factories import wijkwens_data
from tests.web.public.support import ALICE, start_case

PDF = Upload("plan.pdf", b"%PDF-1.4 plan")


def _draft_with_file(engine: Engine) -> str:
    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        draft.data = wijkwens_data(email=ALICE)
        store_document(session, PDF, uploaded_by=ALICE, draft_key=draft.key, purpose="bijlage")
        return draft.key


def _count(engine: Engine, model: type) -> int:
    with engine.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_submit_starts_the_case_links_files_queues_the_confirmation_and_removes_the_draft(
    loket: Loket, engine: Engine,
) -> None:
    key = _draft_with_file(engine)
    info = submit_initiative(loket, wijkwens_data(email="Alice@Example.NL", kanaal="balie"), channel="online",
                             actor=ALICE, draft_key=key, lang="en")
    assert re.fullmatch(r"INI-\d{4}-\d{6}", info.case_ref)
    assert info.process_id == "initiatief"
    assert info.data["kanaal"] == "online" and info.data["taal"] == "en"
    assert info.data["categorie_voorstel"] == "wijkwens"
    with engine.db.transaction() as session:
        case = session.get(ProcessInstance, info.id)
        assert case is not None and case.initiator == "alice@example.nl"
        [document] = session.scalars(select(Document)).all()
        assert (document.instance_id, document.draft_key) == (info.id, None)
        assert info.data["bijlagen"] == [document.public_id]
        assert session.scalar(select(FormDraft).where(FormDraft.key == key)) is None
    confirmation = [job for job in engine.outbox(info.id) if job.payload["template"] == "bevestiging"]
    assert len(confirmation) == 1
    assert confirmation[0].payload["to"] == "Alice@Example.NL"
    assert confirmation[0].payload["lang"] == "en"
    assert confirmation[0].payload["context"] == {"case_ref": info.case_ref, "titel": "Buurtfeest Oosterpark",
                                                  "naam": "Jan Jansen"}


def test_on_behalf_of_a_caller_without_draft(loket: Loket, engine: Engine) -> None:
    info = submit_initiative(loket, wijkwens_data(email=ALICE, taal="en"), channel="telefoon",
                             actor="kcc.medewerker")
    assert info.data["kanaal"] == "telefoon"
    assert info.data["taal"] == "en"  # the caller's language, as the form recorded it
    assert engine.audit_trail(info.id)[0].actor == "kcc.medewerker"


def test_unknown_channel_is_a_programming_error(loket: Loket, engine: Engine) -> None:
    with pytest.raises(ValueError):
        submit_initiative(loket, wijkwens_data(), channel="fax", actor=ALICE)


def test_wrong_answers_store_nothing_and_keep_the_draft(loket: Loket, engine: Engine) -> None:
    key = _draft_with_file(engine)
    data = wijkwens_data(email="geen-adres", gevraagd_bedrag=-5)
    with pytest.raises(SubmissionRejected) as rejected:
        submit_initiative(loket, data, channel="online", actor=ALICE, draft_key=key)
    assert {error.field for error in rejected.value.errors} == {"email", "gevraagd_bedrag"}
    assert _count(engine, ProcessInstance) == 0
    with engine.db.transaction() as session:
        draft = drafts.find_draft(session, key)
        assert draft is not None and draft.submitting_at is None
        assert session.scalars(select(Document.draft_key)).all() == [key]


def test_an_engine_error_stores_nothing_and_releases_the_draft(
    loket: Loket, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = _draft_with_file(engine)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise DiagramError("script failed")

    monkeypatch.setattr(engine, "start", broken)
    with pytest.raises(SubmissionFailed):
        submit_initiative(loket, wijkwens_data(email=ALICE), channel="online", actor=ALICE, draft_key=key)
    assert _count(engine, ProcessInstance) == 0
    assert _count(engine, Job) == 0
    with engine.db.transaction() as session:
        assert drafts.find_draft(session, key) is not None


def test_when_linking_fails_nothing_of_the_case_is_stored(
    loket: Loket, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Linking the files runs in the transaction that starts the case: a failure there
    leaves no case, no audit trail and no mail — and the draft to send again."""
    key = _draft_with_file(engine)

    def broken(*_args: object) -> int:
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "attach_draft_documents", broken)
    with pytest.raises(SubmissionFailed):
        submit_initiative(loket, wijkwens_data(email=ALICE), channel="online", actor=ALICE, draft_key=key)
    with engine.db.transaction() as session:
        assert session.scalars(select(ProcessInstance)).all() == []
        assert session.scalars(select(AuditEvent)).all() == []
        draft = drafts.find_draft(session, key)
        assert draft is not None, "the person can simply send again"
        assert session.scalars(select(Document.instance_id)).all() == [None]
    assert engine.outbox() == [], "no mail about a case that does not exist"
    assert portal.my_cases(loket, ALICE) == []
    monkeypatch.undo()
    info = submit_initiative(loket, wijkwens_data(email=ALICE), channel="online", actor=ALICE, draft_key=key)
    assert [row.case.case_ref for row in portal.my_cases(loket, ALICE)] == [info.case_ref]


def test_a_draft_is_sent_once(loket: Loket, engine: Engine) -> None:
    key = _draft_with_file(engine)
    with engine.db.transaction() as session:
        assert drafts.claim(session, key)
    with pytest.raises(AlreadySubmitting):
        submit_initiative(loket, wijkwens_data(email=ALICE), channel="online", actor=ALICE, draft_key=key)
    assert _count(engine, ProcessInstance) == 0


def test_start_case_helper_gives_each_initiator_their_own_case(engine: Engine) -> None:
    first, second = start_case(engine, ALICE), start_case(engine, "bob@example.nl")
    assert first.case_ref != second.case_ref
