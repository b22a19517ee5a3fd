""""Mijn initiatieven" as services: only one's own cases, what is asked, answering it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from engine.errors import MessageNotExpected, NotFound
from engine.service import Engine
from tests.web.public.support import ALICE, BOB, QUESTION, STAFF, ask_for_more, complete, start_case, to_survey
from web.casefile.documents import Upload, store_document
from web.casefile.messages import post_message
from web.casefile.models import Document
from web.public import portal

PDF = Upload("tekening.pdf", b"%PDF-1.4 tekening")


def _case(engine: Engine, email: str, case_ref: str) -> Any:
    with engine.db.transaction() as session:
        return portal.own_case(session, email, case_ref)


def test_an_initiator_sees_only_their_own_cases(engine: Engine) -> None:
    mine = start_case(engine, "Alice@Example.nl")
    theirs = start_case(engine, BOB)
    with engine.db.transaction() as session:
        assert [c.case_ref for c in portal.my_cases(session, ALICE)] == [mine.case_ref]
        assert [c.case_ref for c in portal.my_cases(session, " ALICE@example.nl ")] == [mine.case_ref]
        with pytest.raises(NotFound):
            portal.own_case(session, ALICE, theirs.case_ref)
        with pytest.raises(NotFound):
            portal.own_case(session, ALICE, "INI-0000-000000")


def test_status_history_expected_date_and_category(engine: Engine) -> None:
    info = start_case(engine)
    case = _case(engine, ALICE, info.case_ref)
    history = portal.status_history(engine, case)
    assert [h.text for h in history] == ["Uw initiatief is ontvangen.",
                                         "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."]
    assert history[0].in_language("en") == "We received your initiative."
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.due_at is not None and portal.expected_date(engine, case) == task.due_at
    category = portal.category_of(case.case_data)
    assert category is not None
    assert (category.category, category.rule, category.changed_by_staff) == ("wijkwens", "R6", False)
    assert category.explanation is not None and "regiegroep" in category.explanation


def test_category_chosen_by_staff_is_marked(engine: Engine) -> None:
    info = start_case(engine)
    complete(engine, info, "categorie_bevestigen", {"aanvulling_nodig": False, "categorie_akkoord": False,
                                                    "categorie_gekozen": "complex",
                                                    "afwijking_reden": "Het raakt de hele wijk."})
    category = portal.category_of(_case(engine, ALICE, info.case_ref).case_data)
    assert category is not None and category.category == "complex" and category.changed_by_staff


def test_contact_person_once_a_guide_is_coupled() -> None:
    assert portal.contact_of({}) is None
    assert portal.contact_of({"begeleider_info": {"assigned": False, "naam": None}}) is None
    contact = portal.contact_of({"begeleider_info": {"assigned": True, "naam": "Sanne Bakker",
                                                     "email": "sanne.bakker@gemeente.example"}})
    assert contact == portal.Contact("Sanne Bakker", "sanne.bakker@gemeente.example")


def test_question_from_staff_is_an_action_with_a_deadline_and_can_be_answered_with_a_file(engine: Engine) -> None:
    info = start_case(engine)
    ask_for_more(engine, info)
    case = _case(engine, ALICE, info.case_ref)
    [action] = portal.actions_of(engine, case)
    assert (action.kind, action.key, action.form_id, action.question) == (
        "message", "aanvulling_ontvangen", "aanvulling", QUESTION)
    assert action.deadline is not None and action.deadline > case.created_at
    assert portal.expected_date(engine, case) is None, "the municipality waits for the initiator"
    portal.answer(engine, case, ALICE, action, {"antwoord": "Hierbij de tekening."}, {"documenten": [PDF]})
    engine.run_due_jobs()
    case = _case(engine, ALICE, info.case_ref)
    assert portal.actions_of(engine, case) == []
    assert case.status_text == "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."
    with engine.db.transaction() as session:
        [document] = portal.visible_documents(session, case)
    assert (document.filename, document.uploaded_by, document.purpose) == ("tekening.pdf", ALICE, "aanvulling")
    answer = [e for e in engine.audit_trail(info.id) if e.kind == "message"][-1]
    assert answer.actor == ALICE
    assert answer.detail is not None
    assert answer.detail["payload"] == {"antwoord": "Hierbij de tekening.", "documenten": [document.public_id]}


def test_a_refused_answer_leaves_no_files_behind(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    info = start_case(engine)
    ask_for_more(engine, info)
    case = _case(engine, ALICE, info.case_ref)
    [action] = portal.actions_of(engine, case)

    def too_late(*_args: object, **_kwargs: object) -> None:
        raise MessageNotExpected("withdrawn meanwhile")

    monkeypatch.setattr(engine, "deliver_message", too_late)
    with pytest.raises(MessageNotExpected):
        portal.answer(engine, case, ALICE, action, {"antwoord": "Te laat"}, {"documenten": [PDF]})
    with engine.db.transaction() as session:
        assert session.scalars(select(Document)).all() == []


def test_survey_task_is_the_initiators_but_staff_tasks_are_not(engine: Engine) -> None:
    info = start_case(engine)
    case = _case(engine, ALICE, info.case_ref)
    [staff_task] = engine.open_tasks(instance_id=info.id)
    assert portal.actions_of(engine, case) == []
    with pytest.raises(NotFound):
        portal.find_action(engine, case, "task", staff_task.task_id)
    to_survey(engine, info)
    case = _case(engine, ALICE, info.case_ref)
    [action] = portal.actions_of(engine, case)
    assert (action.kind, action.form_id) == ("task", "tevredenheid")
    assert action.deadline is not None, "the survey closes after a while"
    portal.answer(engine, case, ALICE, portal.find_action(engine, case, "task", action.key),
                  {"tevredenheid_score": 4}, {})
    case = _case(engine, ALICE, info.case_ref)
    assert case.state == "completed"
    assert portal.actions_of(engine, case) == []


def test_documents_visible_to_the_initiator(engine: Engine) -> None:
    info = start_case(engine)
    other = start_case(engine, BOB)
    with engine.db.transaction() as session:
        own = store_document(session, PDF, uploaded_by=ALICE, instance_id=info.id)
        shared = store_document(session, PDF, uploaded_by=STAFF, instance_id=info.id, purpose="voor_initiatiefnemer")
        internal = store_document(session, PDF, uploaded_by=STAFF, instance_id=info.id, purpose="advies")
        elsewhere = store_document(session, PDF, uploaded_by=BOB, instance_id=other.id, purpose="bijlage")
        ids = (own.public_id, shared.public_id, internal.public_id, elsewhere.public_id)
    case = _case(engine, ALICE, info.case_ref)
    with engine.db.transaction() as session:
        assert [d.public_id for d in portal.visible_documents(session, case)] == list(ids[:2])
        assert portal.own_document(session, case, ids[0]).public_id == ids[0]
        for hidden in ids[2:]:
            with pytest.raises(NotFound):
                portal.own_document(session, case, hidden)


def test_messages_in_order_and_sent_as_the_initiator(engine: Engine) -> None:
    info = start_case(engine)
    case = _case(engine, ALICE, info.case_ref)
    with engine.db.transaction() as session:
        post_message(session, info.id, author=STAFF, body="Welkom!", from_initiator=False)
    portal.send_message(engine, case, ALICE, "  Dank u.  ")
    with engine.db.transaction() as session:
        thread = portal.messages_of(session, case)
    assert [(m.body, m.from_initiator, m.author) for m in thread] == [
        ("Welkom!", False, STAFF), ("Dank u.", True, ALICE)]
