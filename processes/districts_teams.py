"""Districts and teams, as a beheerder keeps them: a new district comes with its regiegroep (the
team the wijkwens diagram routes to, ``regiegroep-<code>``) and this year's budget, and appears
on the start form at once; a district or team switched off keeps its cases and history. No form
or code edit is needed for any of it.

Every change checks all its fields first (:class:`OrganisationInvalid`) and writes a row to the
organisation audit in the same transaction."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import NotFound
from processes import clock, org_input, staff_audit
from processes.access import Principal
from processes.loket import writes
from processes.tables.organisation import District, DistrictBudget, Team
from processes.vocabulary import TEAM_SETTINGS

CODE = re.compile(r"[a-z][a-z0-9-]{1,38}")
"""A code is what diagrams and case data use: lower case letters, digits and hyphens."""
REGIEGROEP_PREFIX = "regiegroep-"


def districts(session: Session) -> list[District]:
    return list(session.scalars(select(District).order_by(District.active.desc(), District.name)).all())


def teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.active.desc(), Team.name)).all())


def regiegroep_of(district_code: str) -> str:
    return f"{REGIEGROEP_PREFIX}{district_code}"


def _code(text: str | None, problems: dict[str, str], taken: bool) -> str:
    code = (text or "").strip().lower()
    if not CODE.fullmatch(code):
        problems["code"] = "code_invalid"
    elif taken:
        problems["code"] = "code_taken"
    return code


def _name_taken(session: Session, name: str, code: str) -> bool:
    return session.scalar(select(District.code).where(func.lower(District.name) == name.lower(),
                                                      District.code != code)) is not None


def _optional_name(text: str | None, problems: dict[str, str], field: str) -> str | None:
    name = " ".join((text or "").split())
    if len(name) > org_input.MAX_NAME:
        problems[field] = "name_too_long"
    return name or None


@writes
def update_district(session: Session, actor: Principal, code: str, name: str | None, name_en: str | None = None,
                    active: bool | None = None) -> District:
    """A district's name (NL, and EN when it differs) and whether the start form offers it; its
    code stays: case data and the diagrams use it."""
    district = session.get(District, code) if len(code) <= org_input.MAX_CODE else None
    if district is None:
        raise NotFound(code)
    problems: dict[str, str] = {}
    new_name = org_input.name(name, problems)
    english = _optional_name(name_en, problems, "naam_en") if name_en is not None else district.name_en
    if not problems and _name_taken(session, new_name, district.code):
        problems["naam"] = "district_name_taken"
    org_input.raise_problems(problems)
    before = {"name": district.name, "name_en": district.name_en, "active": district.active}
    district.name, district.name_en = new_name, english
    district.active = district.active if active is None else active
    org_input.record_changes(session, actor, f"wijk:{district.code}", "district_updated", before,
                             {"name": district.name, "name_en": district.name_en, "active": district.active})
    session.flush()
    return district


@writes
def create_district(session: Session, actor: Principal, code: str | None, name: str | None, name_en: str | None,
                    amount_text: str | None) -> District:
    """A new district with its regiegroep (``regiegroep-<code>``, the team the wijkwens diagram
    routes to) and its budget for wijkwensen this year (fields ``code``, ``naam``, ``naam_en``,
    ``bedrag``)."""
    problems: dict[str, str] = {}
    wanted = (code or "").strip().lower()
    taken = (session.get(District, wanted) is not None or session.get(Team, regiegroep_of(wanted)) is not None
             if wanted else False)
    district_code = _code(code, problems, taken)
    new_name = org_input.name(name, problems)
    english = _optional_name(name_en, problems, "naam_en")
    amount = org_input.amount(amount_text, "bedrag", problems)
    if "naam" not in problems and _name_taken(session, new_name, district_code):
        problems["naam"] = "district_name_taken"
    org_input.raise_problems(problems)
    assert amount is not None
    district = District(code=district_code, name=new_name, name_en=english, active=True)
    team = Team(code=regiegroep_of(district_code), name=f"Regiegroep wijkwensen {new_name}", lead_email=None,
                district_code=district_code, active=True)
    year = clock.now().year
    session.add_all([district, team])
    session.flush()
    session.add(DistrictBudget(district_code=district_code, year=year, amount=amount, reserved=Decimal("0")))
    staff_audit.record_organisation(session, actor, f"wijk:{district_code}", "district_created",
                                    {"name": [None, new_name], "team": [None, team.code]})
    staff_audit.record_organisation(session, actor, f"budget:{district_code}:{year}", "budget_created",
                                    {"amount": [None, str(amount)]})
    return district


@writes
def update_team(session: Session, actor: Principal, code: str, name: str | None, lead_email: str | None,
                active: bool | None = None, notify: str | None = None, notify_email: str | None = None) -> Team:
    """A team's name, the e-mail address of its team lead, who gets the escalations when a
    service norm of the team's tasks expires (empty: nobody is warned), whether it is in use, and
    how it hears of work arriving in its queue (``notify``: one of
    :data:`processes.vocabulary.TEAM_SETTINGS`; ``notify_email``: a shared mailbox for those
    mails, empty: every member). ``None`` keeps what is set."""
    team = session.get(Team, code) if len(code) <= org_input.MAX_CODE else None
    if team is None:
        raise NotFound(code)
    problems: dict[str, str] = {}
    new_name = org_input.name(name, problems)
    lead = org_input.email(lead_email, problems, "teamleider", required=False)
    if notify is not None and notify not in TEAM_SETTINGS:
        problems["meldingen"] = "notify_unknown"
    mailbox = org_input.email(notify_email, problems, "meldingen_email", required=False) \
        if notify_email is not None else team.notify_email
    org_input.raise_problems(problems)
    before = _team_fields(team)
    team.name, team.lead_email = new_name, lead or None
    team.active = team.active if active is None else active
    team.notify = notify or team.notify
    team.notify_email = mailbox or None
    org_input.record_changes(session, actor, f"team:{team.code}", "team_updated", before, _team_fields(team))
    session.flush()
    return team


def _team_fields(team: Team) -> dict[str, object]:
    return {"name": team.name, "lead_email": team.lead_email, "active": team.active, "notify": team.notify,
            "notify_email": team.notify_email}


@writes
def create_team(session: Session, actor: Principal, code: str | None, name: str | None,
                lead_email: str | None) -> Team:
    """A new team (fields ``code``, ``naam``, ``teamleider``): diagrams can route tasks to it by
    its code, and a beheerder can give staff a membership of it."""
    problems: dict[str, str] = {}
    wanted = (code or "").strip().lower()
    team_code = _code(code, problems, bool(wanted) and session.get(Team, wanted) is not None)
    new_name = org_input.name(name, problems)
    lead = org_input.email(lead_email, problems, "teamleider", required=False)
    org_input.raise_problems(problems)
    team = Team(code=team_code, name=new_name, lead_email=lead or None, district_code=None, active=True)
    session.add(team)
    session.flush()
    staff_audit.record_organisation(session, actor, f"team:{team_code}", "team_created",
                                    {"name": [None, new_name], "lead_email": [None, lead or None]})
    return team
