"""Organisation data a beheerder edits (issue 3): guides and their expertise, the yearly district
budgets and the fund, and what each beheer page reads (districts and teams:
:mod:`processes.districts_teams`; reading the input: :mod:`processes.org_input`).

Every change checks all its fields first and raises :class:`OrganisationInvalid` (form field →
reason code) without changing anything; an unknown district, team, guide, budget or fund is
``engine.NotFound`` (a 404). Every change writes an organisation row to ``staff_audit``
in the same transaction. Amounts are never set below what is already reserved or granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, select
from sqlalchemy.orm import Session

from engine import NotFound
from processes import clock, org_input, staff_audit
from processes.access import Principal
from processes.districts_teams import districts, teams
from processes.handlers.guides import guide_loads
from processes.loket import reads, writes
from processes.org_input import FUND_NAME, MAX_EMAIL, MAX_NAME, YEARS_AHEAD, parse_amount
from processes.tables.organisation import District, DistrictBudget, Fund, Guide, GuideAssignment, Team
from processes.tables.staff import KccAccess, StaffAudit, StaffUser
from processes.vocabulary import EXPERTISE

__all__ = ["MAX_EMAIL", "MAX_NAME", "YEARS_AHEAD", "parse_amount"]

# guides --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuideRow:
    guide: Guide
    load: int


@dataclass(frozen=True)
class GuideForm:
    """What a beheerder fills in for a guide. ``name`` None: keep the name (older forms)."""

    name: str | None = None
    email: str = ""
    district: str = ""
    expertise: tuple[str, ...] = ()
    active: bool = True

    @classmethod
    def of(cls, form: Mapping[str, str], expertise: Iterable[str]) -> GuideForm:
        name = form.get("naam")
        return cls(name[:1000] if name is not None else None, (form.get("email") or "")[:1000],
                   (form.get("wijk") or "").strip()[:40], tuple(dict.fromkeys(expertise)), form.get("actief") == "on")


def guides(session: Session) -> list[GuideRow]:
    loads = guide_loads(session)
    rows = session.scalars(select(Guide).order_by(Guide.name)).all()
    return [GuideRow(guide, loads.get(guide.id, 0)) for guide in rows]


def _guide_problems(session: Session, form: GuideForm, problems: dict[str, str]) -> None:
    if set(form.expertise) - set(EXPERTISE):
        problems["kennis"] = "expertise_unknown"
    if form.district and session.get(District, form.district) is None:
        problems["wijk"] = "district_unknown"


def _snapshot(guide: Guide) -> dict[str, object]:
    return {"name": guide.name, "district": guide.district_code, "expertise": guide.expertise_list,
            "active": guide.active}


@writes
def create_guide(session: Session, actor: Principal, form: GuideForm) -> Guide:
    """A new guide; the e-mail address is the guide's identity (tasks are assigned to it)."""
    problems: dict[str, str] = {}
    name = org_input.name(form.name, problems)
    email = org_input.email(form.email, problems, "email", required=True)
    if "email" not in problems and session.scalar(
            select(Guide.id).where(func.lower(Guide.email) == email)) is not None:
        problems["email"] = "guide_email_taken"
    _guide_problems(session, form, problems)
    org_input.raise_problems(problems)
    guide = Guide(name=name, email=email, district_code=form.district or None,
                  expertise=",".join(code for code in EXPERTISE if code in form.expertise), active=form.active)
    session.add(guide)
    session.flush()
    staff_audit.record_organisation(session, actor, f"begeleider:{email}", "guide_created",
                                    {key: [None, value] for key, value in _snapshot(guide).items()})
    return guide


@writes
def update_guide(session: Session, actor: Principal, guide_id: int, form: GuideForm) -> Guide:
    """Name, district, expertise and whether the guide gets new initiatives."""
    guide = session.get(Guide, guide_id)
    if guide is None:
        raise NotFound(str(guide_id))
    problems: dict[str, str] = {}
    name = org_input.name(form.name, problems) if form.name is not None else guide.name
    _guide_problems(session, form, problems)
    org_input.raise_problems(problems)
    before = _snapshot(guide)
    guide.name = name
    guide.expertise = ",".join(code for code in EXPERTISE if code in form.expertise)
    guide.active = form.active
    guide.district_code = form.district or None
    org_input.record_changes(session, actor, f"begeleider:{guide.email}", "guide_updated", before, _snapshot(guide))
    session.flush()
    return guide


# budgets and the fund ------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetYear:
    year: int
    budgets: list[DistrictBudget]
    fund: Fund | None


def budget_years(session: Session, from_year: int | None = None) -> list[BudgetYear]:
    """The district budgets and the fund of this year and every later year that has them."""
    first = from_year or clock.now().year
    budgets = session.scalars(select(DistrictBudget).where(DistrictBudget.year >= first)
                              .order_by(DistrictBudget.year, DistrictBudget.district_code)).all()
    funds = {fund.year: fund for fund in session.scalars(select(Fund).where(Fund.year >= first)).all()}
    years = sorted({budget.year for budget in budgets} | set(funds) | {first})
    return [BudgetYear(year, [b for b in budgets if b.year == year], funds.get(year)) for year in years]


def _amount_at_least(text: str | None, field: str, minimum: Decimal, problem: str) -> Decimal:
    """A valid amount for ``field`` that is not below ``minimum`` (what is already spent)."""
    problems: dict[str, str] = {}
    amount = org_input.amount(text, field, problems)
    if amount is not None and amount < minimum:
        problems[field] = problem
    org_input.raise_problems(problems)
    assert amount is not None
    return amount


@writes
def update_budget(session: Session, actor: Principal, budget_id: int, amount_text: str | None) -> DistrictBudget:
    """A new yearly amount; never below what is already reserved."""
    budget = session.get(DistrictBudget, budget_id)
    if budget is None:
        raise NotFound(str(budget_id))
    amount = _amount_at_least(amount_text, "bedrag", budget.reserved, "below_reserved")
    if amount != budget.amount:
        staff_audit.record_organisation(session, actor, f"budget:{budget.district_code}:{budget.year}",
                                        "budget_updated", {"amount": [str(budget.amount), str(amount)]})
        budget.amount = amount
        session.flush()
    return budget


@writes
def create_budgets(session: Session, actor: Principal, year_text: str | None,
                   amounts: Mapping[str, str | None]) -> list[DistrictBudget]:
    """The budgets of every district for a new year (fields ``jaar`` and ``bedrag-<district>``)."""
    problems: dict[str, str] = {}
    year = org_input.year(year_text, problems)
    all_districts = districts(session)
    values = {d.code: org_input.amount(amounts.get(d.code), f"bedrag-{d.code}", problems) for d in all_districts}
    if year is not None and session.scalar(select(DistrictBudget.id).where(DistrictBudget.year == year)) is not None:
        problems["jaar"] = "budget_year_exists"
    org_input.raise_problems(problems)
    assert year is not None
    created = []
    for district in all_districts:
        amount = values[district.code]
        assert amount is not None
        budget = DistrictBudget(district_code=district.code, year=year, amount=amount, reserved=Decimal("0"))
        session.add(budget)
        staff_audit.record_organisation(session, actor, f"budget:{district.code}:{year}", "budget_created",
                                        {"amount": [None, str(amount)]})
        created.append(budget)
    session.flush()
    return created


@writes
def update_fund(session: Session, actor: Principal, fund_id: int, total_text: str | None) -> Fund:
    """A new total for the fund of a year; never below what is already granted."""
    fund = session.get(Fund, fund_id)
    if fund is None:
        raise NotFound(str(fund_id))
    total = _amount_at_least(total_text, "totaal", fund.granted, "below_granted")
    if total != fund.total:
        staff_audit.record_organisation(session, actor, f"fonds:{fund.year}", "fund_updated",
                                        {"total": [str(fund.total), str(total)]})
        fund.total = total
        session.flush()
    return fund


@writes
def create_fund(session: Session, actor: Principal, year_text: str | None, total_text: str | None) -> Fund:
    """The Initiatievenfonds of a new year (fields ``jaar`` and ``totaal``)."""
    problems: dict[str, str] = {}
    year = org_input.year(year_text, problems)
    total = org_input.amount(total_text, "totaal", problems)
    if year is not None and session.scalar(select(Fund.id).where(Fund.year == year)) is not None:
        problems["jaar"] = "fund_year_exists"
    org_input.raise_problems(problems)
    assert year is not None and total is not None
    fund = Fund(year=year, name=FUND_NAME, total=total, granted=Decimal("0"))
    session.add(fund)
    session.flush()
    staff_audit.record_organisation(session, actor, f"fonds:{year}", "fund_created", {"total": [None, str(total)]})
    return fund


# the beheer pages -----------------------------------------------------------------------------
# Each page reads only its own subject, so no page pays for the others (issue 16).
@dataclass(frozen=True)
class AdminCounts:
    """The figures beside each part of the beheer overview."""

    districts: int
    teams: int
    guides: int
    budget_years: int
    fund_years: int
    users: int


def _count(entity: type, *where: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).select_from(entity).where(*where).scalar_subquery()


@lru_cache(maxsize=4)
def _counts_statement(first: int) -> Select[int, int, int, int, int, int]:
    """Built once per year: building six subqueries cost more than running them (issue 16)."""
    budget_years = select(func.count(func.distinct(DistrictBudget.year))).where(
        DistrictBudget.year >= first).scalar_subquery()
    return select(_count(District, District.active.is_(True)), _count(Team, Team.active.is_(True)),
                  _count(Guide, Guide.active.is_(True)), budget_years, _count(Fund, Fund.year >= first),
                  _count(StaffUser, StaffUser.active.is_(True)))


@reads
def admin_counts(session: Session) -> AdminCounts:
    """The active districts, teams, guides and accounts, and the years from this year on that have
    district budgets or a fund, in one statement."""
    return AdminCounts(*session.execute(_counts_statement(clock.now().year)).one())


@reads
def district_list(session: Session) -> list[District]:
    return districts(session)


@reads
def team_list(session: Session) -> list[Team]:
    return teams(session)


@reads
def team_of(session: Session, code: str) -> Team:
    team = session.get(Team, code)
    if team is None:
        raise NotFound(code)
    return team


@reads
def guide_list(session: Session) -> list[GuideRow]:
    """The guides with their load."""
    return guides(session)


@reads
def guide_of(session: Session, guide_id: int) -> tuple[GuideRow, list[District]]:
    """One guide with its load, and the districts to choose from."""
    guide = session.get(Guide, guide_id)
    if guide is None:
        raise NotFound(str(guide_id))
    load = session.scalar(select(func.count()).select_from(GuideAssignment).where(
        GuideAssignment.guide_id == guide_id, GuideAssignment.closed_at.is_(None)))
    return GuideRow(guide, load or 0), districts(session)


@reads
def budget_list(session: Session) -> tuple[list[BudgetYear], list[District]]:
    """The district budgets per year from this year on, and the districts a new year gets a budget for."""
    first = clock.now().year
    budgets = session.scalars(select(DistrictBudget).where(DistrictBudget.year >= first)
                              .order_by(DistrictBudget.year, DistrictBudget.district_code)).all()
    years = sorted({budget.year for budget in budgets} | {first})
    return [BudgetYear(year, [b for b in budgets if b.year == year], None) for year in years], districts(session)


@reads
def fund_list(session: Session) -> list[Fund]:
    """The Initiatievenfonds of this year and every later year that has one."""
    return list(session.scalars(select(Fund).where(Fund.year >= clock.now().year).order_by(Fund.year)).all())


@reads
def organisation_changes(session: Session) -> list[StaffAudit]:
    return staff_audit.organisation_history(session, limit=30)


@reads
def kcc_access_log(session: Session) -> list[KccAccess]:
    return list(session.scalars(select(KccAccess).order_by(KccAccess.id.desc()).limit(50)).all())
