"""A realistic set of organisation data for the demo and tests (``loket demo``).

:func:`load_organisation` only adds what is missing, so running it twice changes nothing and
never overwrites what a beheerder has edited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from processes import clock
from processes.tables.organisation import District, DistrictBudget, Fund, Guide, Team

DOMAIN = "gemeente.example"

DISTRICTS = [("oost", "Oost", "East"), ("west", "West", "West"), ("centrum", "Centrum", "Centre")]

TEAMS = [
    ("initiatieventeam", "Initiatieventeam", "teamleider.initiatieven", None),
    ("team-groen", "Team Groen", "teamleider.groen", None),
    ("regiegroep-oost", "Regiegroep wijkwensen Oost", "voorzitter.regiegroep.oost", "oost"),
    ("regiegroep-west", "Regiegroep wijkwensen West", "voorzitter.regiegroep.west", "west"),
    ("regiegroep-centrum", "Regiegroep wijkwensen Centrum", "voorzitter.regiegroep.centrum", "centrum"),
    ("fondsbeheer", "Fondsbeheer Initiatievenfonds", "fondsbeheerder", None),
    ("kcc", "Klantcontactcentrum", "teamleider.kcc", None),
    ("team-vergunningen", "Team Vergunningen", "teamleider.vergunningen", None),
    ("team-vastgoed", "Team Vastgoed", "teamleider.vastgoed", None),
    ("team-subsidies", "Team Subsidies", "teamleider.subsidies", None),
    ("team-participatie", "Team Participatie", "teamleider.participatie", None),
]

GUIDES = [
    ("Anouk de Vries", "anouk.devries", "oost", "groen,sociaal"),
    ("Mehmet Yilmaz", "mehmet.yilmaz", "oost", "sport,evenementen"),
    ("Sanne Bakker", "sanne.bakker", "west", "cultuur,sociaal"),
    ("Pieter Jansen", "pieter.jansen", "west", "vastgoed,vergunningen"),
    ("Fatima El Amrani", "fatima.elamrani", "centrum", "evenementen,cultuur,vergunningen"),
    ("Joost van Dijk", "joost.vandijk", "centrum", "duurzaamheid,groen"),
    ("Lotte Visser", "lotte.visser", None, "financien"),
    ("Ruben Smit", "ruben.smit", None, "vastgoed,duurzaamheid"),
]

DISTRICT_BUDGETS = {"oost": Decimal("25000"), "west": Decimal("25000"), "centrum": Decimal("20000")}
FUND_TOTAL = Decimal("120000")


def _add_missing(session: Session, model: Any, key: dict[str, Any], values: dict[str, Any]) -> int:
    found = session.scalar(select(model).filter_by(**key))
    if found is not None:
        return 0
    session.add(model(**key, **values))
    session.flush()
    return 1


def load_organisation(session: Session, year: int | None = None) -> dict[str, int]:
    """Add the demo districts, teams, guides, this year's budgets and fund; returns what was added."""
    year = year or clock.now().year
    added = {"districts": 0, "teams": 0, "guides": 0, "budgets": 0, "funds": 0}
    for code, name, name_en in DISTRICTS:
        added["districts"] += _add_missing(session, District, {"code": code}, {"name": name, "name_en": name_en})
    for code, name, lead, district in TEAMS:
        added["teams"] += _add_missing(
            session, Team, {"code": code},
            {"name": name, "lead_email": f"{lead}@{DOMAIN}", "district_code": district},
        )
    for name, user, district, expertise in GUIDES:
        added["guides"] += _add_missing(
            session, Guide, {"email": f"{user}@{DOMAIN}"},
            {"name": name, "district_code": district, "expertise": expertise, "active": True},
        )
    for district, amount in DISTRICT_BUDGETS.items():
        added["budgets"] += _add_missing(
            session, DistrictBudget, {"district_code": district, "year": year},
            {"amount": amount, "reserved": Decimal("0")},
        )
    added["funds"] += _add_missing(
        session, Fund, {"year": year},
        {"name": "Initiatievenfonds", "total": FUND_TOTAL, "granted": Decimal("0")},
    )
    return added
