""""Mijn initiatieven" as services: only one's own cases, what is asked, answering it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.errors import MessageNotExpected, NotFound
from engine.service import Engine
from processes import portal
from processes.case_status import Contact, contact_of
from processes.documents import Upload, store_document
from processes.loket import Loket
from processes.messages import post_message
from processes.tables.case import Document
from tests.web.public.support import ALICE, BOB, QUESTION, STAFF, ask_for_more, complete, start_case, to_survey

PDF = Upload("tekening.pdf", b"%PDF-1.4 tekening")


def _page(loket: Loket, email: str, case_ref: str) -> portal.CasePage:
    return portal.case_page(loket, email, case_ref)


def test_an_initiator_sees_only_their_own_cases(loket: Loket, engine: Engine) -> None:
    mine = start_case(engine, "Alice@Example.nl")
    theirs = start_case(engine, BOB)
    assert [row.case.case_ref for row in portal.my_cases(loket, ALICE)] == [mine.case_ref]
    assert [row.case.case_ref for row in portal.my_cases(loket, " ALICE@example.nl ")] == [mine.case_ref]
    with pytest.raises(NotFound):
        portal.case_page(loket, ALICE, theirs.case_ref)
    with pytest.raises(NotFound):
        portal.case_page(loket, ALICE, "INI-0000-000000")


def test_status_history_expected_date_and_category(loket: Loket, engine: Engine) -> None:
    info = start_case(engine)
    page = _page(loket, ALICE, info.case_ref)
    history = page.history
    assert [h.text for h in history] == ["Uw initiatief is ontvangen.",
                                         "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."]
    assert history[0].in_language("en") == "We received your initiative."
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.due_at is not None and page.expected == task.due_at
    category = page.category
    assert category is not None
    assert (category.category, category.rule, category.changed_by_staff) == ("wijkwens", "R6", False)
    assert category.explanation is not None and "regiegroep" in category.explanation


def test_category_chosen_by_staff_is_marked(loket: Loket, engine: Engine) -> None:
    info = start_case(engine)
    complete(engine, info, "categorie_bevestigen", {"aanvulling_nodig": False, "categorie_akkoord": False,
                                                    "categorie_gekozen": "complex",
                                                    "afwijking_reden": "Het raakt de hele wijk."})
    category = _page(loket, ALICE, info.case_ref).category
    assert category is not None and category.category == "complex" and category.changed_by_staff


def test_contact_person_once_a_guide_is_coupled() -> None:
    assert contact_of({}) is None
    assert contact_of({"begeleider_info": {"assigned": False, "naam": None}}) is None
    contact = contact_of({"begeleider_info": {"assigned": True, "naam": "Sanne Bakker",
                                              "email": "sanne.bakker@gemeente.example"}})
    assert contact == Contact("Sanne Bakker", "sanne.bakker@gemeente.example")


def test_question_from_staff_is_an_action_with_a_deadline_and_can_be_answered_with_a_file(
        loket: Loket, engine: Engine) -> None:
    info = start_case(engine)
    ask_for_more(engine, info)
    page = _page(loket, ALICE, info.case_ref)
    [action] = page.actions
    assert (action.kind, action.key, action.form_id, action.question) == (
        "message", "aanvulling_ontvangen", "aanvulling", QUESTION)
    assert action.deadline is not None and action.deadline > page.case.created_at
    assert page.expected is None, "the municipality waits for the initiator"
    portal.answer(loket, ALICE, info.case_ref, action, {"antwoord": "Hierbij de tekening."}, {"documenten": [PDF]})
    engine.run_due_jobs()
    page = _page(loket, ALICE, info.case_ref)
    assert page.actions == []
    assert page.case.status_text == "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."
    [document] = page.documents
    assert (document.filename, document.uploaded_by, document.purpose) == ("tekening.pdf", ALICE, "aanvulling")
    answer = [e for e in engine.audit_trail(info.id) if e.kind == "message"][-1]
    assert answer.actor == ALICE
    assert answer.detail is not None
    assert answer.detail["payload"] == {"antwoord": "Hierbij de tekening.", "documenten": [document.public_id]}


def test_a_refused_answer_leaves_no_files_behind(loket: Loket, engine: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    info = start_case(engine)
    ask_for_more(engine, info)
    [action] = _page(loket, ALICE, info.case_ref).actions

    def too_late(*_args: object, **_kwargs: object) -> None:
        raise MessageNotExpected("withdrawn meanwhile")

    monkeypatch.setattr(loket.engine, "deliver_message", too_late)
    with pytest.raises(MessageNotExpected):
        portal.answer(loket, ALICE, info.case_ref, action, {"antwoord": "Te laat"}, {"documenten": [PDF]})
    with engine.db.transaction() as session:
        assert session.scalars(select(Document)).all() == []


def test_survey_task_is_the_initiators_but_staff_tasks_are_not(loket: Loket, engine: Engine) -> None:
    info = start_case(engine)
    [staff_task] = engine.open_tasks(instance_id=info.id)
    assert _page(loket, ALICE, info.case_ref).actions == []
    with pytest.raises(NotFound):
        portal.action_to_answer(loket, ALICE, info.case_ref, "task", staff_task.task_id)
    to_survey(engine, info)
    decided = _page(loket, ALICE, info.case_ref)
    assert decided.actions == [], "after the decision the survey is no action needed"
    [action] = decided.follow_ups
    assert (action.kind, action.form_id) == ("task", "tevredenheid")
    assert action.deadline is not None, "the survey closes after a while"
    portal.answer(loket, ALICE, info.case_ref, portal.action_to_answer(loket, ALICE, info.case_ref, "task", action.key),
                  {"tevredenheid_score": 4}, {})
    page = _page(loket, ALICE, info.case_ref)
    assert page.case.state == "completed"
    assert page.actions == [] and page.follow_ups == []
    with pytest.raises(portal.AlreadyAnswered):
        portal.action_to_answer(loket, ALICE, info.case_ref, "task", action.key)


def test_documents_visible_to_the_initiator(loket: Loket, engine: Engine) -> None:
    info = start_case(engine)
    other = start_case(engine, BOB)
    with engine.db.transaction() as session:
        own = store_document(session, PDF, uploaded_by=ALICE, instance_id=info.id)
        shared = store_document(session, PDF, uploaded_by=STAFF, instance_id=info.id, purpose="voor_initiatiefnemer")
        internal = store_document(session, PDF, uploaded_by=STAFF, instance_id=info.id, purpose="advies")
        elsewhere = store_document(session, PDF, uploaded_by=BOB, instance_id=other.id, purpose="bijlage")
        ids = (own.public_id, shared.public_id, internal.public_id, elsewhere.public_id)
    assert [d.public_id for d in _page(loket, ALICE, info.case_ref).documents] == list(ids[:2])
    assert portal.document(loket, ALICE, info.case_ref, ids[0]).filename == "tekening.pdf"
    for hidden in ids[2:]:
        with pytest.raises(NotFound):
            portal.document(loket, ALICE, info.case_ref, hidden)


def test_messages_in_order_and_sent_as_the_initiator(loket: Loket, engine: Engine) -> None:
    info = start_case(engine)
    with engine.db.transaction() as session:
        post_message(session, info.id, author=STAFF, body="Welkom!", from_initiator=False)
    portal.send_message(loket, ALICE, info.case_ref, "  Dank u.  ")
    thread = _page(loket, ALICE, info.case_ref).messages
    assert [(m.body, m.from_initiator, m.author) for m in thread] == [
        ("Welkom!", False, STAFF), ("Dank u.", True, ALICE)]
