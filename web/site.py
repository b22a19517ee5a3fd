"""Public pages that need no login: the landing page (what the loket is for, the categories
with their conditions, procedure and lead times, all read from the deployed models) and the
categorisation rules in plain language."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from web import engine_of
from web.i18n import current_lang
from web.public.procedure import CATEGORY_PROCESSES, overview
from web.public.rules import Decision, deployed_decisions

bp = Blueprint("site", __name__)

# The decision output that holds the proposed category (see bpmn_models/categorisatie.dmn).
CATEGORY_OUTPUT = "categorie_voorstel"


def _category_decision(decisions: list[Decision]) -> Decision | None:
    return next((d for d in decisions if any(CATEGORY_OUTPUT in rule.outputs for rule in d.rules)), None)


@bp.get("/")
def home() -> str:
    engine = engine_of(current_app)
    with engine.db.transaction() as session:
        procedures = overview(engine, session)
        decision = _category_decision(deployed_decisions(session, current_lang()))
    conditions = {category: decision.rules_for(CATEGORY_OUTPUT, category) if decision else []
                  for category in CATEGORY_PROCESSES}
    return render_template("site/home.html", overview=procedures, conditions=conditions,
                           categories=[c for c in CATEGORY_PROCESSES if c in procedures.categories])


@bp.get("/indeling")
def rules() -> str:
    with engine_of(current_app).db.transaction() as session:
        decisions = deployed_decisions(session, current_lang())
    return render_template("site/rules.html", decisions=decisions, category_output=CATEGORY_OUTPUT)


@bp.get("/gezond")
def health() -> tuple[dict[str, str], int]:
    engine = engine_of(current_app)
    with engine.db.transaction() as session:
        session.execute(select(1))
    return {"status": "ok"}, 200
