"""The portal's own SQL (single-use tokens with RETURNING, claiming a draft, the undo filter)
behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from engine.service import Engine
from processes import drafts, portal
from processes.demo.organisation import load_organisation
from processes.documents import Upload
from processes.intake import AlreadySubmitting, submit_initiative
from processes.portal_login import consume_login_token, issue_login_link
from tests.factories import loket_for
from tests.processes.factories import wijkwens_data
from tests.web.public.support import ALICE, ask_for_more, start_case
from tests.web_support import ROOT
from web import create_app, engine_of


@pytest.fixture
def backend(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    app: Flask = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    engine = engine_of(app)
    engine.deploy_directory(ROOT / "bpmn_models", actor="test")
    with engine.db.transaction() as session:
        load_organisation(session)
    yield engine
    engine.db.dispose()


def test_tokens_drafts_and_submission(backend: Engine) -> None:
    with backend.db.transaction() as session:
        link = issue_login_link(session, ALICE)
        assert link is not None
    with backend.db.transaction() as session:
        assert consume_login_token(session, link.token) is not None
    with backend.db.transaction() as session:
        assert consume_login_token(session, link.token) is None
    with backend.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        drafts.add_documents(session, draft, [Upload("plan.pdf", b"%PDF plan")])
        key = draft.key
    with backend.db.transaction() as session:
        assert drafts.claim(session, key)
    with pytest.raises(AlreadySubmitting):
        submit_initiative(loket_for(backend), wijkwens_data(email=ALICE), channel="online", actor=ALICE, draft_key=key)
    with backend.db.transaction() as session:
        drafts.release(session, key)
    info = submit_initiative(loket_for(backend), wijkwens_data(email=ALICE), channel="online", actor=ALICE,
                             draft_key=key)
    assert len(info.data["bijlagen"]) == 1
    assert [row.case.case_ref for row in portal.my_cases(loket_for(backend), ALICE)] == [info.case_ref]


def test_answering_a_question(backend: Engine) -> None:
    info = start_case(backend)
    ask_for_more(backend, info)
    loket = loket_for(backend)
    [action] = portal.case_page(loket, ALICE, info.case_ref).actions
    portal.answer(loket, ALICE, info.case_ref, action, {"antwoord": "Zie bijlage"},
                  {"documenten": [Upload("tekening.pdf", b"%PDF tekening")]})
    assert backend.waiting_messages(info.id) == []
