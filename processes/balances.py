"""The money beside a task that spends it: the district's wijkwensen budget after this case's
reservation (for the regiegroep), and the fund's balance (for the fund manager), read live."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import FormDefinition
from processes import clock
from processes.tables.organisation import BudgetReservation, District, DistrictBudget, Fund

DISTRICT_RESERVATION_FIELD = "budget_reservering"
"""What the wijkwens diagram's reservation returned: its district and year."""
FUND_AMOUNT_FIELD = "fonds_bedrag"
"""A task whose form asks this decides on money from the fund."""


@dataclass(frozen=True)
class Balance:
    kind: str
    """``district`` or ``fund``."""
    name: str
    total: Decimal
    promised: Decimal
    """Reserved (district) or granted (fund), this case's own reservation included."""
    this_case: Decimal
    """What is held for this case now (0 when nothing)."""

    @property
    def remaining(self) -> Decimal:
        return self.total - self.promised


def _held(session: Session, case_ref: str, pot: str) -> Decimal:
    found = session.scalar(select(BudgetReservation.amount).where(
        BudgetReservation.case_ref == case_ref, BudgetReservation.pot == pot, BudgetReservation.released_at.is_(None)))
    return found if found is not None else Decimal("0")


def _district(session: Session, case_ref: str, data: dict[str, Any]) -> Balance | None:
    reservation = data.get(DISTRICT_RESERVATION_FIELD)
    if not isinstance(reservation, dict) or not reservation.get("district"):
        return None
    code = str(reservation["district"])
    year = int(reservation.get("year") or clock.now().year)
    budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == code,
                                                         DistrictBudget.year == year))
    if budget is None:
        return None
    district = session.get(District, code)
    name = f"{district.name if district else code} {year}"
    return Balance("district", name, budget.amount, budget.reserved, _held(session, case_ref, "district"))


def _fund(session: Session, case_ref: str) -> Balance | None:
    year = clock.now().year
    fund = session.scalar(select(Fund).where(Fund.year == year))
    if fund is None:
        return None
    return Balance("fund", f"{fund.name} {year}", fund.total, fund.granted, _held(session, case_ref, "fund"))


def task_balances(session: Session, case_ref: str, definition: FormDefinition | None,
                  data: dict[str, Any]) -> tuple[Balance, ...]:
    """The budgets a task's decision spends from, as they are now."""
    found = [_district(session, case_ref, data)]
    if definition is not None and FUND_AMOUNT_FIELD in definition.fields:
        found.append(_fund(session, case_ref))
    return tuple(balance for balance in found if balance is not None)
