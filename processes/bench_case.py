"""``loket bench case``: the bundled models' three paths (complex, wijkwens, eenvoudig) run as
whole cases — start form through the final decision, every human task completed, every job the
path makes run by the worker's loop — by the persisted engine, against plain in-memory
SpiffWorkflow on the same parsed specs with the same answers (service tasks inline, answered by
the scenarios' stand-ins). Raw and engine cases alternate within one run; medians of the rounds.
Each path follows a scenario file of the bundle, so the data per task is what the process owner
wrote down (and what ``loket models test`` checks)."""

from __future__ import annotations

import gc
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

import processes.tables  # noqa: F401 - every table on the metadata
from engine import (
    BENCH_POSTGRES,
    Base,
    BenchRawCase,
    Mail,
    ProcessInstance,
    ScenarioStep,
    bench_fresh_postgres,
    bench_median_ms,
    frozen_clock,
    read_bundle_files,
)
from processes import MODELS_DIR
from processes.bench_case_size import stored_bytes
from processes.demo.organisation import load_organisation
from processes.handlers.stand_ins import stand_in
from processes.loket import Loket, build_loket
from processes.scenario_files import Scenario, scenarios_in
from processes.tables.organisation import DistrictBudget, Fund

PATHS = {"complex": "complex_toegekend_met_fonds", "wijkwens": "wijkwens_toegekend",
         "eenvoudig": "eenvoudig_toegekend"}
"""Path → the bundle's scenario it follows (each ends at its decision: granted)."""
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The scenarios' Monday morning; both sides run on this (frozen) clock."""
STAFF = "bench@gemeente.example"
WORKER = "bench-worker"
TARGETS = {"sqlite": 3.0, "postgresql": 4.0}
"""Whole case, engine / raw (issue 16)."""
BYTES_TARGET = 8 * 1024
"""Stored per finished case (issue 16)."""
ENOUGH = Decimal("1000000000")
"""Budgets and fund large enough that no round runs out of money (which would change the path)."""
WARM_UP = 2


class _Discard:
    """A mailer that drops the rendered mail (the worker still renders and completes the job)."""

    def send(self, mail: Mail) -> None:
        return None


@dataclass
class EngineCase:
    instance_id: int
    human_steps: int = 0
    jobs: int = 0


@dataclass
class PathFigures:
    raw: list[float] = field(default_factory=list)
    engine: list[float] = field(default_factory=list)
    last: EngineCase | None = None
    service_tasks: int = 0


def bundle_scenarios() -> dict[str, Scenario]:
    found, broken = scenarios_in(read_bundle_files(MODELS_DIR))
    by_name = {scenario.file.rsplit("/", 1)[-1].removesuffix(".json"): scenario for scenario in found}
    missing = [name for name in PATHS.values() if name not in by_name]
    if missing or any(name + ".json" in broken for name in PATHS.values()):
        raise LookupError(f"scenario(s) missing or broken in the bundle: {missing or broken}")
    return {path: by_name[name] for path, name in PATHS.items()}


def prepare(url: str) -> Loket:
    """A fresh database: every table, the bundled models, the demo organisation with room in
    every budget."""
    loket = build_loket(url, mailer=_Discard())
    Base.metadata.create_all(loket.engine.db.engine)
    loket.engine.deploy_directory(MODELS_DIR, actor="bench")
    with loket.transaction() as session:
        load_organisation(session, year=START.year)
        session.execute(update(DistrictBudget).values(amount=ENOUGH))
        session.execute(update(Fund).values(total=ENOUGH))
    return loket


def run_engine_case(loket: Loket, scenario: Scenario) -> EngineCase:
    """One case through the engine, as users and the worker would: start, drain the jobs, then
    per step find the open task (the task list's query), complete it and drain the jobs."""
    engine = loket.engine
    initiator = str(scenario.start.get("email") or "bench@example.nl")
    case = EngineCase(engine.start(scenario.process, dict(scenario.start), actor=initiator).id)
    case.jobs += engine.run_due_jobs(WORKER)
    for step in scenario.steps:
        _take(loket, case, step, initiator)
        case.jobs += engine.run_due_jobs(WORKER)
    return case


def _take(loket: Loket, case: EngineCase, step: ScenarioStep, initiator: str) -> None:
    engine = loket.engine
    if step.task:
        task_id = next(task.task_id for task in engine.open_tasks(instance_id=case.instance_id)
                       if task.task_name == step.task)
        engine.complete_task(case.instance_id, task_id, dict(step.data), actor=STAFF)
        case.human_steps += 1
    elif step.message:
        engine.deliver_message(case.instance_id, step.message, dict(step.data), actor=initiator)
    else:
        raise ValueError("the case bench takes tasks and messages only (no time passing)")


def _raw_cases(loket: Loket, scenarios: dict[str, Scenario]) -> dict[str, BenchRawCase]:
    """Raw runners on the very specs the engine deserialized for its cases."""
    engine = loket.engine
    found = {}
    for path, scenario in scenarios.items():
        with engine.db.read_connection() as conn:
            version_id = conn.scalar(select(ProcessInstance.model_version_id)
                                     .where(ProcessInstance.process_id == scenario.process).limit(1))
            specs = engine.specs(conn, int(version_id or 0))

        def answer(handler: str, params: dict[str, Any], data: dict[str, Any],
                   overrides: dict[str, dict[str, Any]] = scenario.services) -> dict[str, Any]:
            return {**stand_in(handler, params, data), **overrides.get(handler, {})}

        found[path] = BenchRawCase(specs, answer)
    return found


def bench_database(url: str, rounds: int) -> dict[str, dict[str, Any]]:
    loket = prepare(url)
    scenarios = bundle_scenarios()
    figures = {path: PathFigures() for path in scenarios}
    try:
        for scenario in scenarios.values():
            for _ in range(WARM_UP):
                run_engine_case(loket, scenario)
        raws = _raw_cases(loket, scenarios)
        for number in range(WARM_UP + rounds):
            for path, scenario in scenarios.items():
                _one_round(loket, scenario, raws[path], figures[path], counted=number >= WARM_UP)
        return {path: _path_report(loket, scenarios[path], found) for path, found in figures.items()}
    finally:
        loket.engine.db.dispose()


def _one_round(loket: Loket, scenario: Scenario, raw: BenchRawCase, figures: PathFigures, *, counted: bool) -> None:
    steps = scenario.steps
    started = time.perf_counter()
    outcome = raw.run(dict(scenario.start), steps)
    raw_time = time.perf_counter() - started
    if not outcome.completed:
        raise RuntimeError(f"the raw case of {scenario.name!r} did not finish")
    started = time.perf_counter()
    case = run_engine_case(loket, scenario)
    engine_time = time.perf_counter() - started
    if counted:
        figures.raw.append(raw_time)
        figures.engine.append(engine_time)
    figures.last, figures.service_tasks = case, outcome.service_tasks


def _path_report(loket: Loket, scenario: Scenario, figures: PathFigures) -> dict[str, Any]:
    case = figures.last
    assert case is not None
    info = loket.engine.instance(case.instance_id)
    with loket.reading() as session:
        sizes = stored_bytes(session, case.instance_id)
    raw_ms, engine_ms = bench_median_ms(figures.raw), bench_median_ms(figures.engine)
    return {
        "scenario": scenario.file,
        "raw_ms": raw_ms,
        "engine_ms": engine_ms,
        "ratio": round(engine_ms / raw_ms, 2) if raw_ms else None,
        "human_steps": case.human_steps,
        "steps": len(scenario.steps),
        "service_tasks": figures.service_tasks,
        "jobs": case.jobs,
        "state": info.state,
        "decision": _decision(info.data),
        "stored_bytes": sizes["total"],
        "stored_bytes_by_table": {table: size for table, size in sizes.items() if table != "total" and size},
    }


def _decision(data: dict[str, Any]) -> str | None:
    for key in ("fonds_besluit", "besluit", "regiegroep_besluit", "groen_besluit", "resultaat"):
        if data.get(key):
            return str(data[key])
    return None


def with_verdicts(name: str, found: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    target = TARGETS[name]
    for figures in found.values():
        figures["ratio_target"] = target
        figures["ratio_met"] = figures["ratio"] is not None and figures["ratio"] <= target
        figures["bytes_target"] = BYTES_TARGET
        figures["bytes_met"] = figures["stored_bytes"] <= BYTES_TARGET
    return found


def run_case_bench(rounds: int = 20, postgres_url: str | None = None) -> dict[str, Any]:
    """``postgres_url``: a server to create a fresh database on; ``"none"`` skips PostgreSQL."""
    gc.collect()
    report: dict[str, Any] = {}
    with frozen_clock(START):
        with tempfile.TemporaryDirectory() as folder:
            report["sqlite"] = with_verdicts("sqlite", bench_database(f"sqlite:///{folder}/bench.sqlite3", rounds))
        if postgres_url != "none":
            server = postgres_url or os.environ.get("LOKET_TEST_POSTGRES_URL", BENCH_POSTGRES)
            url, drop = bench_fresh_postgres(server)
            try:
                report["postgresql"] = with_verdicts("postgresql", bench_database(url, rounds))
            finally:
                drop()
    return report


def format_case_report(report: dict[str, Any]) -> str:
    lines = ["database    path        raw ms  engine ms  ratio        steps  jobs  bytes/case"]
    for database, paths in report.items():
        for path, r in paths.items():
            ratio = f"{r['ratio']:.2f}x {'ok' if r['ratio_met'] else 'NIET'}"
            size = f"{r['stored_bytes']} {'ok' if r['bytes_met'] else 'NIET'}"
            lines.append(f"{database:<11} {path:<10} {r['raw_ms']:>7.2f} {r['engine_ms']:>10.2f}  {ratio:<12}"
                         f" {r['human_steps']:>5} {r['jobs']:>5}  {size}")
    lines.append("Doelen (issue 16): hele zaak engine/ruw <= 3x (SQLite), <= 4x (PostgreSQL); "
                 "<= 8 KB opgeslagen per afgeronde zaak.")
    lines.append("Ruw: SpiffWorkflow in het geheugen op dezelfde specs en antwoorden, diensttaken direct "
                 "(stand-ins); om en om met de engine gemeten, mediaan van de rondes.")
    lines.append("Bytes: alle rijen van de zaak (process_instance, open_task(_group), audit_event, job, "
                 "case_fact, step_fact, begeleider- en budgetreservering).")
    return "\n".join(lines)
