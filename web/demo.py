"""``loket demo``: a realistic organisation and a handful of initiatives, loaded once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from engine.errors import EngineError
from engine.models import ProcessInstance
from engine.service import Engine
from processes.demo import load_organisation

DEMO_ACTOR = "demo"

_BASE: dict[str, Any] = {
    "soort_initiatiefnemer": "inwoner",
    "openbare_ruimte": True,
    "locatie_nodig": False,
    "vergunning_nodig": False,
    "publicatie_toestemming": True,
    "kanaal": "online",
    "taal": "nl",
}

DEMO_INITIATIVES: list[dict[str, Any]] = [
    {"naam": "Fatima el Amrani", "email": "fatima@example.nl", "titel": "Geveltuin Lindenstraat",
     "omschrijving": "Geveltuintjes langs de huizen in de Lindenstraat.", "soort_initiatief": "groen",
     "reikwijdte": "straat", "disciplines": ["groen"], "wijk": "oost", "gevraagd_bedrag": 0},
    {"naam": "Pieter de Vries", "email": "pieter@example.nl", "titel": "Adoptiegroen Singelplein",
     "omschrijving": "Wij onderhouden het perk op het Singelplein.", "soort_initiatief": "groen",
     "reikwijdte": "straat", "disciplines": ["groen"], "wijk": "centrum", "gevraagd_bedrag": 0},
    {"naam": "Anja Bakker", "email": "anja@example.nl", "titel": "Sinterklaasfeest Reeland",
     "omschrijving": "Een middag met Sinterklaas voor de kinderen uit de buurt.",
     "soort_initiatief": "activiteit", "reikwijdte": "buurt", "disciplines": ["evenementen"],
     "wijk": "west", "gevraagd_bedrag": 450},
    {"naam": "Mohamed Yilmaz", "email": "mohamed@example.nl", "titel": "Buurtbarbecue Oranjepark",
     "omschrijving": "Een barbecue om nieuwe buren te leren kennen.", "soort_initiatief": "activiteit",
     "reikwijdte": "buurt", "disciplines": ["evenementen"], "wijk": "oost", "gevraagd_bedrag": 300},
    {"naam": "Stichting Voedselbos", "email": "info@voedselbos.example", "titel": "Voedselbos Weizigt",
     "omschrijving": "Een voedselbos in het park met een buitenlokaal voor scholen.",
     "soort_initiatiefnemer": "maatschappelijke_organisatie", "soort_initiatief": "voorziening",
     "reikwijdte": "wijk", "disciplines": ["groen", "vastgoed", "duurzaamheid"], "wijk": "west",
     "locatie_nodig": True, "vergunning_nodig": True, "gevraagd_bedrag": 15000},
    {"naam": "Buurthuis De Brug", "email": "bestuur@debrug.example", "titel": "Repair café in de bibliotheek",
     "omschrijving": "Elke maand een repair café, met vrijwilligers uit de hele stad.",
     "soort_initiatiefnemer": "maatschappelijke_organisatie", "soort_initiatief": "activiteit",
     "reikwijdte": "stad", "disciplines": ["sociaal", "duurzaamheid"], "wijk": "centrum",
     "locatie_nodig": True, "gevraagd_bedrag": 4000},
]


def load_demo(engine: Engine) -> bool:
    """Load the demo set unless it is there already; returns whether anything was created."""
    with engine.db.transaction() as session:
        load_organisation(session)
        already = session.scalar(select(ProcessInstance.id).where(ProcessInstance.started_by == DEMO_ACTOR).limit(1))
    if already is not None:
        return False
    for initiative in DEMO_INITIATIVES:
        try:
            engine.start("initiatief", _BASE | initiative, actor=DEMO_ACTOR)
        except EngineError:
            return False
    engine.run_due_jobs(worker_id="demo", limit=1000)
    return True
