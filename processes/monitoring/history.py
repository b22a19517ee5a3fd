"""A pilot's history for the demo and the dashboard bench (``loket demo --cases N``): initiatives
spread over the past months across every path — eenvoudig, wijkwens, complex with and without the
fund, categories changed at intake, questions to initiators (answered or not), surveys, budgets
held — with each step taking working days around its norm (weekends and Dutch holidays skipped),
the youngest still open at a step, some of them past their norm.

Rows go straight into the tables in batches (an instance row, its audit trail as the engine
writes it, its monitoring facts as its steps would have kept them, open tasks with their groups,
money held), so 100,000 initiatives take minutes. A
generated initiative carries the workflow state of a demo initiative of the same category (when
there is one), so its case file opens; its case data is its own."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, inspect, select, text

from engine import (
    AuditEvent,
    ModelVersion,
    OpenTask,
    OpenTaskGroup,
    ProcessInstance,
    add_running_counts,
    is_working_day,
)
from processes import clock
from processes.demo.organisation import DISTRICT_BUDGETS, FUND_TOTAL, load_organisation
from processes.facts.rules import facts_of
from processes.loket import Loket
from processes.monitoring.tally import fold
from processes.tables.facts import CaseFact, StepFact
from processes.tables.organisation import BudgetReservation
from processes.tables.tally import DELTA

ACTOR = "demo"
BATCH = 2000
STEPS = {
    "eenvoudig": [("eenvoudig", "groen_beoordelen", 10, "team-groen")],
    "wijkwens": [("wijkwens", "regiegroep_beoordelen", 30, "regiegroep-{wijk}")],
    "complex": [("complex", "intakegesprek", 10, "initiatieventeam"),
                ("complex", "begeleider_koppelen", 5, "initiatieventeam"),
                ("complex", "toets_regels", 15, "team-vergunningen"), ("complex", "toets_locatie", 15, "team-vastgoed"),
                ("complex", "toets_financien", 15, "team-subsidies"),
                ("complex", "toets_participatie", 15, "team-participatie"),
                ("complex", "advies_besluit", 10, "initiatieventeam")],
}
CONFIRM = ("initiatief", "categorie_bevestigen", 5, "initiatieventeam")
FUND = ("complex", "fonds_beoordelen", 20, "fondsbeheer")
RULES = {"eenvoudig": ("R1", "R2", "R3"), "wijkwens": ("R5", "R6", "R9"), "complex": ("R7", "R10", "R11")}
COMMENTS = ("Snel geholpen, dank!", "Duidelijke uitleg over de stappen.", "Het duurde lang voor ik iets hoorde.",
            "Fijn dat ik één contactpersoon had.", "Het formulier was lastig.", "Top, de buurt is er blij mee.")
DISTRICTS = ("oost", "west", "centrum")
KINDS = (("inwoner", 70), ("maatschappelijke_organisatie", 18), ("bedrijf", 8), ("overheid", 4))
CHANNELS = (("online", 75), ("telefoon", 12), ("balie", 8), ("email", 5))
CATEGORY_WEIGHTS = (("eenvoudig", 45), ("wijkwens", 35), ("complex", 20))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in weighted], [weight for _, weight in weighted])[0]


def after_working_days(start: datetime, days: int, hours: float) -> datetime:
    """``days`` working days after ``start``, then ``hours`` later (on the same day)."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        days -= is_working_day(moment.date())
    return moment + timedelta(hours=hours)


@dataclass
class Generated:
    instances: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    money: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    held: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    """Money held so far per pot (district code or ``fonds``) and year: none beyond the budget."""

    def hold(self, case: _Case, pot: str, amount: Decimal) -> None:
        key = (case.data["wijk"] if pot == "district" else "fonds", case.created.year)
        limit = FUND_TOTAL if pot == "fund" else DISTRICT_BUDGETS.get(key[0], Decimal(0))
        if self.held.get(key, Decimal(0)) + amount > limit:
            return
        self.held[key] = self.held.get(key, Decimal(0)) + amount
        self.money.append({"case_ref": case.ref, "pot": pot, "year": case.created.year, "amount": amount,
                           "district_code": case.data["wijk"] if pot == "district" else None,
                           "created_at": case.moment, "released_at": None})


@dataclass(frozen=True)
class Template:
    version_id: int
    states: dict[str, bytes]


class _Case:
    """One generated initiative: walks its steps until the outcome or until now."""

    def __init__(self, number: int, rng: random.Random, now: datetime, created: datetime, out: Generated,
                 template: Template) -> None:
        self.number, self.rng, self.now, self.out = number, rng, now, out
        self.ref = f"DEMO-{number:07d}"
        self.category = _pick(rng, CATEGORY_WEIGHTS)
        suggested = self.category if rng.random() > 0.12 else rng.choice(
            [c for c, _ in CATEGORY_WEIGHTS if c != self.category])
        self.data: dict[str, Any] = {
            "titel": f"Initiatief {number}", "wijk": rng.choice(DISTRICTS), "soort_initiatiefnemer": _pick(rng, KINDS),
            "kanaal": _pick(rng, CHANNELS), "taal": "nl", "categorie_voorstel": suggested,
            "categorie_regel": rng.choice(RULES[suggested])}
        self.created, self.moment, self.state = created, created, "running"
        self.template = template

    def _late_factor(self) -> float:
        return self.rng.lognormvariate(-0.35, 0.55)

    def step(self, process: str, element: str, norm: int, team: str, **changes: Any) -> bool:
        """Complete the step (True) or leave it open now (False)."""
        days = max(0, round(norm * self._late_factor()))
        done = after_working_days(self.moment, days, self.rng.uniform(0.5, 6))
        if done > self.now:
            due = after_working_days(self.moment, norm, 0)
            task_id = f"{self.number:012d}-{element[:23]}"
            group = team.format(wijk=self.data["wijk"])
            self.out.tasks.append({"task_id": task_id, "instance_id": self.number, "case_ref": self.ref,
                                   "process_id": process, "task_name": element, "title": element, "form_id": element,
                                   "candidate_group": group, "assignee": None, "due_at": due,
                                   "overdue": due < self.now, "created_at": self.moment})
            self.out.groups.append({"task_id": task_id, "group_code": group, "due_at": due,
                                    "created_at": self.moment})
            return False
        self.out.events.append({"instance_id": self.number, "at": done, "actor": ACTOR, "kind": "task_completed",
                                "task_id": None, "task_name": element, "detail": {
                                    "element": element, "process": process,
                                    "seconds": int((done - self.moment).total_seconds()),
                                    "changes": {key: {"old": None, "new": value} for key, value in changes.items()}}})
        self.moment = done
        return True

    def _ask(self) -> bool:
        """The intake asks for more information; False when the initiative ends or waits."""
        if not self.step(*CONFIRM, aanvulling_nodig=True):
            return False
        if self.rng.random() < 0.1:  # no answer in 20 working days: withdrawn
            end = after_working_days(self.moment, 20, 1)
            if end > self.now:
                return False
            self.data.update(aanvulling_ingetrokken=True, uitkomst="ingetrokken")
            self.state, self.moment = "completed", end
            return False
        answered = after_working_days(self.moment, self.rng.randint(0, 12), self.rng.uniform(1, 8))
        if answered > self.now:
            return False
        self.out.events.append({"instance_id": self.number, "at": answered, "actor": "initiatiefnemer",
                                "kind": "message", "task_id": None, "task_name": None,
                                "detail": {"message": "aanvulling_ontvangen", "payload": {}}})
        self.moment = answered
        return True

    def walk(self) -> None:
        if self.rng.random() < 0.15 and not self._ask():
            return
        if not self.step(*CONFIRM, aanvulling_nodig=False, categorie_akkoord=self.category == self.data[
                "categorie_voorstel"]):
            return
        self.data.update(categorie=self.category, categorie_overschreven=self.category != self.data[
            "categorie_voorstel"])
        outcome = "toegekend" if self.rng.random() < 0.75 else "afgewezen"
        steps = STEPS[self.category]
        for index, (process, element, norm, team) in enumerate(steps):
            last = index == len(steps) - 1
            if not self.step(process, element, norm, team, **({"uitkomst": outcome} if last else {})):
                if self.category == "wijkwens":  # the regiegroep decides on money held for it
                    self.out.hold(self, "district", Decimal(self.rng.randrange(150, 900)))
                return
        self.data["uitkomst"] = outcome
        self._money(outcome)
        self.state = "completed"
        if self.rng.random() < 0.6:
            self.data["tevredenheid_score"] = self.rng.choices((1, 2, 3, 4, 5), (4, 8, 18, 40, 30))[0]
            if self.rng.random() < 0.3:
                self.data["tevredenheid_opmerking"] = self.rng.choice(COMMENTS)

    def _money(self, outcome: str) -> None:
        if outcome != "toegekend" or self.category == "eenvoudig":
            return
        pot = "district" if self.category == "wijkwens" else "fund"
        if pot == "fund":
            if self.rng.random() > 0.3 or not self.step(*FUND):
                return
        self.out.hold(self, pot, Decimal(self.rng.randrange(150, 900) if pot == "district"
                                         else self.rng.randrange(2000, 20000)))

    def facts(self, events: list[dict[str, Any]]) -> None:
        """Its facts (the monitoring's rows) from its own audit events, as a step keeps them."""
        case, steps = facts_of(self.number, self.ref, self.created, max(self.moment, self.created), self.state,
                               self.data, events)
        self.out.facts.append(case)
        self.out.steps.extend(steps)

    def row(self) -> dict[str, Any]:
        return {"id": self.number, "case_ref": self.ref, "model_version_id": self.template.version_id,
                "process_id": "initiatief", "state": self.state, "has_incident": False, "title": self.data["titel"],
                "initiator": f"demo{self.number}@example.org", "case_data": self.data,
                "workflow_state": self.template.states.get(self.category, b""), "row_version": 1,
                "created_at": self.created, "updated_at": max(self.moment, self.created), "started_by": ACTOR}


def _created(rng: random.Random, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=rng.randrange(9 * 60))


def _template(loket: Loket) -> Template:
    with loket.reading() as session:
        version = session.scalar(select(ModelVersion.id).where(ModelVersion.process_id == "initiatief")
                                 .order_by(ModelVersion.version_no.desc()).limit(1))
        if version is None:
            raise ValueError("deploy the models first")
        states: dict[str, bytes] = {}
        for category, state in session.execute(
                select(ProcessInstance.case_data["categorie"].as_string(), ProcessInstance.workflow_state)
                .where(ProcessInstance.state == "completed").order_by(ProcessInstance.id).limit(200)):
            if category and category not in states:
                states[str(category)] = state
    return Template(version, states)


def _running(instances: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """What the running ones among ``instances`` add to the engine's running counters: they are in
    the initiative process and in the process of their category."""
    found: Counter[tuple[int, str]] = Counter()
    for row in instances:
        if row["state"] == "running":
            found[(row["model_version_id"], row["process_id"])] += 1
            if row["case_data"].get("categorie"):
                found[(row["model_version_id"], str(row["case_data"]["categorie"]))] += 1
    return dict(found)


def _flush(loket: Loket, out: Generated, *, tallied: bool) -> None:
    with loket.transaction() as session:
        for model, rows in ((ProcessInstance, out.instances), (AuditEvent, out.events), (OpenTask, out.tasks),
                            (OpenTaskGroup, out.groups), (BudgetReservation, out.money), (CaseFact, out.facts),
                            (StepFact, out.steps)):
            if rows:
                session.execute(insert(model), rows)
        add_running_counts(session.connection(), _running(out.instances))
        if tallied:  # the deltas the triggers appended for the batch (alone here: no one waits)
            fold(session)
    for rows in (out.instances, out.events, out.tasks, out.groups, out.money, out.facts, out.steps):
        rows.clear()


def generate(loket: Loket, cases: int, *, months: int = 18, seed: int = 15,
             progress: Callable[[int], None] | None = None) -> int:
    """Adds ``cases`` initiatives created over the past ``months``; returns the first new id."""
    now = clock.now()
    template = _template(loket)
    first_day = (now - timedelta(days=30 * months)).date()
    with loket.transaction() as session:
        first_id = int(session.scalar(select(func.coalesce(func.max(ProcessInstance.id), 0))) or 0) + 1
        for year in range(first_day.year, now.year + 1):
            load_organisation(session, year)
    rng = random.Random(seed)
    out = Generated()
    with loket.engine.db.engine.connect() as conn:  # a database from before migration 0016 has no tallies
        tallied = inspect(conn).has_table(DELTA)
    for number in range(first_id, first_id + cases):
        case = _Case(number, rng, now, _created(rng, first_day, 30 * months), out, template)
        first_event = len(out.events)
        case.walk()
        out.instances.append(case.row())
        case.facts(out.events[first_event:])
        if len(out.instances) >= BATCH:
            _flush(loket, out, tallied=tallied)
            if progress is not None:
                progress(number - first_id + 1)
    _flush(loket, out, tallied=tallied)
    if not loket.engine.db.is_sqlite:
        with loket.engine.db.engine.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('process_instance', 'id'), "
                              "(SELECT max(id) FROM process_instance))"))
        with loket.engine.db.engine.connect() as conn:  # as autovacuum would: statistics and visibility
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return first_id
