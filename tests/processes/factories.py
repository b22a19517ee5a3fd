"""Factories for the loket process tests: an engine with the real models, forms, handlers and
organisation data, and a small driver that walks one initiative through its tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

import processes.handlers
from engine import calendar, clock
from engine.handlers import HandlerContext
from engine.mail import Mail
from engine.service import Engine, InstanceInfo
from engine.tables import OpenTask
from processes.demo.organisation import load_organisation
from processes.loket import bundle_catalog_for
from processes.tables.organisation import DistrictBudget, Fund

# A Monday without public holidays nearby, 09:00 UTC.
START = datetime(2025, 3, 3, 9, 0)
INITIATOR = "initiatiefnemer@example.nl"
STAFF = "medewerker@gemeente.example"
INVITATION = {"uitnodiging_datum": "2025-03-07", "uitnodiging_tijd": "14:00",
              "uitnodiging_plek": "Stadskantoor, Spuiboulevard 300"}


@dataclass
class CollectingMailer:
    """Keeps every mail the worker sends (after rendering the template)."""

    sent: list[Mail] = field(default_factory=list)

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


def intake_data(**overrides: Any) -> dict[str, Any]:
    """A complete intake form, as ``forms.clean`` gives it; a simple green initiative by default."""
    data: dict[str, Any] = {
        "soort_initiatiefnemer": "inwoner",
        "naam": "Jan Jansen",
        "email": INITIATOR,
        "titel": "Geveltuin Lindenstraat",
        "omschrijving": "Een geveltuin langs de gevels van de Lindenstraat.",
        "soort_initiatief": "groen",
        "reikwijdte": "straat",
        "disciplines": ["groen"],
        "wijk": "oost",
        "openbare_ruimte": True,
        "locatie_nodig": False,
        "vergunning_nodig": False,
        "gevraagd_bedrag": 0,
        "publicatie_toestemming": True,
        "kanaal": "online",
        "taal": "nl",
    }
    data.update(overrides)
    return data


def wijkwens_data(**overrides: Any) -> dict[str, Any]:
    values = {"titel": "Buurtfeest Oosterpark", "omschrijving": "Een middag met spelletjes voor de kinderen.",
              "soort_initiatief": "activiteit", "reikwijdte": "buurt", "disciplines": ["evenementen"],
              "gevraagd_bedrag": 750}
    values.update(overrides)
    return intake_data(**values)


def complex_data(**overrides: Any) -> dict[str, Any]:
    values = {"soort_initiatiefnemer": "maatschappelijke_organisatie", "titel": "Voedselbos Weizigt",
              "omschrijving": "Een voedselbos in het park, met een buitenlokaal voor scholen.",
              "soort_initiatief": "voorziening", "reikwijdte": "wijk",
              "disciplines": ["groen", "vastgoed", "duurzaamheid"], "wijk": "west", "locatie_nodig": True,
              "vergunning_nodig": True, "gevraagd_bedrag": 15000}
    values.update(overrides)
    return intake_data(**values)


def create_loket_engine(database_url: str, *, year: int | None = None) -> tuple[Engine, CollectingMailer]:
    """An engine with schema, demo organisation data and the real models from bpmn_models/."""
    clock.set_time(START)
    mailer = CollectingMailer()
    engine = Engine(
        database_url,
        handlers=processes.handlers.handlers,
        bundle_catalog=bundle_catalog_for(processes.MODELS_DIR),
        mail_templates=processes.TEXTS_DIR,
        mailer=mailer,
    )
    engine.create_schema()
    with engine.db.transaction() as session:
        load_organisation(session, year=year or START.year)
    engine.deploy_directory(processes.MODELS_DIR)
    return engine, mailer


def set_district_budget(engine: Engine, district: str, amount: int, reserved: int = 0) -> None:
    with engine.db.transaction() as session:
        budget = session.scalar(
            select(DistrictBudget).where(DistrictBudget.district_code == district, DistrictBudget.year == START.year)
        )
        assert budget is not None
        budget.amount, budget.reserved = Decimal(amount), Decimal(reserved)


def set_fund(engine: Engine, total: int, granted: int = 0) -> None:
    with engine.db.transaction() as session:
        fund = session.scalar(select(Fund).where(Fund.year == START.year))
        assert fund is not None
        fund.total, fund.granted = Decimal(total), Decimal(granted)


def handler_context(session: Any, case_ref: str = "INI-2025-000001", **data: Any) -> HandlerContext:
    return HandlerContext(session=session, instance_id=1, case_ref=case_ref, data=dict(data),
                          now=clock.now())


@dataclass
class Case:
    """Drives one initiative: complete tasks by name, run jobs, move the clock."""

    engine: Engine
    info: InstanceInfo

    @classmethod
    def start(cls, engine: Engine, data: dict[str, Any] | None = None) -> Case:
        info = engine.start("initiatief", data or intake_data(), actor=INITIATOR)
        case = cls(engine, info)
        case.run_jobs()
        return case

    @property
    def id(self) -> int:
        return self.info.id

    def refresh(self) -> InstanceInfo:
        self.info = self.engine.instance(self.id)
        return self.info

    @property
    def data(self) -> dict[str, Any]:
        """The case data as the latest finished step knows it, also inside a call activity.

        (``InstanceInfo.data`` is read from the top-level process only; see the report.)"""
        info = self.refresh()
        if info.state != "running":
            return info.data
        workflow = self.engine.load_workflow(self.id)
        done = workflow.get_tasks(state=TaskState.COMPLETED)
        latest = max(done, key=lambda task: task.last_state_change)
        return dict(latest.data)

    @property
    def state(self) -> str:
        return self.refresh().state

    @property
    def status(self) -> str | None:
        return self.refresh().status_text

    def tasks(self) -> list[OpenTask]:
        return self.engine.open_tasks(instance_id=self.id)

    def task_names(self) -> list[str]:
        return sorted(t.task_name for t in self.tasks())

    def task(self, name: str) -> OpenTask:
        found = [t for t in self.tasks() if t.task_name == name]
        assert found, f"no open task {name!r}; open: {self.task_names()}"
        return found[0]

    def complete(self, name: str, data: dict[str, Any], actor: str = STAFF) -> InstanceInfo:
        task = self.task(name)
        self.info = self.engine.complete_task(self.id, task.task_id, data, actor=actor)
        self.run_jobs()
        return self.info

    def invite(self, answer: dict[str, Any] | None = None) -> InstanceInfo:
        """The intake team proposes a moment for the meeting; the initiator answers (accepts)."""
        self.complete("uitnodigen", INVITATION)
        self.info = self.engine.deliver_message(self.id, "uitnodiging_beantwoord",
                                                answer or {"uitnodiging_antwoord": "akkoord"}, actor=INITIATOR)
        self.run_jobs()
        return self.info

    def answer(self, payload: dict[str, Any] | None = None) -> InstanceInfo:
        self.info = self.engine.deliver_message(
            self.id, "aanvulling_ontvangen", payload or {"antwoord": "Hierbij de tekening."}, actor=INITIATOR
        )
        self.run_jobs()
        return self.info

    def run_jobs(self) -> int:
        return self.engine.run_due_jobs()

    def advance(self, *, days: int = 0, working_days: int = 0, hours: int = 0) -> None:
        """Move the clock and run whatever became due (timers, escalations, mail)."""
        now = clock.now()
        target = calendar.add_working_days(now, working_days) if working_days else now
        clock.set_time(target + timedelta(days=days, hours=hours))
        self.run_jobs()

    def mails(self) -> list[dict[str, Any]]:
        """The outbox of this case as payloads (template, to, context, lang)."""
        return [dict(job.payload) for job in self.engine.outbox(self.id)]

    def templates(self) -> list[str]:
        return [str(mail["template"]) for mail in self.mails()]
