"""What each handler gives back when a scenario runs in memory (no database, no mail): the
answer of an ordinary day — a guide is found, the budget fits, the mail is sent. A scenario
overrides any of it under ``diensten`` (a budget that falls short, no guide in the district)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from processes.vocabulary import DISTRICT_FIELD, ESCALATION_TEXT

StandIn = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]
"""(parameters, case data) → the handler's answer."""

GUIDE_EMAIL = "begeleider@proef.example"


def _amount(params: dict[str, Any]) -> float:
    try:
        return round(float(params.get("amount") or 0), 2)
    except (TypeError, ValueError):
        return 0.0


STAND_INS: dict[str, StandIn] = {
    "send_initiator_mail": lambda params, data: {"sent": True, "template": str(params.get("template") or "")},
    "notify_team_lead": lambda params, data: {"notified": True, "team": str(params.get("team") or ""),
                                              "template": ESCALATION_TEXT},
    "suggest_guide": lambda params, data: {
        "email": GUIDE_EMAIL, "naam": "Proefbegeleider", "district": data.get(DISTRICT_FIELD), "load": 0,
        "reden": "Proefbegeleider heeft de minste lopende initiatieven (0)."},
    "assign_guide": lambda params, data: {"assigned": True, "email": str(params.get("email") or GUIDE_EMAIL),
                                          "naam": "Proefbegeleider"},
    "close_guide_assignment": lambda params, data: {"closed": 1},
    "reserve_district_budget": lambda params, data: {
        "reserved": True, "amount": _amount(params), "remaining": 10000.0,
        "district": str(params.get("district") or "").lower(), "year": params.get("year")},
    "reserve_fund": lambda params, data: {"reserved": True, "amount": _amount(params), "remaining": 100000.0,
                                          "year": params.get("year")},
    "release_reservation": lambda params, data: {"released": 0.0},
}


def stand_in(name: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The ordinary answer of handler ``name``; an unknown handler answers with nothing."""
    found = STAND_INS.get(name)
    return found(params, data) if found is not None else {}
