"""The loket process, category complex: intake meeting, a guide, four assessments, advice and
decision, and the Initiatievenfonds."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from engine import calendar
from engine.service import Engine
from processes.tables.organisation import Fund, GuideAssignment
from tests.processes.factories import (
    START,
    Case,
    complex_data,
    create_loket_engine,
    set_fund,
)

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}
INTAKE = {"aanvulling_nodig": False, "gesprek_datum": "2025-03-10", "verslag": "Goed gesprek, veel energie.",
          "benodigde_expertise": "geen_voorkeur"}
TOETSEN = {
    "toets_regels": ("team-vergunningen", "regels"),
    "toets_locatie": ("team-vastgoed", "locatie"),
    "toets_financien": ("team-subsidies", "financien"),
    "toets_participatie": ("team-participatie", "participatie"),
}
PIETER = "pieter.jansen@gemeente.example"
SANNE = "sanne.bakker@gemeente.example"


@pytest.fixture
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path_factory.mktemp('loket') / 'loket.sqlite3'}"
    engine, _mailer = create_loket_engine(url)
    yield engine
    engine.db.dispose()


def fund(engine: Engine) -> Fund:
    with engine.db.transaction() as session:
        found = session.scalar(select(Fund).where(Fund.year == START.year))
        assert found is not None
        return found


def open_assignments(engine: Engine, case_ref: str) -> list[GuideAssignment]:
    with engine.db.transaction() as session:
        query = select(GuideAssignment).where(GuideAssignment.case_ref == case_ref,
                                              GuideAssignment.closed_at.is_(None))
        return list(session.scalars(query).all())


def coupled_case(engine: Engine, **overrides: Any) -> Case:
    """A complex case up to the four assessments, with the suggested guide."""
    case = Case.start(engine, complex_data(**overrides))
    assert case.data["categorie_voorstel"] == "complex"
    case.complete("categorie_bevestigen", ACCEPT)
    case.invite()
    case.complete("intakegesprek", INTAKE)
    case.complete("begeleider_koppelen", {"begeleider_akkoord": True})
    return case


def assess(case: Case, oordeel: str = "positief") -> None:
    for name, (_group, key) in TOETSEN.items():
        case.complete(name, {f"{key}_oordeel": oordeel, f"{key}_toelichting": "Zo gezien in orde."})


def advised_case(engine: Engine, **overrides: Any) -> Case:
    case = coupled_case(engine, **overrides)
    assess(case)
    return case


def test_intake_meeting_within_ten_working_days(engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    assert case.data["categorie_regel"] == "R1"
    case.complete("categorie_bevestigen", ACCEPT)
    case.invite()
    task = case.task("intakegesprek")
    assert (task.form_id, task.candidate_group) == ("intakegesprek", "initiatieventeam")
    assert task.due_at is not None
    assert task.due_at == calendar.add_working_days(START, 10).replace(tzinfo=task.due_at.tzinfo)
    case.advance(working_days=10, hours=1)
    assert case.task("intakegesprek").overdue is True
    assert [m["to"] for m in case.mails() if m["template"] == "escalatie"] == [
        "teamleider.initiatieven@gemeente.example"
    ]


def test_guide_is_suggested_then_four_assessments_run_in_parallel(engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT)
    case.invite()
    case.complete("intakegesprek", INTAKE)
    suggestion = case.data["begeleider_voorstel"]
    assert suggestion["email"] == PIETER  # west, no load yet, first by name
    assert case.task("begeleider_koppelen").candidate_group == "initiatieventeam"
    case.complete("begeleider_koppelen", {"begeleider_akkoord": True})
    assert case.data["begeleider"] == PIETER
    assert case.task_names() == sorted(TOETSEN)
    for name, (group, _key) in TOETSEN.items():
        task = case.task(name)
        assert (task.form_id, task.candidate_group, task.assignee) == (name, group, None)  # the team's queue
    assert case.status == "We beoordelen uw initiatief."
    assert len(open_assignments(engine, case.info.case_ref)) == 1


def test_team_can_pick_another_guide_but_only_an_active_one(engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT)
    case.invite()
    case.complete("intakegesprek", INTAKE)
    case.complete("begeleider_koppelen", {"begeleider_akkoord": False, "begeleider_email": "niemand@example.nl"})
    assert case.task_names() == ["begeleider_koppelen"]
    case.complete("begeleider_koppelen", {"begeleider_akkoord": False, "begeleider_email": SANNE})
    assert case.data["begeleider_info"] == {"assigned": True, "email": SANNE, "naam": "Sanne Bakker"}
    assert case.data["begeleider"] == SANNE


def test_second_case_gets_the_least_loaded_guide(engine: Engine) -> None:
    first = coupled_case(engine)
    assert first.data["begeleider"] == PIETER
    second = coupled_case(engine, titel="Repair café West")
    assert second.data["begeleider"] == SANNE


def test_expertise_wins_over_district(engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT)
    case.invite()
    case.complete("intakegesprek", {**INTAKE, "benodigde_expertise": "financien"})
    assert case.data["begeleider_voorstel"]["email"] == "lotte.visser@gemeente.example"


def test_granted_without_fund(engine: Engine) -> None:
    case = advised_case(engine)
    task = case.task("advies_besluit")
    assert (task.form_id, task.assignee) == ("advies_besluit", PIETER)
    case.complete("advies_besluit", {"aanvulling_nodig": False, "advies": "Positief advies.",
                                     "besluit": "toegekend", "fonds_aanvragen": False})
    assert case.data["uitkomst"] == "toegekend"
    assert open_assignments(engine, case.info.case_ref) == []
    case.complete("tevredenheid", {"tevredenheid_score": 5}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is toegekend."


def test_rejected_after_advice(engine: Engine) -> None:
    case = advised_case(engine)
    case.complete("advies_besluit", {"aanvulling_nodig": False, "advies": "Te weinig draagvlak.",
                                     "besluit": "afgewezen", "reden_afwijzing": "De buurt is tegen."})
    assert case.data["uitkomst"] == "afgewezen"
    case.complete("tevredenheid", {"tevredenheid_score": 2}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is afgewezen."


def test_referred_after_advice(engine: Engine) -> None:
    case = advised_case(engine)
    case.complete("advies_besluit", {"aanvulling_nodig": False, "advies": "Past bij de provincie.",
                                     "besluit": "doorverwezen", "doorverwezen_naar": "Provinciaal loket"})
    assert case.data["uitkomst"] == "doorverwezen"
    case.complete("tevredenheid", {"tevredenheid_score": 4}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is doorverwezen naar een andere regeling."


def fund_case(engine: Engine) -> Case:
    case = advised_case(engine)
    case.complete("advies_besluit", {"aanvulling_nodig": False, "advies": "Mooi plan.",
                                     "besluit": "toegekend", "fonds_aanvragen": True})
    task = case.task("fonds_beoordelen")
    assert (task.form_id, task.candidate_group) == ("fonds_beoordelen", "fondsbeheer")
    return case


def test_fund_grants_within_what_is_left(engine: Engine) -> None:
    case = fund_case(engine)
    case.complete("fonds_beoordelen", {"aanvulling_nodig": False, "fonds_besluit": "toegekend",
                                       "fonds_bedrag": 12000})
    assert case.data["uitkomst"] == "toegekend"
    assert fund(engine).granted == Decimal("12000")
    case.complete("tevredenheid", {"tevredenheid_score": 5}, actor="initiatiefnemer@example.nl")
    assert case.state == "completed"
    assert case.status == "Uw initiatief is toegekend."


def test_fund_too_small_returns_the_task(engine: Engine) -> None:
    set_fund(engine, 120000, granted=115000)
    case = fund_case(engine)
    case.complete("fonds_beoordelen", {"aanvulling_nodig": False, "fonds_besluit": "toegekend",
                                       "fonds_bedrag": 8000})
    assert case.data["fonds_reservering"] == {"reserved": False, "amount": 8000.0, "remaining": 5000.0,
                                              "year": START.year}
    assert case.task_names() == ["fonds_beoordelen"]
    case.complete("fonds_beoordelen", {"aanvulling_nodig": False, "fonds_besluit": "toegekend",
                                       "fonds_bedrag": 5000})
    assert case.data["uitkomst"] == "toegekend"
    assert fund(engine).granted == Decimal("120000")


def test_fund_rejection_offers_the_masterclass(engine: Engine) -> None:
    case = fund_case(engine)
    case.complete("fonds_beoordelen", {"aanvulling_nodig": False, "fonds_besluit": "afgewezen",
                                       "fonds_reden_afwijzing": "De begroting is niet sluitend."})
    data = case.data
    assert data["uitkomst"] == "afgewezen"
    assert data["masterclass_aangeboden"] is True
    assert "masterclass" in case.templates()
    assert fund(engine).granted == Decimal("0")
    case.complete("tevredenheid", {"tevredenheid_score": 3}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is afgewezen."


def test_fund_refers_to_another_scheme(engine: Engine) -> None:
    case = fund_case(engine)
    case.complete("fonds_beoordelen", {"aanvulling_nodig": False, "fonds_besluit": "doorverwezen",
                                       "fonds_doorverwezen_naar": "Cultuurfonds"})
    assert case.data["uitkomst"] == "doorverwezen"
    assert case.data["uitkomst_toelichting"] == "Cultuurfonds"
    case.complete("tevredenheid", {"tevredenheid_score": 4}, actor="initiatiefnemer@example.nl")
    assert case.status == "Uw initiatief is doorverwezen naar een andere regeling."


def test_withdrawn_during_advice_closes_the_guide_assignment(engine: Engine) -> None:
    case = advised_case(engine)
    case.complete("advies_besluit", {"aanvulling_nodig": True, "aanvulling_vraag": "Is de begroting rond?"})
    assert len(open_assignments(engine, case.info.case_ref)) == 1
    case.advance(working_days=5, hours=1)
    assert "aanvulling_herinnering" in case.templates()
    case.advance(working_days=15)
    assert case.state == "completed"
    assert case.data["uitkomst"] == "ingetrokken"
    assert open_assignments(engine, case.info.case_ref) == []


def test_assessment_norms_escalate_each_overdue_task(engine: Engine) -> None:
    case = coupled_case(engine)
    case.complete("toets_regels", {"regels_oordeel": "positief_met_voorwaarden",
                                   "regels_voorwaarden": "Evenementenvergunning aanvragen.",
                                   "regels_toelichting": "Kan met vergunning."})
    case.advance(working_days=15, hours=1)
    overdue = sorted(t.task_name for t in case.tasks() if t.overdue)
    assert overdue == ["toets_financien", "toets_locatie", "toets_participatie"]
    assert len([m for m in case.mails() if m["template"] == "escalatie"]) == 3
