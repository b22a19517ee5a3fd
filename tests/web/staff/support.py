"""Helpers for the staff workspace tests: demo accounts, logging a test client in, cases."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from engine.tables import OpenTask
from processes import sessions
from processes.access import Principal
from processes.accounts import principal_of
from processes.tables.staff import StaffUser
from tests.processes.factories import Case, complex_data, intake_data, wijkwens_data
from tests.web_support import STAFF_PASSWORD
from web import engine_of, loket_of
from web.staff.auth import LOGIN_AT, SEEN, SESSION_TOKEN

PASSWORD = STAFF_PASSWORD
DOMAIN = "gemeente.example"

# Demo accounts (processes.demo.staff) by what they do in the tests.
INTAKE = f"ilse.dewit@{DOMAIN}"
INTAKE_2 = f"karim.bouzid@{DOMAIN}"
GUIDE = f"pieter.jansen@{DOMAIN}"  # the suggested guide for a complex case in district west
OTHER_GUIDE = f"sanne.bakker@{DOMAIN}"
GROEN = f"gerda.hoekstra@{DOMAIN}"
OOST = f"bram.verhoeven@{DOMAIN}"
WEST = f"naima.aziz@{DOMAIN}"
FONDS = f"marieke.dijkstra@{DOMAIN}"
VERGUNNINGEN = f"vincent.kok@{DOMAIN}"
KCC = f"kim.jansen@{DOMAIN}"
PROCES = f"paul.hendriks@{DOMAIN}"
BEHEER = f"ria.vanleeuwen@{DOMAIN}"
PRIVACY = f"esther.dehaan@{DOMAIN}"

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}
INTAKEGESPREK = {"aanvulling_nodig": False, "gesprek_datum": "2025-03-10", "verslag": "Goed gesprek.",
                 "benodigde_expertise": "geen_voorkeur"}


def register_form(**overrides: str) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "kanaal": "balie", "taal": "nl", "soort_initiatiefnemer": "inwoner", "naam": "Henk de Bakker",
        "email": "henk@example.nl", "titel": "Bankje bij de vijver", "omschrijving": "Een bankje voor ouderen.",
        "soort_initiatief": "voorziening", "reikwijdte": "straat", "disciplines": ["groen"], "wijk": "centrum",
        "gevraagd_bedrag": "0",
    }
    form.update(overrides)
    return form


def principal(engine: Engine, email: str) -> Principal:
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user is not None, email
        return principal_of(session, user)


def login_as(client: FlaskClient, app: Flask, email: str) -> Principal:
    """Log the test client in without the (deliberately slow) password check: a real session
    on the server, which every request checks."""
    who = principal(engine_of(app), email)
    now = clock.now()
    token = sessions.start_staff_session(loket_of(app), who.id, now + app.permanent_session_lifetime)
    with client.session_transaction() as session:
        session["_user_id"] = who.get_id()
        session["_fresh"] = True
        session[LOGIN_AT] = now.timestamp()
        session[SEEN] = now.timestamp()
        session[SESSION_TOKEN] = token
    return who


def start(engine: Engine, data: dict[str, Any] | None = None) -> Case:
    return Case.start(engine, data or intake_data())


def green_case(engine: Engine, **overrides: Any) -> Case:
    """A simple green case waiting for team Groen."""
    case = start(engine, intake_data(**overrides))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    return case


def wijkwens_case(engine: Engine, wijk: str = "oost", **overrides: Any) -> Case:
    """A wijkwens waiting for the regiegroep of ``wijk``."""
    case = start(engine, wijkwens_data(wijk=wijk, **overrides))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    return case


def complex_case(engine: Engine, **overrides: Any) -> Case:
    """A complex case in district west with its guide (Pieter Jansen), at the four assessments of the
    specialist teams."""
    case = start(engine, complex_data(**overrides))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    case.invite()
    case.complete("intakegesprek", INTAKEGESPREK, actor=INTAKE)
    case.complete("begeleider_koppelen", {"begeleider_akkoord": True}, actor=INTAKE)
    return case


def open_task(engine: Engine, case: Case, name: str) -> OpenTask:
    return case.task(name)


def tasks_of(engine: Engine, instance_id: int) -> list[OpenTask]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id)).all())


TOETSEN = {
    "toets_regels": {"regels_oordeel": "positief", "regels_toelichting": "In orde."},
    "toets_locatie": {"locatie_oordeel": "positief", "locatie_toelichting": "In orde."},
    "toets_financien": {"financien_oordeel": "positief", "financien_toelichting": "In orde."},
    "toets_participatie": {"participatie_oordeel": "positief", "participatie_toelichting": "In orde."},
}
ASSESSORS = {"toets_regels": VERGUNNINGEN, "toets_locatie": f"saskia.mulder@{DOMAIN}",
             "toets_financien": f"youssef.amrani@{DOMAIN}", "toets_participatie": f"linda.bos@{DOMAIN}"}
"""Who assesses: a specialist of the team each assessment belongs to."""


def assessed_case(engine: Engine) -> Case:
    """A complex case whose four assessments the specialist teams did; its guide writes the advice."""
    case = complex_case(engine)
    for name, answers in TOETSEN.items():
        case.complete(name, answers, actor=ASSESSORS[name])
    return case


def fund_case(engine: Engine) -> Case:
    """A complex case waiting for the fund manager."""
    case = assessed_case(engine)
    case.complete("advies_besluit", {"aanvulling_nodig": False, "advies": "Mooi plan.", "besluit": "toegekend",
                                     "fonds_aanvragen": True}, actor=GUIDE)
    return case
