"""Organisation data a beheerder edits (service layer): district names, teams and their team lead,
guides, yearly budgets and the fund; every change checked first and written to the audit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from engine import clock
from engine.errors import NotFound
from engine.service import Engine
from processes import districts_teams, staff_audit
from processes import organisation as org
from processes.access import Principal
from processes.errors import OrganisationInvalid
from processes.handlers.guides import choose_guide
from processes.loket import Loket
from processes.tables.organisation import District, DistrictBudget, Fund, Guide, Team
from processes.tables.staff import StaffAudit
from tests.factories import loket_for
from tests.web.staff.support import BEHEER, principal

THIS_YEAR = clock.now().year  # the year the demo budgets are for
NEXT_YEAR = str(THIS_YEAR + 1)


@pytest.fixture
def admin(engine: Engine) -> Principal:
    return principal(engine, BEHEER)


def problems_of(engine: Engine, call: Callable[[Loket], object]) -> dict[str, str]:
    with pytest.raises(OrganisationInvalid) as caught:
        call(loket_for(engine))
    return caught.value.problems


def org_audit(engine: Engine) -> list[tuple[str, str, dict[str, Any]]]:
    with engine.db.transaction() as session:
        rows = staff_audit.organisation_history(session)
        return [(row.action, row.user_email, row.changes) for row in reversed(rows)]


# districts and teams -------------------------------------------------------------------------
def test_a_district_gets_a_new_name_and_keeps_its_code(loket: Loket, engine: Engine, admin: Principal) -> None:
    districts_teams.update_district(loket, admin, "oost", "  Oosterpark  ")
    with engine.db.transaction() as session:
        district = session.get(District, "oost")
        assert district is not None and district.name == "Oosterpark"
    assert org_audit(engine) == [("district_updated", "wijk:oost", {"name": ["Oost", "Oosterpark"]})]


@pytest.mark.parametrize(("name", "problem"), [("", "name_missing"), ("   ", "name_missing"),
                                                ("x" * 201, "name_too_long"), ("west", "district_name_taken")])
def test_a_district_name_is_checked(engine: Engine, admin: Principal, name: str, problem: str) -> None:
    assert problems_of(engine, lambda s: districts_teams.update_district(s, admin, "oost", name)) == {"naam": problem}
    assert org_audit(engine) == []


def test_an_unknown_district_or_team_is_not_found(engine: Engine, admin: Principal) -> None:
    for call in (lambda s: districts_teams.update_district(s, admin, "noord", "Noord"),
                 lambda s: districts_teams.update_district(s, admin, "oost" + "x" * 100, "Noord"),
                 lambda s: districts_teams.update_team(s, admin, "geheim", "Geheim", "")):
        with pytest.raises(NotFound):
            call(loket_for(engine))


def test_a_team_gets_a_name_and_a_team_lead_for_escalations(loket: Loket, engine: Engine, admin: Principal) -> None:
    districts_teams.update_team(loket, admin, "team-groen", "Team Groen en Water", " Nieuwe.Leider@Gemeente.Example ")
    with engine.db.transaction() as session:
        team = session.get(Team, "team-groen")
        assert team is not None
        assert (team.name, team.lead_email) == ("Team Groen en Water", "nieuwe.leider@gemeente.example")
    districts_teams.update_team(loket, admin, "team-groen", "Team Groen en Water", "")
    with engine.db.transaction() as session:
        team = session.get(Team, "team-groen")
        assert team is not None and team.lead_email is None
    assert [row[2] for row in org_audit(engine)] == [
        {"name": ["Team Groen", "Team Groen en Water"],
         "lead_email": ["teamleider.groen@gemeente.example", "nieuwe.leider@gemeente.example"]},
        {"lead_email": ["nieuwe.leider@gemeente.example", None]},
    ]


def test_a_team_lead_address_is_checked(engine: Engine, admin: Principal) -> None:
    assert problems_of(engine, lambda s: districts_teams.update_team(s, admin, "team-groen", "", "geen-adres")) == {
        "naam": "name_missing", "teamleider": "email_invalid"}


# guides --------------------------------------------------------------------------------------
def guide_form(**overrides: Any) -> org.GuideForm:
    values: dict[str, Any] = {"name": "Yara Bos", "email": "Yara.Bos@Gemeente.Example", "district": "oost",
                              "expertise": ("sport", "groen"), "active": True}
    values.update(overrides)
    return org.GuideForm(**values)


def test_a_new_guide_is_added_and_can_be_suggested(engine: Engine, admin: Principal) -> None:
    guide = org.create_guide(loket_for(engine), admin, guide_form(expertise=("financien", "sport")))
    with engine.db.transaction() as session:
        assert (guide.email, guide.expertise, guide.district_code) == ("yara.bos@gemeente.example", "sport,financien",
                                                                       "oost")
        assert choose_guide(session, "oost", "sport")[0] is not None
    assert org_audit(engine) == [("guide_created", "begeleider:yara.bos@gemeente.example", {
        "name": [None, "Yara Bos"], "district": [None, "oost"], "expertise": [None, ["sport", "financien"]],
        "active": [None, True]})]


@pytest.mark.parametrize(("overrides", "problems"), [
    ({"name": "", "email": ""}, {"naam": "name_missing", "email": "email_missing"}),
    ({"email": "geen-adres"}, {"email": "email_invalid"}),
    ({"email": "ANOUK.DEVRIES@gemeente.example"}, {"email": "guide_email_taken"}),
    ({"district": "noord", "expertise": ("toveren",)}, {"wijk": "district_unknown", "kennis": "expertise_unknown"}),
])
def test_a_new_guide_is_checked(engine: Engine, admin: Principal, overrides: dict[str, Any],
                                problems: dict[str, str]) -> None:
    assert problems_of(engine, lambda s: org.create_guide(s, admin, guide_form(**overrides))) == problems
    with engine.db.transaction() as session:
        assert session.scalar(select(Guide).where(Guide.name == "Yara Bos")) is None


def test_a_guide_is_changed_with_an_audit_of_what_changed(loket: Loket, engine: Engine, admin: Principal) -> None:
    with engine.db.transaction() as session:
        guide = session.scalar(select(Guide).where(Guide.name == "Anouk de Vries"))
        assert guide is not None
        guide_id = guide.id
    org.update_guide(loket, admin, guide_id, org.GuideForm(name=None, district="oost",
                                                           expertise=("groen", "sociaal"), active=True))
    assert org_audit(engine) == []  # nothing changed
    org.update_guide(loket, admin, guide_id, org.GuideForm(name="Anouk de Vries-Smit", district="",
                                                             expertise=("groen",), active=False))
    assert org_audit(engine) == [("guide_updated", "begeleider:anouk.devries@gemeente.example", {
        "name": ["Anouk de Vries", "Anouk de Vries-Smit"], "district": ["oost", None],
        "expertise": [["groen", "sociaal"], ["groen"]], "active": [True, False]})]
    with pytest.raises(NotFound):
        org.update_guide(loket, admin, 999999, org.GuideForm())


# budgets and the fund ------------------------------------------------------------------------
def test_budgets_for_a_new_year_for_every_district(engine: Engine, admin: Principal) -> None:
    created = org.create_budgets(loket_for(engine), admin, NEXT_YEAR,
                                 {"oost": "30.000", "west": "27.500,50", "centrum": "20000"})
    assert {(b.district_code, b.year, b.amount) for b in created} == {
        ("oost", THIS_YEAR + 1, Decimal("30000.00")), ("west", THIS_YEAR + 1, Decimal("27500.50")),
        ("centrum", THIS_YEAR + 1, Decimal("20000.00"))}
    with engine.db.transaction() as session:
        years = org.budget_years(session)
        assert [(year.year, len(year.budgets), year.fund is not None) for year in years] == [
            (THIS_YEAR, 3, True), (THIS_YEAR + 1, 3, False)]
    assert ("budget_created", f"budget:west:{NEXT_YEAR}", {"amount": [None, "27500.50"]}) in org_audit(engine)


@pytest.mark.parametrize(("year", "amounts", "problems"), [
    (str(THIS_YEAR), {"oost": "1", "west": "1", "centrum": "1"}, {"jaar": "budget_year_exists"}),
    (str(THIS_YEAR - 1), {"oost": "1", "west": "1", "centrum": "1"}, {"jaar": "year_out_of_range"}),
    (str(THIS_YEAR + 6), {"oost": "1", "west": "1", "centrum": "1"}, {"jaar": "year_out_of_range"}),
    ("twintig", {"oost": "1", "west": "1", "centrum": "1"}, {"jaar": "year_invalid"}),
    ("99999999999999999999", {"oost": "1", "west": "1", "centrum": "1"}, {"jaar": "year_invalid"}),
    (NEXT_YEAR, {"oost": "NaN", "west": "", "centrum": "-5"},
     {"bedrag-oost": "bad_amount", "bedrag-west": "amount_missing", "bedrag-centrum": "bad_amount"}),
])
def test_budgets_for_a_new_year_are_checked(engine: Engine, admin: Principal, year: str, amounts: dict[str, str],
                                            problems: dict[str, str]) -> None:
    assert problems_of(engine, lambda s: org.create_budgets(s, admin, year, amounts)) == problems
    with engine.db.transaction() as session:
        assert session.scalar(select(DistrictBudget).where(DistrictBudget.year != THIS_YEAR)) is None
    assert org_audit(engine) == []


def test_a_budget_is_never_below_what_is_reserved(loket: Loket, engine: Engine, admin: Principal) -> None:
    with engine.db.transaction() as session:
        budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == "oost"))
        assert budget is not None
        budget.reserved = Decimal("1000")
        budget_id = budget.id
    assert problems_of(engine, lambda s: org.update_budget(s, admin, budget_id, "999,99")) == {
        "bedrag": "below_reserved"}
    org.update_budget(loket, admin, budget_id, "1.000")
    assert org_audit(engine) == [("budget_updated", f"budget:oost:{THIS_YEAR}", {"amount": ["25000.00", "1000.00"]})]


def test_the_fund_of_a_new_year_and_its_total(loket: Loket, engine: Engine, admin: Principal) -> None:
    fund_id = org.create_fund(loket, admin, NEXT_YEAR, "130.000").id
    assert problems_of(engine, lambda s: org.create_fund(s, admin, NEXT_YEAR, "1")) == {"jaar": "fund_year_exists"}
    with engine.db.transaction() as session:
        stored = session.get(Fund, fund_id)
        assert stored is not None
        stored.granted = Decimal("5000")
    assert problems_of(engine, lambda s: org.update_fund(s, admin, fund_id, "4.999")) == {"totaal": "below_granted"}
    assert problems_of(engine, lambda s: org.update_fund(s, admin, fund_id, "Infinity")) == {"totaal": "bad_amount"}
    org.update_fund(loket, admin, fund_id, "125.000")
    assert org_audit(engine) == [("fund_created", f"fonds:{NEXT_YEAR}", {"total": [None, "130000.00"]}),
                                 ("fund_updated", f"fonds:{NEXT_YEAR}", {"total": ["130000.00", "125000.00"]})]


def test_organisation_rows_stay_out_of_the_account_history(engine: Engine, admin: Principal) -> None:
    districts_teams.update_district(loket_for(engine), admin, "oost", "Oosterpark")
    with engine.db.transaction() as session:
        assert staff_audit.history(session) == []
        assert len(staff_audit.organisation_history(session)) == 1
        row = session.scalar(select(StaffAudit))
        assert row is not None and row.user_id is None and row.actor_email == BEHEER
