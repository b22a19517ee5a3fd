"""Rule quality (how often the intake changed the category the rules suggested, per rule and
to what), satisfaction (the survey's scores and comments) and the budgets (Initiatievenfonds and
the regiegroepen: granted, reserved, remaining)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from engine import ProcessInstance
from processes.monitoring.grouped import Counts
from processes.monitoring.sql import Filters
from processes.tables.facts import CaseFact
from processes.tables.organisation import BudgetReservation, DistrictBudget, Fund

COMMENT = ProcessInstance.case_data["tevredenheid_opmerking"].as_string()
GRANTED = "toegekend"
COMMENTS_LISTED = 50


@dataclass
class RuleUse:
    rule: str
    suggested: str
    total: int = 0
    changed_to: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(self.changed_to.values())

    @property
    def changed_share(self) -> float:
        return self.changed / self.total if self.total else 0.0


@dataclass(frozen=True)
class Comment:
    case_ref: str
    at: datetime
    score: int | None
    text: str


@dataclass
class Satisfaction:
    scores: dict[int, int] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(self.scores.values())

    @property
    def average(self) -> float | None:
        return sum(score * count for score, count in self.scores.items()) / self.answered if self.answered else None


@dataclass(frozen=True)
class Budget:
    pot: str
    """``fonds`` or the district's code."""
    year: int
    total: Decimal
    granted: Decimal
    reserved: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.granted - self.reserved


def rule_quality(counted: Counts) -> list[RuleUse]:
    """Per rule that fired: how many initiatives it categorised and which category the intake
    chose instead (initiatives whose category is not settled yet do not count)."""
    found: dict[tuple[str, str], RuleUse] = {}
    for (rule, suggested, chosen), count in counted["rules"]:
        key = (str(rule or "-"), str(suggested))
        use = found.setdefault(key, RuleUse(*key))
        use.total += count
        if chosen != suggested:
            use.changed_to[str(chosen)] = use.changed_to.get(str(chosen), 0) + count
    return sorted(found.values(), key=lambda use: (-use.changed_share, use.rule))


@lru_cache(maxsize=256)
def _comments(filters: Filters) -> Select[Any]:
    """The newest comments' statement, made once per filters (statements never change)."""
    newest = (select(CaseFact.instance_id, CaseFact.case_ref, CaseFact.commented_at, CaseFact.score)
              .where(filters.condition(), CaseFact.commented_at.is_not(None))
              .order_by(CaseFact.commented_at.desc(), CaseFact.instance_id.desc()).limit(COMMENTS_LISTED)
              .subquery("nieuwste"))
    return (select(newest.c.case_ref, newest.c.commented_at, newest.c.score, COMMENT)
            .join(ProcessInstance, ProcessInstance.id == newest.c.instance_id)
            .order_by(newest.c.commented_at.desc(), newest.c.instance_id.desc()))


def satisfaction(session: Session, filters: Filters, counted: Counts) -> Satisfaction:
    """The scores counted, and the newest comments (by the time they were given: the partial
    index on ``commented_at`` is read backwards until the list is full)."""
    found = Satisfaction()
    for (score,), count in counted["scores"]:
        found.scores[int(score)] = count
    rows = session.execute(_comments(filters))
    found.comments = [Comment(ref, at, int(score) if score is not None else None, str(text))
                      for ref, at, score, text in rows]
    return found


@lru_cache(maxsize=64)
def _held(years: tuple[int, ...]) -> Select[Any]:
    """Per pot, year and whether granted what the held money adds up to (made once per years)."""
    # The outcome looked up per reservation (a few hundred a year, bounded by the budgets): a join
    # let the planner walk the index of every initiative's reference, which grows with them all.
    outcome = (select(CaseFact.outcome).join(ProcessInstance, ProcessInstance.id == CaseFact.instance_id)
               .where(ProcessInstance.case_ref == BudgetReservation.case_ref).scalar_subquery())
    held_rows = (select(BudgetReservation.pot, BudgetReservation.district_code, BudgetReservation.year,
                        case((outcome == GRANTED, 1), else_=0).label("granted"), BudgetReservation.amount)
                 .where(BudgetReservation.released_at.is_(None), BudgetReservation.year.in_(years))
                 .subquery("held"))
    return (select(held_rows.c.pot, held_rows.c.district_code, held_rows.c.year, held_rows.c.granted,
                   func.sum(held_rows.c.amount))
            .group_by(held_rows.c.pot, held_rows.c.district_code, held_rows.c.year, held_rows.c.granted))


@lru_cache(maxsize=64)
def _pots(years: tuple[int, ...]) -> Select[Any]:
    """The fund and the district budgets of these years (made once per years)."""
    # Columns, not entities: loading ORM objects cost more than the query.
    pots = union_all(select(literal("fonds").label("pot"), Fund.year, Fund.total.label("amount"))
                     .where(Fund.year.in_(years)),
                     select(DistrictBudget.district_code, DistrictBudget.year, DistrictBudget.amount)
                     .where(DistrictBudget.year.in_(years))).subquery("pots")
    return select(pots.c.pot, pots.c.year, pots.c.amount).order_by(pots.c.pot != "fonds", pots.c.year, pots.c.pot)


def budgets(session: Session, years: list[int]) -> list[Budget]:
    """The fund and every district budget of these years: what the held money of initiatives
    with outcome ``toegekend`` adds up to (granted), the money held for the others (reserved)."""
    held: dict[tuple[str, int, int], Decimal] = {}
    for pot, district, year, granted, amount in session.execute(_held(tuple(years))):
        key = ("fonds" if pot == "fund" else str(district), int(year), int(granted))
        held[key] = held.get(key, Decimal(0)) + Decimal(amount or 0)
    rows = session.execute(_pots(tuple(years)))
    return [Budget(str(pot), int(year), Decimal(amount), held.get((str(pot), int(year), 1), Decimal(0)),
                   held.get((str(pot), int(year), 0), Decimal(0))) for pot, year, amount in rows]
