"""``loket demo``: a realistic organisation, staff accounts and a few dozen initiatives in
various states, loaded once. Cases are driven through the real diagrams by the engine."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from engine import EngineError, ProcessInstance
from processes.demo.organisation import load_organisation
from processes.demo.staff import load_staff
from processes.loket import Loket
from processes.vocabulary import INITIATIVE_PROCESS

log = logging.getLogger(__name__)
DEMO_ACTOR = "demo"
STAFF = "demo-medewerker@gemeente.example"

_BASE: dict[str, Any] = {
    "soort_initiatiefnemer": "inwoner", "openbare_ruimte": True, "locatie_nodig": False, "vergunning_nodig": False,
    "publicatie_toestemming": True, "kanaal": "online", "taal": "nl", "gevraagd_bedrag": 0,
}
_PEOPLE = [
    ("Fatima el Amrani", "fatima"), ("Pieter de Vries", "pieter"), ("Anja Bakker", "anja"),
    ("Mohamed Yilmaz", "mohamed"), ("Sanne Visser", "sanne"), ("Kees Mulder", "kees"),
    ("Noor Hendriks", "noor"), ("Daan Smit", "daan"),
]
_GREEN = [("Geveltuin {s}", "Geveltuintjes langs de huizen in de {s}."),
          ("Adoptiegroen {s}", "Wij onderhouden samen het perk in de {s}.")]
_WISHES = [("Sinterklaasfeest {s}", "Een middag met Sinterklaas voor de kinderen uit de buurt.", 450),
           ("Buurtbarbecue {s}", "Een barbecue om nieuwe buren te leren kennen.", 300),
           ("Kerstmarkt {s}", "Een kleine kerstmarkt met kraampjes van bewoners.", 800)]
_COMPLEX = [("Voedselbos {s}", "Een voedselbos met een buitenlokaal voor scholen.", 15000),
            ("Repair café {s}", "Elke maand een repair café met vrijwilligers uit de hele stad.", 4000),
            ("Buurtkamer {s}", "Een huiskamer voor de wijk in een leegstaand pand.", 22000)]
_STREETS = ["Lindenstraat", "Singelplein", "Reeland", "Oranjepark", "Weizigt", "Vogelbuurt", "Stadspolder", "Wielwijk"]
_DISTRICTS = ["oost", "west", "centrum"]

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}
INVITATION = {"uitnodiging_datum": "2026-11-16", "uitnodiging_tijd": "19:30",
              "uitnodiging_plek": "Buurthuis De Horizon, Laan van Europa 12"}
INTAKE = {"aanvulling_nodig": False, "gesprek_datum": "2026-11-16", "verslag": "Goed gesprek, veel energie.",
          "benodigde_expertise": "geen_voorkeur"}
ASSESSMENTS = {"toets_regels": "regels", "toets_locatie": "locatie", "toets_financien": "financien",
               "toets_participatie": "participatie"}


class _Driver:
    """Completes the open task with the given name for one case, then runs due jobs."""

    def __init__(self, loket: Loket, instance_id: int) -> None:
        self.engine, self.id = loket.engine, instance_id

    def complete(self, name: str, data: dict[str, Any], actor: str = STAFF) -> None:
        task = next(t for t in self.engine.open_tasks(instance_id=self.id) if t.task_name == name)
        self.engine.complete_task(self.id, task.task_id, data, actor=actor)
        self.engine.run_due_jobs(worker_id="demo", limit=100)

    def invite(self) -> None:
        """The intake team proposes a moment for the meeting and the initiator accepts it."""
        self.complete("uitnodigen", INVITATION)
        initiator = str(self.engine.instance(self.id).data.get("email") or "initiatiefnemer")
        self.engine.deliver_message(self.id, "uitnodiging_beantwoord", {"uitnodiging_antwoord": "akkoord"},
                                    actor=initiator)
        self.engine.run_due_jobs(worker_id="demo", limit=100)


def _green(step: int) -> Callable[[_Driver], None]:
    def drive(case: _Driver) -> None:
        if step >= 1:
            case.complete("categorie_bevestigen", ACCEPT)
        if step >= 2:
            case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                               "afspraken": "U plant zelf; de gemeente haalt twee tegels weg."})
    return drive


def _wish(step: int) -> Callable[[_Driver], None]:
    def drive(case: _Driver) -> None:
        if step >= 1:
            case.complete("categorie_bevestigen", ACCEPT)
        if step >= 2:
            case.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                                    "toegekend_bedrag": 300})
    return drive


def _complex(step: int) -> Callable[[_Driver], None]:
    def drive(case: _Driver) -> None:
        if step >= 1:
            case.complete("categorie_bevestigen", ACCEPT)
        if step >= 2:
            case.invite()
            case.complete("intakegesprek", INTAKE)
        if step >= 3:
            case.complete("begeleider_koppelen", {"begeleider_akkoord": True})
        if step >= 4:
            for name, key in list(ASSESSMENTS.items())[:2]:
                case.complete(name, {f"{key}_oordeel": "positief", f"{key}_toelichting": "In orde."})
    return drive


def _scenarios() -> list[tuple[dict[str, Any], Callable[[_Driver], None]]]:
    scenarios: list[tuple[dict[str, Any], Callable[[_Driver], None]]] = []
    for number in range(24):
        name, mailbox = _PEOPLE[number % len(_PEOPLE)]
        street = _STREETS[number % len(_STREETS)]
        data = _BASE | {"naam": name, "email": f"{mailbox}{number}@example.nl",
                        "wijk": _DISTRICTS[number % 3], "postcode": f"33{11 + number} AB"}
        kind, step = number % 3, number // 3 % 4
        if kind == 0:
            title, text = _GREEN[number % 2]
            data |= {"titel": title.format(s=street), "omschrijving": text.format(s=street),
                     "soort_initiatief": "groen", "reikwijdte": "straat", "disciplines": ["groen"]}
            scenarios.append((data, _green(min(step, 2))))
        elif kind == 1:
            title, text, amount = _WISHES[number % 3]
            data |= {"titel": title.format(s=street), "omschrijving": text, "soort_initiatief": "activiteit",
                     "reikwijdte": "buurt", "disciplines": ["evenementen"], "gevraagd_bedrag": amount}
            scenarios.append((data, _wish(min(step, 2))))
        else:
            title, text, amount = _COMPLEX[number % 3]
            data |= {"titel": title.format(s=street), "omschrijving": text, "soort_initiatief": "voorziening",
                     "soort_initiatiefnemer": "maatschappelijke_organisatie", "reikwijdte": "wijk",
                     "disciplines": ["groen", "vastgoed", "duurzaamheid"], "locatie_nodig": True,
                     "vergunning_nodig": True, "gevraagd_bedrag": amount}
            scenarios.append((data, _complex(step + 1)))
    return scenarios


def has_real_cases(loket: Loket) -> bool:
    """Whether the database holds initiatives that are not demo data."""
    with loket.reading() as session:
        return session.scalar(select(ProcessInstance.id).where(ProcessInstance.started_by != DEMO_ACTOR)
                              .limit(1)) is not None


def load_demo(loket: Loket, report: Callable[[str], None] | None = None) -> bool:
    """Load the demo set unless it is there already; returns whether cases were created.
    ``report`` receives the demo accounts (with the demo password) to show the user.

    A database that holds real initiatives gets nothing: demo accounts share a public password."""
    engine = loket.engine
    with loket.transaction() as session:
        real = session.scalar(select(ProcessInstance.id).where(ProcessInstance.started_by != DEMO_ACTOR).limit(1))
        if real is not None:
            if report is not None:
                report("Deze database bevat echte initiatieven: er worden geen demogegevens geladen.")
            return False
        load_organisation(session)
        accounts = load_staff(session)
    if report is not None:
        report(accounts.describe())
    with loket.reading() as session:
        already = session.scalar(select(ProcessInstance.id).where(ProcessInstance.started_by == DEMO_ACTOR).limit(1))
    if already is not None:
        return False
    for data, drive in _scenarios():
        try:
            info = engine.start(INITIATIVE_PROCESS, data, actor=DEMO_ACTOR)
            engine.run_due_jobs(worker_id="demo", limit=100)
            drive(_Driver(loket, info.id))
        except (EngineError, StopIteration) as exc:
            log.warning("demo case %s stopped early: %s", data["titel"], exc)
    engine.run_due_jobs(worker_id="demo", limit=1000)
    return True

