"""Mail from the diagrams: to the initiator, and escalations to a team lead.

A mail to the initiator addresses them by name and can hold the decision with its content
(amount, reasons, conditions, agreements, next step); their answers, files and messages stay
in the loket, behind the login."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine import HandlerContext, HandlerFailed
from processes.case_status import decision_values
from processes.handlers.registry import handlers
from processes.tables.organisation import Team
from processes.vocabulary import ESCALATION_TEXT

LANGUAGES = ("nl", "en")


def _language(value: Any) -> str:
    return value if value in LANGUAGES else "nl"


@handlers.register("send_initiator_mail", database_only=True)
def send_initiator_mail(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: ``template`` (a text of the case's bundle, ``bpmn_models/texts/<template>.<lang>.txt``),
    optional ``context`` (dict), optional ``to`` and ``lang`` (default: the case's ``email`` and ``taal``).

    The template always gets ``titel``, ``case_ref``, ``naam`` (the initiator's name, may be
    empty) and the decision's values (``processes.case_status.DECISION_VALUES``)."""
    template = str(params.get("template") or "")
    if not template:
        raise HandlerFailed("geen mailsjabloon opgegeven")
    to = params.get("to") or ctx.data.get("email")
    if not to:
        return {"sent": False, "reason": "geen e-mailadres"}
    extra = params.get("context") or {}
    if not isinstance(extra, dict):
        raise HandlerFailed("context moet een woordenboek (dict) zijn")
    lang = _language(params.get("lang") or ctx.data.get("taal"))
    context = {"titel": ctx.data.get("titel") or "", "case_ref": ctx.case_ref,
               "naam": str(ctx.data.get("naam") or ""), **decision_values(ctx.data, lang), **extra}
    ctx.send_mail(template, str(to), context, lang)
    return {"sent": True, "template": template}


@handlers.register("notify_team_lead", database_only=True)
def notify_team_lead(ctx: HandlerContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: ``team`` (team code) and ``taak`` (the task's title). Mails the team lead that a
    service norm has passed (text ``escalatie``)."""
    code = str(params.get("team") or "")
    team = ctx.session.scalar(select(Team).where(Team.code == code)) if code else None
    if team is None or not team.lead_email:
        return {"notified": False, "team": code, "reason": "geen teamleider bekend"}
    context = {"titel": ctx.data.get("titel") or "", "case_ref": ctx.case_ref,
               "taak": str(params.get("taak") or ""), "team": team.name}
    ctx.send_mail(ESCALATION_TEXT, team.lead_email, context, "nl")
    return {"notified": True, "team": code}
