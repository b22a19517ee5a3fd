"""The case file: what it holds, who may see it, and its actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from engine import AuditEvent, Engine, Job, NotFound
from processes import case_actions, casefile, taskwork
from processes.access import may_view_case
from processes.case_actions import Contact
from processes.errors import InvalidInput, NotAllowedHere
from processes.loket import Loket
from processes.messages import MessageRejected
from processes.tables.organisation import Guide, GuideAssignment
from tests.processes.factories import intake_data
from tests.web.staff.support import (
    ASSESSORS,
    FONDS,
    GROEN,
    GUIDE,
    INTAKE,
    KCC,
    OOST,
    OTHER_GUIDE,
    VERGUNNINGEN,
    WEST,
    assessed_case,
    complex_case,
    green_case,
    principal,
    start,
    wijkwens_case,
)

TOETS = {
    "toets_regels": {"regels_oordeel": "positief", "regels_toelichting": "In orde."},
    "toets_locatie": {"locatie_oordeel": "positief", "locatie_toelichting": "In orde."},
    "toets_financien": {"financien_oordeel": "positief", "financien_toelichting": "In orde."},
    "toets_participatie": {"participatie_oordeel": "positief", "participatie_toelichting": "In orde."},
}


def guide_id(engine: Engine, email: str) -> int:
    with engine.db.transaction() as session:
        found = session.scalar(select(Guide.id).where(Guide.email == email))
        assert found is not None
        return found


def test_the_case_file_holds_data_category_guide_tasks_and_trail(loket: Loket, engine: Engine) -> None:
    case = complex_case(engine)
    file = casefile.open_case_file(loket, principal(engine, INTAKE), case.info.case_ref)
    assert file.data["categorie"] == "complex"
    assert file.data["categorie_regel"] == "R1" and "vergunning" in file.data["categorie_uitleg"]
    assert file.guide is not None and file.guide.email == GUIDE and file.guide.name == "Pieter Jansen"
    assert sorted(task.task_name for task in file.tasks) == sorted(TOETS)
    assert file.next_date is not None
    kinds = [event.kind for event in file.audit]
    assert kinds[0] == "started" and kinds.count("task_completed") == 4  # category, invitation, meeting, guide
    assert [event.detail["text"] for event in file.statuses if event.detail][:2] == [
        "Uw initiatief is ontvangen.", "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."]
    assert file.team_names["team-vergunningen"] == "Team Vergunningen"
    with pytest.raises(NotFound):
        casefile.open_case_file(loket, principal(engine, INTAKE), "INI-0000-999999")


def test_who_may_see_a_case_file(engine: Engine) -> None:
    oost = wijkwens_case(engine, "oost")
    groen = green_case(engine)
    complex_ = complex_case(engine)
    who = {email: principal(engine, email) for email in (INTAKE, OOST, WEST, GROEN, GUIDE, VERGUNNINGEN, FONDS, KCC)}
    with engine.db.transaction() as session:
        def sees(email: str, case_id: int) -> bool:
            return may_view_case(session, who[email], case_id)

        assert sees(INTAKE, oost.id) and sees(INTAKE, groen.id) and sees(INTAKE, complex_.id)
        assert sees(OOST, oost.id) and not sees(WEST, oost.id)
        assert sees(GROEN, groen.id) and not sees(GROEN, oost.id)
        assert sees(GUIDE, complex_.id) and not sees(GUIDE, groen.id)
        assert sees(VERGUNNINGEN, complex_.id) and not sees(VERGUNNINGEN, groen.id)
        assert not sees(FONDS, complex_.id)
        assert not sees(KCC, oost.id)


def test_the_guide_keeps_seeing_the_case_after_its_tasks(engine: Engine) -> None:
    case = complex_case(engine)
    for name, answers in TOETS.items():
        case.complete(name, answers, actor=GUIDE)
    with engine.db.transaction() as session:
        assert may_view_case(session, principal(engine, GUIDE), case.id)


def test_a_message_goes_into_the_thread_with_a_mail_and_an_audit_event(
    loket: Loket, app: Flask, engine: Engine,
) -> None:
    case = green_case(engine)
    groen = principal(engine, GROEN)
    case_actions.send_message(loket, groen, case.info.case_ref, "Wij komen dinsdag kijken.")
    file = casefile.open_case_file(loket, principal(engine, INTAKE), case.info.case_ref)
    assert [(m.author, m.body, m.from_initiator) for m in file.messages] == [
        ("Gerda Hoekstra", "Wij komen dinsdag kijken.", False)]
    with engine.db.transaction() as session:
        mails = session.scalars(select(Job).where(Job.instance_id == case.id, Job.kind == "mail")).all()
        assert mails[-1].payload["to"] == "initiatiefnemer@example.nl"
        assert "dinsdag" not in str(mails[-1].payload)
    assert [e.actor for e in file.audit if e.kind == "staff_message"] == [GROEN]
    with pytest.raises(MessageRejected):
        case_actions.send_message(loket, groen, case.info.case_ref, "   ")
    engine.run_due_jobs()
    sent = [path.read_text() for path in sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))]
    assert "Nieuws over uw initiatief" in sent[-1] and "dinsdag" not in sent[-1]


def test_contact_moments_are_kept_with_the_case(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    kcc = principal(engine, KCC)
    case_actions.log_kcc_contact(loket, kcc, case.info.case_ref, Contact("telefoon", "Belde over de planning."))
    file = casefile.open_case_file(loket, principal(engine, INTAKE), case.info.case_ref)
    assert [(c.channel, c.summary, c.created_by_name) for c in file.contacts] == [
        ("telefoon", "Belde over de planning.", "Kim Jansen")]
    assert any(e.kind == "contact_moment" and e.actor == KCC for e in file.audit)
    for channel, summary, code in [("fax", "x", "unknown_channel"), ("balie", " ", "empty_summary"),
                                   ("email", "x" * 4001, "summary_too_long")]:
        with pytest.raises(InvalidInput, match=code):
            case_actions.log_kcc_contact(loket, kcc, case.info.case_ref, Contact(channel, summary))


def test_reassigning_the_guide_moves_open_tasks_load_and_later_tasks(loket: Loket, engine: Engine) -> None:
    case = complex_case(engine)
    case.complete("toets_regels", TOETS["toets_regels"], actor=ASSESSORS["toets_regels"])
    case_actions.reassign_guide(loket, principal(engine, INTAKE), case.info.case_ref, guide_id(engine, OTHER_GUIDE),
                            "Pieter is met verlof.")
    # The assessments stay in the specialist teams' queues; the guide's later task follows the new guide.
    assert {task.task_name: task.assignee for task in case.tasks()} == {
        "toets_locatie": None, "toets_financien": None, "toets_participatie": None}
    with engine.db.transaction() as session:
        open_ = session.scalars(select(GuideAssignment).where(GuideAssignment.case_ref == case.info.case_ref,
                                                              GuideAssignment.closed_at.is_(None))).all()
        assert [a.guide.email for a in open_] == [OTHER_GUIDE]
        event = session.scalar(select(AuditEvent).where(AuditEvent.instance_id == case.id,
                                                        AuditEvent.kind == "guide_reassigned"))
        assert event is not None and event.actor == INTAKE
        assert event.detail == {"van": [GUIDE], "naar": OTHER_GUIDE, "naam": "Sanne Bakker",
                                "reden": "Pieter is met verlof."}
    for name in ("toets_locatie", "toets_financien", "toets_participatie"):
        case.complete(name, TOETS[name], actor=ASSESSORS[name])
    assert case.task("advies_besluit").assignee == OTHER_GUIDE
    assert casefile.open_case_file(loket, principal(engine, INTAKE), case.info.case_ref).guide.email == OTHER_GUIDE  # type: ignore[union-attr]


def test_reassigning_needs_a_coupled_active_other_guide(loket: Loket, engine: Engine) -> None:
    early = start(engine, intake_data(titel="Nog zonder begeleider"))
    with pytest.raises(NotAllowedHere, match="no_guide_yet"):
        case_actions.reassign_guide(loket, principal(engine, INTAKE), early.info.case_ref, guide_id(engine, GUIDE), "")
    case = assessed_case(engine)
    with pytest.raises(NotAllowedHere, match="same_guide"):
        case_actions.reassign_guide(loket, principal(engine, INTAKE), case.info.case_ref, guide_id(engine, GUIDE), "")
    with pytest.raises(InvalidInput, match="unknown_guide"):
        case_actions.reassign_guide(loket, principal(engine, INTAKE), case.info.case_ref, 9999, "")
    assert {task.assignee for task in case.tasks()} == {GUIDE}


def test_asking_from_the_case_file_leaves_the_trail(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    taskwork.ask_information(loket, principal(engine, INTAKE), task_id, "Welke straat precies?")
    case.run_jobs()  # the diagram mails the question first, then waits
    file = casefile.open_case_file(loket, principal(engine, INTAKE), case.info.case_ref)
    completed = [e for e in file.audit if e.kind == "task_completed"]
    assert completed[-1].detail["changes"]["aanvulling_vraag"]["new"] == "Welke straat precies?"  # type: ignore[index]
    assert [w.message for w in file.waiting] == ["aanvulling_ontvangen"]
