"""Reserving money for a case: from the district's yearly wijkwensen budget or from the fund.

A reservation is per case and pot and can be changed: reserving again replaces the amount
(so a retried job or a second decision never counts twice). It never goes over the budget:
when the amount does not fit, nothing changes and ``reserved`` is false.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import HandlerContext, HandlerFailed
from processes.handlers.registry import handlers
from processes.tables.organisation import BudgetReservation, DistrictBudget, Fund

CENT = Decimal("0.01")


def to_money(value: Any) -> Decimal:
    """A non-negative amount in euros (``None`` and ``""`` mean 0)."""
    if value is None or value == "":
        return Decimal("0.00")
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError) as exc:
        raise HandlerFailed(f"'{value}' is geen bedrag") from exc
    if amount < 0:
        raise HandlerFailed(f"een bedrag kan niet negatief zijn ({value})")
    return amount


def euros(amount: Decimal) -> float:
    return float(amount.quantize(CENT))


def active_reservation(session: Session, case_ref: str, pot: str) -> BudgetReservation | None:
    return session.scalar(
        select(BudgetReservation).where(
            BudgetReservation.case_ref == case_ref,
            BudgetReservation.pot == pot,
            BudgetReservation.released_at.is_(None),
        )
    )


def _district_budget(session: Session, district: str, year: int) -> DistrictBudget | None:
    return session.scalar(
        select(DistrictBudget)
        .where(DistrictBudget.district_code == district, DistrictBudget.year == year)
        .with_for_update()
    )


def _fund(session: Session, year: int) -> Fund | None:
    return session.scalar(select(Fund).where(Fund.year == year).with_for_update())


def _year(ctx: HandlerContext, params: dict[str, Any]) -> int:
    year = params.get("year")
    return int(year) if year else ctx.now.year


def _reserve(ctx: HandlerContext, pot: str, district: str | None, year: int, amount: Decimal,
             available: Decimal) -> tuple[bool, Decimal]:
    """Set this case's reservation in ``pot`` to ``amount`` if it fits; returns (done, delta)."""
    existing = active_reservation(ctx.session, ctx.case_ref, pot)
    held = existing.amount if existing is not None else Decimal("0")
    if amount > available + held:
        return False, Decimal("0")
    if existing is None:
        ctx.session.add(BudgetReservation(case_ref=ctx.case_ref, pot=pot, district_code=district, year=year,
                                          amount=amount, created_at=ctx.now))
    else:
        existing.amount = amount
    return True, amount - held


@handlers.register("reserve_district_budget", database_only=True)
def reserve_district_budget(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: ``district`` (code), ``amount`` (euros), optional ``year`` (default: this year).

    Returns ``{"reserved", "amount", "remaining", "district", "year"}``."""
    district = str(params.get("district") or "").lower()
    year = _year(ctx, params)
    amount = to_money(params.get("amount"))
    budget = _district_budget(ctx.session, district, year)
    if budget is None:
        return {"reserved": False, "amount": euros(amount), "remaining": 0.0, "district": district,
                "year": year, "reason": "geen budget voor deze wijk en dit jaar"}
    done, delta = _reserve(ctx, "district", district, year, amount, budget.remaining)
    if done:
        budget.reserved += delta
    return {"reserved": done, "amount": euros(amount), "remaining": euros(budget.remaining),
            "district": district, "year": year}


@handlers.register("reserve_fund", database_only=True)
def reserve_fund(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: ``amount`` (euros), optional ``year``.

    Returns ``{"reserved", "amount", "remaining", "year"}``."""
    year = _year(ctx, params)
    amount = to_money(params.get("amount"))
    fund = _fund(ctx.session, year)
    if fund is None:
        return {"reserved": False, "amount": euros(amount), "remaining": 0.0, "year": year,
                "reason": "er is geen fonds voor dit jaar"}
    done, delta = _reserve(ctx, "fund", None, year, amount, fund.remaining)
    if done:
        fund.granted += delta
    return {"reserved": done, "amount": euros(amount), "remaining": euros(fund.remaining), "year": year}


def _give_back(session: Session, reservation: BudgetReservation) -> None:
    if reservation.pot == "fund":
        fund = _fund(session, reservation.year)
        if fund is not None:
            fund.granted -= reservation.amount
        return
    budget = _district_budget(session, reservation.district_code or "", reservation.year)
    if budget is not None:
        budget.reserved -= reservation.amount


@handlers.register("release_reservation", database_only=True)
def release_reservation(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: optional ``pot`` (``district`` or ``fund``; default both). Gives the money back.

    Returns ``{"released": euros}`` (0 when nothing was reserved, so a retry is harmless)."""
    pot = params.get("pot")
    query = select(BudgetReservation).where(
        BudgetReservation.case_ref == ctx.case_ref, BudgetReservation.released_at.is_(None)
    )
    if pot:
        query = query.where(BudgetReservation.pot == str(pot))
    released = Decimal("0")
    for reservation in ctx.session.scalars(query).all():
        _give_back(ctx.session, reservation)
        reservation.released_at = ctx.now
        released += reservation.amount
    return {"released": euros(released)}
