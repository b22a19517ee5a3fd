"""The handlers in processes/: guides, budgets, the fund and mail (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import processes.handlers
from engine import clock
from engine.db import Database
from engine.handlers import HandlerFailed
from processes.case_status import DECISION_VALUES
from processes.demo.organisation import load_organisation
from processes.handlers.budget import release_reservation, reserve_district_budget, reserve_fund
from processes.handlers.guides import assign_guide, close_guide_assignment, suggest_guide
from processes.handlers.notify import notify_team_lead, send_initiator_mail
from processes.tables.organisation import BudgetReservation, DistrictBudget, Fund, Guide
from tests.processes.factories import START, handler_context


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    clock.set_time(START)
    database = Database(database_url)
    with database.transaction() as session:
        load_organisation(session, year=START.year)
        yield session
    database.dispose()


def district_budget(session: Session, district: str = "oost") -> DistrictBudget:
    found = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == district))
    assert found is not None
    return found


def test_every_handler_is_registered() -> None:
    assert processes.handlers.handlers.names() == [
        "assign_guide", "close_guide_assignment", "notify_team_lead", "release_reservation",
        "reserve_district_budget", "reserve_fund", "send_initiator_mail", "suggest_guide",
    ]


def test_demo_data_is_loaded_once(session: Session) -> None:
    again = load_organisation(session, year=START.year)
    assert again == {"districts": 0, "teams": 0, "guides": 0, "budgets": 0, "funds": 0}
    assert len(session.scalars(select(Guide)).all()) == 8
    fund = session.scalar(select(Fund))
    assert fund is not None and fund.total == Decimal("120000")


# --- guides ------------------------------------------------------------------------------------


def test_suggests_the_least_loaded_guide_of_the_district(session: Session) -> None:
    first = suggest_guide(handler_context(session, "C-1"), {"district": "oost"})
    assert first["email"] == "anouk.devries@gemeente.example"  # tie: first by name
    assign_guide(handler_context(session, "C-1"), {"guide": first["email"]})
    second = suggest_guide(handler_context(session, "C-2"), {"district": "oost"})
    assert second["email"] == "mehmet.yilmaz@gemeente.example"
    assert second["load"] == 0
    assign_guide(handler_context(session, "C-2"), {"guide": second["email"]})
    assign_guide(handler_context(session, "C-3"), {"guide": second["email"]})
    third = suggest_guide(handler_context(session, "C-4"), {"district": "oost"})
    assert (third["email"], third["load"]) == ("anouk.devries@gemeente.example", 1)
    assert "minste lopende initiatieven" in third["reden"]


def test_closed_assignments_do_not_count(session: Session) -> None:
    assign_guide(handler_context(session, "C-1"), {"guide": "anouk.devries@gemeente.example"})
    assert close_guide_assignment(handler_context(session, "C-1"), {}) == {"closed": 1}
    assign_guide(handler_context(session, "C-2"), {"guide": "mehmet.yilmaz@gemeente.example"})
    suggestion = suggest_guide(handler_context(session, "C-3"), {"district": "oost"})
    assert suggestion["email"] == "anouk.devries@gemeente.example"


def test_expertise_first_then_least_loaded_expert(session: Session) -> None:
    found = suggest_guide(handler_context(session), {"district": "oost", "expertise": "vergunningen"})
    assert found["email"] == "fatima.elamrani@gemeente.example"  # experts: Fatima, Pieter; by name
    assign_guide(handler_context(session, "C-9"), {"guide": found["email"]})
    found = suggest_guide(handler_context(session), {"district": "oost", "expertise": "vergunningen"})
    assert found["email"] == "pieter.jansen@gemeente.example"


def test_prefers_a_local_expert_on_equal_load(session: Session) -> None:
    found = suggest_guide(handler_context(session), {"district": "west", "expertise": "vergunningen"})
    assert found["email"] == "pieter.jansen@gemeente.example"


def test_unknown_expertise_or_district_still_suggests_someone(session: Session) -> None:
    found = suggest_guide(handler_context(session), {"district": "noord", "expertise": "geen_voorkeur"})
    assert found["email"] is not None
    assert "geen begeleider in deze wijk" in found["reden"]


def test_inactive_guides_are_never_suggested(session: Session) -> None:
    for guide in session.scalars(select(Guide)).all():
        guide.active = False
    session.flush()
    found = suggest_guide(handler_context(session), {"district": "oost"})
    assert found["email"] is None
    assert assign_guide(handler_context(session), {"guide": "anouk.devries@gemeente.example"})["assigned"] is False


def test_assigning_again_replaces_the_guide_and_is_idempotent(session: Session) -> None:
    ctx = handler_context(session, "C-1")
    assert assign_guide(ctx, {"guide": "Anouk.deVries@gemeente.example"})["assigned"] is True
    assign_guide(ctx, {"guide": "anouk.devries@gemeente.example"})
    assign_guide(ctx, {"guide": "sanne.bakker@gemeente.example"})
    session.flush()
    assert close_guide_assignment(ctx, {}) == {"closed": 1}


# --- budgets --------------------------------------------------------------------------------------


def test_district_budget_is_never_over_reserved(session: Session) -> None:
    budget = district_budget(session)
    budget.amount = Decimal("1000")
    session.flush()
    first = reserve_district_budget(handler_context(session, "C-1"), {"district": "oost", "amount": 700})
    assert first == {"reserved": True, "amount": 700.0, "remaining": 300.0, "district": "oost",
                     "year": START.year}
    session.flush()
    second = reserve_district_budget(handler_context(session, "C-2"), {"district": "oost", "amount": 301})
    assert (second["reserved"], second["remaining"]) == (False, 300.0)
    session.flush()
    third = reserve_district_budget(handler_context(session, "C-3"), {"district": "oost", "amount": "300"})
    assert (third["reserved"], third["remaining"]) == (True, 0.0)
    session.flush()
    assert district_budget(session).reserved == Decimal("1000")


def test_reserving_again_replaces_the_amount(session: Session) -> None:
    ctx = handler_context(session, "C-1")
    reserve_district_budget(ctx, {"district": "oost", "amount": 750})
    session.flush()
    reserve_district_budget(ctx, {"district": "oost", "amount": 750})  # a retried job
    session.flush()
    assert district_budget(session).reserved == Decimal("750")
    reserve_district_budget(ctx, {"district": "oost", "amount": 600})
    session.flush()
    assert district_budget(session).reserved == Decimal("600")
    rows = session.scalars(select(BudgetReservation).where(BudgetReservation.case_ref == "C-1")).all()
    assert [r.amount for r in rows] == [Decimal("600")]


def test_no_budget_for_the_year_means_no_reservation(session: Session) -> None:
    result = reserve_district_budget(handler_context(session), {"district": "oost", "amount": 10,
                                                                "year": START.year + 1})
    assert result["reserved"] is False
    assert session.scalars(select(BudgetReservation)).all() == []


@pytest.mark.parametrize("amount", [-1, "veel"])
def test_bad_amounts_fail_the_job(session: Session, amount: object) -> None:
    with pytest.raises(HandlerFailed):
        reserve_district_budget(handler_context(session), {"district": "oost", "amount": amount})


def test_release_gives_the_money_back_once(session: Session) -> None:
    ctx = handler_context(session, "C-1")
    reserve_district_budget(ctx, {"district": "west", "amount": 500})
    reserve_fund(ctx, {"amount": 2000})
    session.flush()
    assert release_reservation(ctx, {"pot": "district"}) == {"released": 500.0}
    session.flush()
    assert release_reservation(ctx, {"pot": "district"}) == {"released": 0.0}
    assert district_budget(session, "west").reserved == Decimal("0")
    assert release_reservation(ctx, {}) == {"released": 2000.0}
    session.flush()
    fund = session.scalar(select(Fund))
    assert fund is not None and fund.granted == Decimal("0")


def test_fund_grants_only_what_is_left(session: Session) -> None:
    first = reserve_fund(handler_context(session, "C-1"), {"amount": 100000})
    session.flush()
    assert (first["reserved"], first["remaining"]) == (True, 20000.0)
    second = reserve_fund(handler_context(session, "C-2"), {"amount": 20000.01})
    session.flush()
    assert (second["reserved"], second["remaining"]) == (False, 20000.0)
    assert reserve_fund(handler_context(session, "C-2"), {"amount": 20000})["reserved"] is True


# --- mail ----------------------------------------------------------------------------------------


def test_initiator_mail_goes_to_the_case_address_in_its_language(session: Session) -> None:
    ctx = handler_context(session, "C-7", email="a@example.nl", taal="en", titel="Buurtfeest")
    assert send_initiator_mail(ctx, {"template": "resultaat", "context": {"uitkomst": "toegekend"}})["sent"]
    [mail] = ctx.outbox
    assert (mail["template"], mail["to"], mail["lang"]) == ("resultaat", "a@example.nl", "en")
    assert mail["context"] == {"titel": "Buurtfeest", "case_ref": "C-7", "naam": "", "uitkomst": "toegekend",
                               **dict.fromkeys(DECISION_VALUES, "")}


@pytest.mark.parametrize(("lang", "granted", "asked"), [("nl", "€ 6.000", "€ 8.000"), ("en", "€6,000", "€8,000")])
def test_initiator_mail_gets_the_name_and_the_decision_in_its_language(session: Session, lang: str, granted: str,
                                                                        asked: str) -> None:
    ctx = handler_context(session, "C-9", email="sam@example.nl", taal=lang, titel="Speeltuin", naam="Sam Smit",
                          uitkomst="toegekend", gevraagd_bedrag=8000, besluit_bedrag=6000,
                          besluit_reden="Het budget is bijna op.", besluit_voorwaarden=["Hek maximaal 1,20 m"],
                          besluit_afspraken="Bonnetjes bewaren.", besluit_volgende_stap="We betalen binnen 4 weken.",
                          besluit_volgende_stap_en="We pay within 4 weeks.")
    send_initiator_mail(ctx, {"template": "resultaat", "context": {"uitkomst": "toegekend"}})
    [mail] = ctx.outbox
    context = mail["context"]
    assert (context["naam"], context["besluit_bedrag"], context["besluit_gevraagd"]) == ("Sam Smit", granted, asked)
    assert context["besluit_voorwaarden"] == "- Hek maximaal 1,20 m"
    assert context["besluit_reden"] == "Het budget is bijna op."
    assert context["volgende_stap"] == ("We pay within 4 weeks." if lang == "en" else "We betalen binnen 4 weken.")


def test_initiator_mail_without_address_is_skipped(session: Session) -> None:
    ctx = handler_context(session, titel="Buurtfeest")
    assert send_initiator_mail(ctx, {"template": "resultaat"})["sent"] is False
    with pytest.raises(HandlerFailed):
        send_initiator_mail(ctx, {})


def test_team_lead_is_notified(session: Session) -> None:
    ctx = handler_context(session, "C-8", titel="Geveltuin")
    assert notify_team_lead(ctx, {"team": "team-groen", "taak": "Beoordelen"}) == {"notified": True,
                                                                                  "team": "team-groen"}
    [mail] = ctx.outbox
    assert mail["to"] == "teamleider.groen@gemeente.example"
    assert mail["context"]["taak"] == "Beoordelen"
    assert notify_team_lead(ctx, {"team": "bestaat-niet", "taak": "x"})["notified"] is False


def test_concurrent_reservations_never_exceed_the_budget(database_url: str) -> None:
    """Two steps reserve at the same time: the second waits for the first and then sees the rest."""
    clock.set_time(START)
    database = Database(database_url)
    with database.transaction() as session:
        load_organisation(session, year=START.year)
        district_budget(session).amount = Decimal("1000")
    first_holds_lock = threading.Event()
    results: dict[str, dict[str, object]] = {}

    def first() -> None:
        with database.transaction() as session:
            results["first"] = reserve_district_budget(handler_context(session, "C-1"),
                                                       {"district": "oost", "amount": 700})
            session.flush()
            first_holds_lock.set()
            time.sleep(0.3)

    def second() -> None:
        first_holds_lock.wait(5)
        with database.transaction() as session:
            results["second"] = reserve_district_budget(handler_context(session, "C-2"),
                                                        {"district": "oost", "amount": 700})

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results["first"]["reserved"] is True
    assert (results["second"]["reserved"], results["second"]["remaining"]) == (False, 300.0)
    with database.transaction() as session:
        assert district_budget(session).reserved == Decimal("700")
    database.dispose()


def test_the_reason_names_the_district_and_expertise_in_words(session: Session) -> None:
    local = suggest_guide(handler_context(session), {"district": "oost"})
    assert "werkt in wijk Oost" in local["reden"]
    expert = suggest_guide(handler_context(session), {"district": "oost", "expertise": "financien"})
    assert "heeft kennis van financiën en fondsen" in expert["reden"]
