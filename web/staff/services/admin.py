"""Incidents for the process owner and organisation data for the administrator."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.models import ProcessInstance
from engine.service import Engine
from processes.guides import guide_loads
from processes.organisation import District, DistrictBudget, Fund, Guide
from web.staff.models import StaffUser
from web.staff.services.errors import NotAllowedHere

EXPERTISE = ("groen", "sociaal", "cultuur", "sport", "vastgoed", "vergunningen", "evenementen", "duurzaamheid",
             "financien")


@dataclass(frozen=True)
class Incident:
    job_id: int
    kind: str
    case_ref: str | None
    task: str | None
    attempts: int
    last_error: str | None
    created_at: datetime


def incidents(engine: Engine) -> list[Incident]:
    jobs = engine.incidents()
    ids = {job.instance_id for job in jobs if job.instance_id is not None}
    with engine.db.transaction() as session:
        refs = dict(session.execute(select(ProcessInstance.id, ProcessInstance.case_ref)
                                    .where(ProcessInstance.id.in_(ids))).all()) if ids else {}
    return [
        Incident(job.id, job.kind, refs.get(job.instance_id) if job.instance_id else None,
                 str(job.payload.get("task") or job.payload.get("template") or "") or None,
                 job.attempts, job.last_error, job.created_at)
        for job in jobs
    ]


@dataclass(frozen=True)
class GuideRow:
    guide: Guide
    load: int


def guides(session: Session) -> list[GuideRow]:
    loads = guide_loads(session)
    rows = session.scalars(select(Guide).order_by(Guide.name)).all()
    return [GuideRow(guide, loads.get(guide.id, 0)) for guide in rows]


def update_guide(session: Session, guide_id: int, *, expertise: list[str], active: bool, district: str | None) -> Guide:
    guide = session.get(Guide, guide_id)
    if guide is None:
        raise NotAllowedHere("unknown_guide")
    unknown = set(expertise) - set(EXPERTISE)
    if unknown:
        raise NotAllowedHere("unknown_expertise")
    if district and session.get(District, district) is None:
        raise NotAllowedHere("unknown_district")
    guide.expertise = ",".join(code for code in EXPERTISE if code in expertise)
    guide.active = active
    guide.district_code = district or None
    session.flush()
    return guide


def budgets(session: Session, year: int | None = None) -> tuple[list[DistrictBudget], Fund | None]:
    year = year or clock.now().year
    rows = session.scalars(select(DistrictBudget).where(DistrictBudget.year == year)
                           .order_by(DistrictBudget.district_code)).all()
    fund = session.scalar(select(Fund).where(Fund.year == year))
    return list(rows), fund


def parse_amount(text: str) -> Decimal:
    cleaned = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:  # Dutch: 25.000,50
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif not re.fullmatch(r"\d+\.\d{1,2}", cleaned):  # 25.000 is twenty-five thousand
        cleaned = cleaned.replace(".", "")
    try:
        amount = Decimal(cleaned).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise NotAllowedHere("bad_amount") from exc
    if amount < 0 or amount > Decimal("100000000"):
        raise NotAllowedHere("bad_amount")
    return amount


def update_budget(session: Session, budget_id: int, amount: Decimal) -> DistrictBudget:
    """A new yearly amount; never below what is already reserved."""
    budget = session.get(DistrictBudget, budget_id)
    if budget is None:
        raise NotAllowedHere("unknown_budget")
    if amount < budget.reserved:
        raise NotAllowedHere("below_reserved")
    budget.amount = amount
    session.flush()
    return budget


def users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.name)).all())


def districts(session: Session) -> list[District]:
    return list(session.scalars(select(District).order_by(District.name)).all())
