"""Public pages that need no login: the landing page (what the loket is for, the categories
with their conditions, procedure and lead times, all read from the deployed models), the
categorisation rules in plain language and the privacy statement."""

from __future__ import annotations

from flask import Blueprint, render_template

from processes import log_retention, procedure, retention
from processes import rules as categorisation
from processes.drafts import DRAFT_LIFETIME
from processes.rules import Decision
from processes.vocabulary import CATEGORIES, CATEGORY_OUTPUT
from web import current_loket
from web.i18n import current_lang

bp = Blueprint("site", __name__)


def _category_decision(decisions: list[Decision]) -> Decision | None:
    return next((d for d in decisions if any(CATEGORY_OUTPUT in rule.outputs for rule in d.rules)), None)


@bp.get("/")
def home() -> str:
    procedures = procedure.overview(current_loket())
    decision = _category_decision(categorisation.deployed_decisions(current_loket(), current_lang()))
    conditions = {category: decision.rules_for(CATEGORY_OUTPUT, category) if decision else []
                  for category in CATEGORIES}
    return render_template("site/home.html", overview=procedures, conditions=conditions,
                           categories=[c for c in CATEGORIES if c in procedures.categories])


@bp.get("/indeling")
def rules() -> str:
    decisions = categorisation.deployed_decisions(current_loket(), current_lang())
    return render_template("site/rules.html", decisions=decisions, category_output=CATEGORY_OUTPUT)


@bp.get("/privacy")
def privacy() -> str:
    """What the loket stores, why, how long (the retention policy), who sees it, and how to
    download it or ask for its removal."""
    return render_template("site/privacy.html", policies=retention.current_policies(current_loket()),
                           log_months=log_retention.current_term(current_loket()).months,
                           draft_days=DRAFT_LIFETIME.days)


@bp.get("/gezond")
def health() -> tuple[dict[str, str], int]:
    if not current_loket().database_answers():
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200
