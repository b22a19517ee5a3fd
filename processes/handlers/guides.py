"""Coupling a begeleider: suggest the least-loaded fitting guide, record the choice, close it.

A guide's load is the number of open assignments (complex initiatives not yet closed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import HandlerContext
from processes.handlers.registry import handlers
from processes.tables.organisation import District, Guide, GuideAssignment
from processes.vocabulary import EXPERTISE_WORDS

NO_PREFERENCE = ("", "geen_voorkeur", "onbekend")


def guide_loads(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(GuideAssignment.guide_id, func.count())
        .where(GuideAssignment.closed_at.is_(None))
        .group_by(GuideAssignment.guide_id)
    ).all()
    return {guide_id: count for guide_id, count in rows}


def _candidates(
    guides: list[Guide], district: str, expertise: str, district_name: str
) -> tuple[list[Guide], str]:
    """The guides to choose from and why (in plain Dutch)."""
    if expertise not in NO_PREFERENCE:
        experts = [g for g in guides if g.has_expertise(expertise)]
        if experts:
            return experts, f"heeft kennis van {EXPERTISE_WORDS.get(expertise, expertise.replace('_', ' '))}"
    local = [g for g in guides if g.district_code == district]
    if local:
        return local, f"werkt in wijk {district_name}"
    return guides, "er is geen begeleider in deze wijk"


def choose_guide(session: Session, district: str, expertise: str) -> tuple[Guide | None, int, str]:
    guides = list(session.scalars(select(Guide).where(Guide.active.is_(True)).order_by(Guide.id)).all())
    if not guides:
        return None, 0, "er is geen actieve begeleider"
    loads = guide_loads(session)
    name = session.scalar(select(District.name).where(District.code == district)) or district
    candidates, why = _candidates(guides, district, expertise, name)
    best = min(candidates, key=lambda g: (loads.get(g.id, 0), g.district_code != district, g.name))
    return best, loads.get(best.id, 0), why


@handlers.register("suggest_guide", database_only=True)
def suggest_guide(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: ``district`` (code) and optional ``expertise`` (code or ``geen_voorkeur``).

    Returns ``{"email", "naam", "district", "load", "reden"}`` (``email`` is None if nobody fits)."""
    district = str(params.get("district") or "").lower()
    expertise = str(params.get("expertise") or "").lower()
    guide, load, why = choose_guide(ctx.session, district, expertise)
    if guide is None:
        return {"email": None, "naam": None, "district": None, "load": 0, "reden": why}
    reason = f"{guide.name} {why} en heeft de minste lopende initiatieven ({load})."
    return {"email": guide.email, "naam": guide.name, "district": guide.district_code, "load": load,
            "reden": reason}


def open_assignments(session: Session, case_ref: str) -> list[GuideAssignment]:
    return list(
        session.scalars(
            select(GuideAssignment).where(
                GuideAssignment.case_ref == case_ref, GuideAssignment.closed_at.is_(None)
            )
        ).all()
    )


@handlers.register("assign_guide", database_only=True)
def assign_guide(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: ``guide`` (e-mail of an active guide). Replaces an earlier guide of the case.

    Returns ``{"assigned", "email", "naam"}``; ``assigned`` is false for an unknown guide."""
    email = str(params.get("guide") or "").strip().lower()
    guide = ctx.session.scalar(
        select(Guide).where(func.lower(Guide.email) == email, Guide.active.is_(True))
    ) if email else None
    if guide is None:
        return {"assigned": False, "email": email or None, "naam": None,
                "reden": "geen actieve begeleider met dit e-mailadres"}
    current = open_assignments(ctx.session, ctx.case_ref)
    if not any(a.guide_id == guide.id for a in current):
        for assignment in current:
            assignment.closed_at = ctx.now
        ctx.session.add(GuideAssignment(case_ref=ctx.case_ref, guide_id=guide.id, assigned_at=ctx.now))
    return {"assigned": True, "email": guide.email, "naam": guide.name}


@handlers.register("close_guide_assignment", database_only=True)
def close_guide_assignment(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """No params. Ends the case's guide assignment (lowers the guide's load)."""
    current = open_assignments(ctx.session, ctx.case_ref)
    for assignment in current:
        assignment.closed_at = ctx.now
    return {"closed": len(current)}
