"""An initiator never sees another initiator's case, document or message, whatever URL they
type; every form needs its CSRF token; the public forms are rate limited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from engine.tables import ProcessInstance
from processes import drafts
from processes.documents import Upload, store_document
from processes.messages import post_message
from processes.tables.case import CaseMessage
from tests.web.public.support import (
    ALICE,
    BOB,
    INTAKE_STEPS,
    ask_for_more,
    log_in,
    post_form,
    start_case,
    to_survey,
)
from tests.web_support import check_page, csrf_token


@pytest.fixture
def two_cases(engine: Engine) -> tuple[str, str, str]:
    """Alice's case, Bob's case (waiting for his answer, with a file and a message), Bob's file id."""
    alice = start_case(engine, ALICE)
    bob = start_case(engine, BOB, titel="Bobs geheime plan")
    ask_for_more(engine, bob)
    with engine.db.transaction() as session:
        document = store_document(session, Upload("bob.pdf", b"%PDF bob"), uploaded_by=BOB, instance_id=bob.id)
        post_message(session, bob.id, author="medewerker", body="Vertrouwelijk voor Bob", from_initiator=False)
        return alice.case_ref, bob.case_ref, document.public_id


def test_url_tampering_never_shows_another_initiators_case(client: FlaskClient, engine: Engine,
                                                           two_cases: tuple[str, str, str]) -> None:
    mine, theirs, their_file = two_cases
    log_in(client, engine, ALICE)
    listing = client.get("/mijn-initiatieven").text
    assert mine in listing and theirs not in listing and "Bobs geheime plan" not in listing
    for url in (f"/mijn-initiatieven/{theirs}",
                f"/mijn-initiatieven/{theirs}/document/{their_file}",
                f"/mijn-initiatieven/{mine}/document/{their_file}",
                "/mijn-initiatieven/INI-2099-999999"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Bob" not in response.text and "bob.pdf" not in response.text
    token = csrf_token(client.get(f"/mijn-initiatieven/{mine}").text)
    answer = client.post(f"/mijn-initiatieven/{theirs}/actie/message/aanvulling_ontvangen",
                         data={"csrf_token": token, "antwoord": "Ik ben Bob niet"})
    assert answer.status_code == 404
    message = client.post(f"/mijn-initiatieven/{theirs}/bericht", data={"csrf_token": token, "bericht": "Hoi"})
    assert message.status_code == 404
    with engine.db.transaction() as session:
        assert [m.body for m in session.scalars(select(CaseMessage)).all()] == ["Vertrouwelijk voor Bob"]
    with engine.db.transaction() as session:
        bob_id = session.scalar(select(ProcessInstance.id).where(ProcessInstance.case_ref == theirs))
    assert bob_id is not None
    assert [m.message for m in engine.waiting_messages(bob_id)] == ["aanvulling_ontvangen"], "still unanswered"


def test_an_initiator_cannot_complete_a_staff_task_of_their_own_case(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    [staff_task] = engine.open_tasks(instance_id=case.id)
    log_in(client, engine, ALICE)
    page = client.get(f"/mijn-initiatieven/{case.case_ref}")
    response = client.post(f"/mijn-initiatieven/{case.case_ref}/actie/task/{staff_task.task_id}",
                           data={"csrf_token": csrf_token(page.text), "aanvulling_nodig": "off",
                                 "categorie_akkoord": "true"})
    assert response.status_code == 404
    assert [t.task_id for t in engine.open_tasks(instance_id=case.id)] == [staff_task.task_id]


def test_an_initiator_cannot_answer_someone_elses_survey(client: FlaskClient, engine: Engine) -> None:
    mine, theirs = start_case(engine, ALICE), start_case(engine, BOB)
    to_survey(engine, theirs)
    [survey] = engine.open_tasks(instance_id=theirs.id, candidate_groups=["initiatiefnemer"])
    log_in(client, engine, ALICE)
    page = client.get(f"/mijn-initiatieven/{mine.case_ref}")
    for case_ref in (mine.case_ref, theirs.case_ref):
        response = client.post(f"/mijn-initiatieven/{case_ref}/actie/task/{survey.task_id}",
                               data={"csrf_token": csrf_token(page.text), "tevredenheid_score": "1"})
        assert response.status_code == 404
    assert engine.instance(theirs.id).state == "running"


def test_a_made_up_or_other_kind_of_token_does_not_log_in(client: FlaskClient, engine: Engine) -> None:
    with engine.db.transaction() as session:
        draft = drafts.new_draft(session, "intake")
        resume_token = drafts.issue_resume_link(session, draft, ALICE)
    page = client.get("/inloggen")
    for token in ("verzonnen", resume_token, draft.key):
        assert client.get(f"/inloggen/{token}").status_code == 410
        response = client.post(f"/inloggen/{token}", data={"csrf_token": csrf_token(page.text)})
        assert response.status_code == 410
        assert client.get("/mijn-initiatieven").status_code == 302


def test_every_form_needs_its_csrf_token(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    for url, data in (("/aanmelden/stap/wie", {"naam": "x"}), ("/aanmelden/versturen", {}),
                      ("/aanmelden/opslaan", {"email": ALICE}), ("/inloggen", {"email": ALICE})):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Het formulier is verlopen" in check_page(response.text).get_text()
    log_in(client, engine, ALICE)
    assert client.post(f"/mijn-initiatieven/{case.case_ref}/bericht", data={"bericht": "x"}).status_code == 400
    assert client.post("/uitloggen").status_code == 400


def test_pages_forbid_framing_and_sniffing(client: FlaskClient) -> None:
    response = client.get("/aanmelden/stap/wie")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.fixture
def limited_app(prepared_sqlite: Path, tmp_path: Path) -> Iterator[Flask]:
    from tests.web_support import app_on_copy

    with app_on_copy(prepared_sqlite, tmp_path, RATELIMIT_ENABLED=True) as app:
        yield app


def test_login_link_requests_are_rate_limited(limited_app: Flask) -> None:
    client = limited_app.test_client()
    statuses = [post_form(client, "/inloggen", {"email": f"persoon{n}@example.nl"}).status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    assert "Even geduld" in check_page(post_form(client, "/inloggen", {"email": ALICE}).text).get_text()


def test_sending_the_start_form_is_rate_limited(limited_app: Flask) -> None:
    client = limited_app.test_client()
    token = csrf_token(client.get("/aanmelden/stap/wie").text)
    statuses = [client.post("/aanmelden/versturen", data={"csrf_token": token}).status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


@pytest.fixture
def shared_address_app(prepared_sqlite: Path, tmp_path: Path) -> Iterator[Flask]:
    from tests.web_support import app_on_copy

    with app_on_copy(prepared_sqlite, tmp_path, RATELIMIT_ENABLED=True, START_FORM_STEPS_PER_DRAFT="5/minute",
                     START_FORM_STEPS_PER_ADDRESS="8/minute") as app:
        yield app


def _post_step(client: FlaskClient) -> int:
    return int(_post_wie(client).status_code)


def _post_wie(client: FlaskClient) -> Any:
    token = csrf_token(client.get("/aanmelden/stap/wie").text)
    return client.post("/aanmelden/stap/wie", data={"csrf_token": token, **INTAKE_STEPS["wie"]})


def test_several_initiatives_behind_one_address_are_limited_per_initiative(shared_address_app: Flask) -> None:
    neighbours = [shared_address_app.test_client() for _ in range(4)]  # a neighbourhood evening, one address
    assert [_post_step(client) for client in neighbours for _ in range(2)] == [302] * 8
    assert _post_step(shared_address_app.test_client()) == 429  # the address as a whole is still limited


def test_one_initiative_is_limited_on_its_own(shared_address_app: Flask) -> None:
    writer, other = shared_address_app.test_client(), shared_address_app.test_client()
    # the first step, before there is a draft, counts for the address; then five for the draft
    assert [_post_step(writer) for _ in range(6)] == [302] * 6
    refused = _post_wie(writer)
    assert refused.status_code == 429 and "Even geduld" in check_page(refused.text).get_text()
    assert _post_step(other) == 302  # someone else behind the same address goes on
