"""The loket process, category wijkwens: the district's regiegroep decides within its budget."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from engine.errors import InvalidTaskData
from engine.service import Engine
from processes.tables.organisation import BudgetReservation, DistrictBudget
from tests.processes.factories import (
    START,
    Case,
    create_loket_engine,
    set_district_budget,
    wijkwens_data,
)

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}


@pytest.fixture
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('loket') / 'loket.sqlite3'}"
    engine, _mailer = create_loket_engine(url)
    yield engine
    engine.db.dispose()


def budget(engine: Engine, district: str = "oost") -> DistrictBudget:
    with engine.db.transaction() as session:
        found = session.scalar(
            select(DistrictBudget).where(DistrictBudget.district_code == district, DistrictBudget.year == START.year)
        )
        assert found is not None
        return found


def reservations(engine: Engine, case_ref: str) -> list[BudgetReservation]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(BudgetReservation).where(BudgetReservation.case_ref == case_ref)).all())


def wijkwens_case(engine: Engine, **overrides: object) -> Case:
    case = Case.start(engine, wijkwens_data(**overrides))
    assert case.data["categorie_voorstel"] == "wijkwens"
    case.complete("categorie_bevestigen", ACCEPT)
    return case


@pytest.mark.parametrize("wijk", ["oost", "west", "centrum"])
def test_task_goes_to_the_districts_regiegroep(engine: Engine, wijk: str) -> None:
    case = wijkwens_case(engine, wijk=wijk)
    task = case.task("regiegroep_beoordelen")
    assert (task.form_id, task.candidate_group) == ("wijkwens_beoordelen", f"regiegroep-{wijk}")
    assert task.due_at is not None
    assert task.due_at - START.replace(tzinfo=task.due_at.tzinfo) == timedelta(weeks=6)
    assert budget(engine, wijk).reserved == Decimal("750")
    data = case.data
    yearly = float(budget(engine, wijk).amount)
    assert (data["budget_toereikend"], data["budget_gereserveerd"], data["budget_resterend"]) == (True, 750.0, yearly)
    assert "gereserveerd" in data["budget_melding"]


def test_granted_amount_is_reserved_on_the_district_budget(engine: Engine) -> None:
    case = wijkwens_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                            "toegekend_bedrag": 600})
    assert case.data["uitkomst"] == "toegekend"
    assert budget(engine).reserved == Decimal("600")
    [reservation] = reservations(engine, case.info.case_ref)
    assert (reservation.amount, reservation.released_at) == (Decimal("600"), None)
    case.complete("tevredenheid", {"tevredenheid_score": 4}, actor="initiatiefnemer@example.nl")
    assert case.state == "completed"
    assert case.status == "Uw initiatief is toegekend."


def test_granting_more_than_is_left_returns_the_task(engine: Engine) -> None:
    set_district_budget(engine, "oost", 1000)
    case = wijkwens_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                            "toegekend_bedrag": 1200})
    assert case.data["budget_reservering"]["reserved"] is False
    assert case.data["budget_reservering"]["remaining"] == 250.0
    assert case.task_names() == ["regiegroep_beoordelen"]
    assert case.data["budget_resterend"] == 1000.0
    assert "hoogstens € 1.000,00" in case.data["budget_melding"]
    assert budget(engine).reserved == Decimal("750")
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                            "toegekend_bedrag": 1000})
    assert case.data["uitkomst"] == "toegekend"
    assert budget(engine).reserved == Decimal("1000")


def test_rejected_releases_the_reservation(engine: Engine) -> None:
    case = wijkwens_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "afgewezen",
                                            "reden_afwijzing": "Er is al een buurtfeest in dezelfde week."})
    assert case.data["uitkomst"] == "afgewezen"
    assert case.data["uitkomst_toelichting"] == "Er is al een buurtfeest in dezelfde week."
    assert budget(engine).reserved == Decimal("0")
    [reservation] = reservations(engine, case.info.case_ref)
    assert reservation.released_at is not None
    case.complete("tevredenheid", {"tevredenheid_score": 3}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is afgewezen."


PANEL_STATUS = "De regiegroep van uw wijk beoordeelt uw wijkwens."


def exhausted_case(engine: Engine) -> Case:
    """A wijkwens of 750 euro in Oost, where only 500 euro of the yearly budget is left."""
    set_district_budget(engine, "oost", 25000, reserved=24500)
    return wijkwens_case(engine)


def test_budget_exhausted_still_goes_to_the_regiegroep(engine: Engine) -> None:
    case = exhausted_case(engine)
    task = case.task("regiegroep_beoordelen")
    assert (task.form_id, task.candidate_group) == ("wijkwens_beoordelen", "regiegroep-oost")
    data = case.data
    assert data["budget_toereikend"] is False
    assert data["budget_resterend"] == 500.0
    assert data["budget_gereserveerd"] == 0
    assert "niet toereikend" in data["budget_melding"]
    assert "€ 750,00" in data["budget_melding"] and "€ 500,00" in data["budget_melding"]
    assert "uitkomst" not in data
    assert budget(engine).reserved == Decimal("24500")
    assert reservations(engine, case.info.case_ref) == []
    assert case.status == PANEL_STATUS
    assert "resultaat" not in case.templates()


def test_budget_exhausted_rejected_by_the_regiegroep_with_reason(engine: Engine) -> None:
    case = exhausted_case(engine)
    with pytest.raises(InvalidTaskData):
        case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "afgewezen"})
    reason = "Het budget voor wijkwensen in Oost is dit jaar op. Vraag het volgend jaar opnieuw aan."
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "afgewezen",
                                            "reden_afwijzing": reason})
    data = case.data
    assert (data["uitkomst"], data["uitkomst_toelichting"]) == ("afgewezen", reason)
    assert budget(engine).reserved == Decimal("24500")
    assert all(r.released_at is not None for r in reservations(engine, case.info.case_ref))
    result = [m for m in case.mails() if m["template"] == "resultaat"]
    assert result[0]["context"]["uitkomst"] == "afgewezen"
    case.complete("tevredenheid", {"tevredenheid_score": 2}, actor="initiatiefnemer@example.nl")
    assert case.state == "completed"
    assert case.status == "Uw initiatief is afgewezen."


def test_budget_exhausted_regiegroep_grants_a_lower_amount_that_fits(engine: Engine) -> None:
    case = exhausted_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                            "toegekend_bedrag": 750})
    data = case.data
    assert case.task_names() == ["regiegroep_beoordelen"]
    assert data["budget_reservering"]["reserved"] is False
    assert data["budget_resterend"] == 500.0
    assert "past niet" in data["budget_melding"] and "€ 500,00" in data["budget_melding"]
    assert budget(engine).reserved == Decimal("24500")
    assert case.status == PANEL_STATUS
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                            "toegekend_bedrag": 500})
    data = case.data
    assert data["uitkomst"] == "toegekend"
    assert "500" in data["uitkomst_toelichting"]
    assert data["budget_gereserveerd"] == 500.0
    assert budget(engine).reserved == Decimal("25000")
    [reservation] = reservations(engine, case.info.case_ref)
    assert (reservation.amount, reservation.released_at) == (Decimal("500"), None)
    case.complete("tevredenheid", {"tevredenheid_score": 4}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is toegekend."


def test_budget_exhausted_regiegroep_refers_elsewhere(engine: Engine) -> None:
    case = exhausted_case(engine)
    referral = "Het Initiatievenfonds: vraag het aan via het loket."
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "doorverwezen",
                                            "doorverwezen_naar": referral})
    data = case.data
    assert (data["uitkomst"], data["uitkomst_toelichting"]) == ("doorverwezen", referral)
    assert budget(engine).reserved == Decimal("24500")
    result = [m for m in case.mails() if m["template"] == "resultaat"]
    assert result[0]["context"]["uitkomst"] == "doorverwezen"
    case.complete("tevredenheid", {"tevredenheid_score": 3}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is doorverwezen naar een andere regeling."


def test_budget_exhaustion_is_per_district(engine: Engine) -> None:
    set_district_budget(engine, "oost", 25000, reserved=25000)
    case = wijkwens_case(engine, wijk="west")
    assert case.task("regiegroep_beoordelen").candidate_group == "regiegroep-west"


def test_six_week_norm_escalates_to_the_panel_chair(engine: Engine) -> None:
    case = wijkwens_case(engine, wijk="centrum")
    case.advance(days=41)
    assert case.task("regiegroep_beoordelen").overdue is False
    case.advance(days=1, hours=1)
    assert case.task("regiegroep_beoordelen").overdue is True
    escalations = [m for m in case.mails() if m["template"] == "escalatie"]
    assert [m["to"] for m in escalations] == ["voorzitter.regiegroep.centrum@gemeente.example"]


def test_withdrawn_after_silence_releases_the_reservation(engine: Engine) -> None:
    case = wijkwens_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": True, "aanvulling_vraag": "Wie helpt er mee?"})
    assert budget(engine).reserved == Decimal("750")
    case.advance(working_days=20, hours=1)
    assert case.state == "completed"
    assert case.data["uitkomst"] == "ingetrokken"
    assert budget(engine).reserved == Decimal("0")
    assert case.status == "Uw initiatief is ingetrokken."


def test_answer_brings_the_task_back_to_the_panel(engine: Engine) -> None:
    case = wijkwens_case(engine)
    case.complete("regiegroep_beoordelen", {"aanvulling_nodig": True, "aanvulling_vraag": "Wie helpt er mee?"})
    case.answer({"antwoord": "Drie buren en de school."})
    assert case.task("regiegroep_beoordelen").candidate_group == "regiegroep-oost"
    assert case.data["aanvulling"]["antwoord"] == "Drie buren en de school."


def test_granted_on_sqlite_and_postgresql(database_url: str) -> None:
    engine, _mailer = create_loket_engine(database_url)
    try:
        case = wijkwens_case(engine, wijk="west")
        case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                                "toegekend_bedrag": 500})
        assert budget(engine, "west").reserved == Decimal("500")
        survey = case.task("tevredenheid")
        assert survey.assignee == "initiatiefnemer@example.nl"
        case.complete("tevredenheid", {"tevredenheid_score": 4}, actor="initiatiefnemer@example.nl")
        assert case.state == "completed"
        assert case.status == "Uw initiatief is toegekend."
    finally:
        engine.db.dispose()
