"""The loket process, category eenvoudig (groen), driven through the engine to every end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from engine import calendar, clock
from engine.errors import InvalidTaskData
from engine.service import Engine
from tests.processes.factories import (
    START,
    Case,
    CollectingMailer,
    create_loket_engine,
    intake_data,
)

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}


@pytest.fixture
def loket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, CollectingMailer]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('loket') / 'loket.sqlite3'}"
    engine, mailer = create_loket_engine(url)
    yield engine, mailer
    engine.db.dispose()


@pytest.fixture
def engine(loket: tuple[Engine, CollectingMailer]) -> Engine:
    return loket[0]


def groen_case(engine: Engine, **overrides: object) -> Case:
    case = Case.start(engine, intake_data(**overrides))
    case.complete("categorie_bevestigen", ACCEPT)
    return case


def test_start_suggests_eenvoudig_and_explains_the_rule(engine: Engine) -> None:
    case = Case.start(engine, intake_data())
    data = case.data
    assert data["categorie_voorstel"] == "eenvoudig"
    assert data["categorie_regel"] == "R5"
    assert "geveltuin" in data["categorie_uitleg"]
    task = case.task("categorie_bevestigen")
    assert (task.form_id, task.candidate_group) == ("categorie_bevestigen", "initiatieventeam")
    assert task.due_at is not None
    assert task.due_at == calendar.add_working_days(START, 5).replace(tzinfo=task.due_at.tzinfo)
    assert case.status == "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."
    # the start event informs the initiator that the initiative arrived
    # Receiving the initiative is confirmed by the loket's own mail (with the reference number),
    # so the diagram does not send a second "there is news" mail at the start.
    assert "status_gewijzigd" not in case.templates()


def test_granted_with_agreements_then_survey(loket: tuple[Engine, CollectingMailer]) -> None:
    engine, mailer = loket
    case = groen_case(engine)
    task = case.task("groen_beoordelen")
    assert (task.form_id, task.candidate_group) == ("groen_beoordelen", "team-groen")
    assert case.status == "Team Groen bekijkt uw initiatief."

    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                       "afspraken": "U plant zelf; de gemeente haalt twee tegels weg."})
    assert case.data["uitkomst"] == "toegekend"
    assert case.data["uitkomst_toelichting"].startswith("U plant zelf")
    survey = case.task("tevredenheid")
    assert (survey.form_id, survey.candidate_group) == ("tevredenheid", "initiatiefnemer")
    result = [m for m in case.mails() if m["template"] == "resultaat"]
    assert result and result[0]["context"]["uitkomst"] == "toegekend"
    assert result[0]["to"] == "initiatiefnemer@example.nl"
    assert any("is toegekend" in mail.body for mail in mailer.sent)

    case.complete("tevredenheid", {"tevredenheid_score": 5, "tevredenheid_opmerking": "Snel geregeld!"},
                  actor="initiatiefnemer@example.nl")
    assert case.state == "completed"
    assert case.status == "Uw initiatief is toegekend."
    assert case.data["tevredenheid_score"] == 5


def test_rejected_with_reason(engine: Engine) -> None:
    case = groen_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "afgewezen",
                                       "reden_afwijzing": "Het trottoir is te smal."})
    assert case.data["uitkomst"] == "afgewezen"
    case.complete("tevredenheid", {"tevredenheid_score": 2}, actor="initiatiefnemer@example.nl")
    assert case.state == "completed"
    assert case.status == "Uw initiatief is afgewezen."


def test_team_groen_sends_it_to_another_category(engine: Engine) -> None:
    case = groen_case(engine, gevraagd_bedrag=400)
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "andere_categorie",
                                       "categorie_nieuw": "wijkwens"})
    assert case.data["categorie"] == "wijkwens"
    task = case.task("regiegroep_beoordelen")
    assert task.candidate_group == "regiegroep-oost"


def test_override_needs_a_reason(engine: Engine) -> None:
    case = Case.start(engine, intake_data())
    task = case.task("categorie_bevestigen")
    with pytest.raises(InvalidTaskData):
        engine.complete_task(case.id, task.task_id, {"aanvulling_nodig": False, "categorie_akkoord": False,
                                                     "categorie_gekozen": "complex"}, actor="x")
    case.complete("categorie_bevestigen", {"aanvulling_nodig": False, "categorie_akkoord": False,
                                           "categorie_gekozen": "complex",
                                           "afwijking_reden": "Er is ook een vergunning nodig voor de bank."})
    data = case.data
    assert data["categorie"] == "complex"
    assert data["categorie_overschreven"] is True
    assert data["categorie_voorstel"] == "eenvoudig"
    assert data["afwijking_reden"].startswith("Er is ook")
    assert case.task("uitnodigen").candidate_group == "initiatieventeam"  # on to the intake meeting


def test_norm_escalates_to_team_lead_and_marks_overdue(loket: tuple[Engine, CollectingMailer]) -> None:
    engine, mailer = loket
    case = groen_case(engine)
    assert case.task("groen_beoordelen").overdue is False
    case.advance(working_days=9)
    assert case.task("groen_beoordelen").overdue is False
    case.advance(working_days=1, hours=1)
    task = case.task("groen_beoordelen")
    assert task.overdue is True
    escalations = [m for m in case.mails() if m["template"] == "escalatie"]
    assert [m["to"] for m in escalations] == ["teamleider.groen@gemeente.example"]
    assert any(mail.subject.startswith("Servicenorm verlopen") for mail in mailer.sent)
    # the task stays with the team and can still be completed
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend", "afspraken": "Akkoord."})
    assert "tevredenheid" in case.task_names()


def test_more_information_is_asked_and_answered(engine: Engine) -> None:
    case = groen_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": True, "aanvulling_vraag": "Hoe breed is de stoep?"})
    assert case.tasks() == []
    assert "aanvulling_gevraagd" in case.templates()
    assert (case.status or "").startswith("We hebben meer informatie van u nodig")
    case.advance(days=1)
    case.answer({"antwoord": "1,80 meter."})
    assert case.data["aanvulling"] == {"antwoord": "1,80 meter."}
    assert case.task("groen_beoordelen")
    assert "aanvulling_herinnering" not in case.templates()


def test_reminder_then_withdrawn_after_silence(loket: tuple[Engine, CollectingMailer]) -> None:
    engine, mailer = loket
    case = groen_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": True, "aanvulling_vraag": "Stuur een foto."})
    case.advance(working_days=4)
    assert "aanvulling_herinnering" not in case.templates()
    case.advance(working_days=1, hours=1)
    assert case.templates().count("aanvulling_herinnering") == 1
    case.advance(working_days=14)
    assert case.state == "running"
    case.advance(working_days=1)
    assert case.state == "completed"
    assert case.data["uitkomst"] == "ingetrokken"
    assert case.status == "Uw initiatief is ingetrokken."
    # The case is over: its outbox keeps who got which mail, the initiator got the mail's text.
    assert [m for m in case.mails() if m["template"] == "resultaat"] == [
        {"template": "resultaat", "to": "initiatiefnemer@example.nl", "lang": "nl"}]
    assert any("afgesloten, omdat we geen antwoord kregen" in mail.body for mail in mailer.sent)
    assert case.tasks() == []


def test_survey_times_out_so_the_case_closes(engine: Engine) -> None:
    case = groen_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend", "afspraken": "Akkoord."})
    assert "tevredenheid" in case.task_names()
    case.advance(working_days=10, hours=1)
    assert case.state == "completed"
    assert case.status == "Uw initiatief is toegekend."
    assert "tevredenheid_score" not in case.data


def test_clock_is_frozen_at_start(engine: Engine) -> None:
    assert clock.now() - START.replace(tzinfo=clock.now().tzinfo) < timedelta(seconds=1)


def test_answer_after_the_reminder_continues_and_restarts_the_norm(engine: Engine) -> None:
    case = groen_case(engine)
    case.complete("groen_beoordelen", {"aanvulling_nodig": True, "aanvulling_vraag": "Stuur een foto."})
    case.advance(working_days=6)
    assert case.templates().count("aanvulling_herinnering") == 1
    case.answer({"antwoord": "Foto staat in het loket.", "documenten": ["doc-1"]})
    task = case.task("groen_beoordelen")
    assert task.overdue is False
    assert task.due_at is not None
    assert task.due_at > calendar.add_working_days(START, 15).replace(tzinfo=task.due_at.tzinfo)
    case.advance(working_days=20)
    assert case.state == "running"  # the withdrawal timer was cancelled by the answer
    assert case.task("groen_beoordelen").overdue is True
