"""``loket bench chaos``: the load bench's users against ``loket serve`` while, several times, a
gunicorn site process and the job worker (``loket worker``) are killed with SIGKILL (gunicorn
and the supervisor start them again). Meanwhile short timers come due: a small bench-only model
(``bench_timer.bpmn``, a 4 s timer) is deployed beside the real bundle into the throw-away
database and started every second, so the worker fires timers while it is being killed.

Afterwards the bench waits until every due job is done (a killed worker's claimed jobs are taken
over when their lease expires) and runs the checks of :mod:`processes.bench_checks`. Requests cut
off by a kill count as errors of the load part; what the checks find is what matters."""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import Engine, read_bundle_files
from processes import MODELS_DIR
from processes.bench_checks import due_jobs_left, run_checks
from processes.bench_load import run_users
from processes.bench_site import BenchSite, server_url
from processes.bench_users import THINK, Shared
from processes.loket import build_loket

TIMER_MODEL = Path(__file__).with_name("bench_timer.bpmn")
TIMER_PROCESS = "bench_timer"
SITE, WORKER = "site-proces", "worker"
DRAIN_SECONDS = 150.0
"""How long the bench waits for due jobs after the run (a dead worker's lease is 60 s)."""


@dataclass
class Kill:
    what: str
    pid: int
    at_second: float
    before: frozenset[int]
    back_after_seconds: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"what": self.what, "pid": self.pid, "at_second": self.at_second,
                "back_after_seconds": self.back_after_seconds}


@dataclass
class Chaos:
    """The killing and the timer starts, run in the bench's main thread during the load."""

    site: BenchSite
    engine: Engine
    kills: int
    started: float = field(default_factory=time.monotonic)
    done: list[Kill] = field(default_factory=list)
    timer_instances: list[int] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(7))  # noqa: S311 - which process, not a secret

    def start_timer(self) -> None:
        self.timer_instances.append(self.engine.start(TIMER_PROCESS, {}, actor="bench").id)

    def _pids(self, what: str) -> frozenset[int]:
        found = self.site.web_workers() if what == SITE else [self.site.job_worker() or 0]
        return frozenset(pid for pid in found if pid)

    def kill(self, what: str) -> None:
        pids = self._pids(what)
        if not pids:
            return
        pid = self.rng.choice(sorted(pids))
        os.kill(pid, signal.SIGKILL)
        self.done.append(Kill(what, pid, round(time.monotonic() - self.started, 1), pids))

    def note_recoveries(self) -> None:
        """For each kill: how long until a new process of that kind ran and the count was whole again."""
        for kill in self.done:
            if kill.back_after_seconds is not None:
                continue
            now = self._pids(kill.what)
            if now - kill.before and len(now) >= len(kill.before):
                kill.back_after_seconds = round(time.monotonic() - self.started - kill.at_second, 1)

    def __call__(self, shared: Shared) -> None:
        seconds = shared.deadline - self.started
        moments = [seconds * (number + 1) / (self.kills + 1) for number in range(self.kills)]
        while time.monotonic() < shared.deadline:
            elapsed = time.monotonic() - self.started
            if moments and elapsed >= moments[0]:
                moments.pop(0)
                self.kill(SITE)
                self.kill(WORKER)
            if elapsed < seconds - 6:  # its timer comes due within the run
                self.start_timer()
            self.note_recoveries()
            time.sleep(1.0)


def deploy_timer_model(engine: Engine) -> None:
    """The real bundle plus the bench timer, as one bundle (the real processes keep their versions)."""
    files = read_bundle_files(MODELS_DIR)
    files[TIMER_MODEL.name] = TIMER_MODEL.read_bytes()
    engine.deploy_files(files, actor="bench", note="loket bench chaos: korte timer")


def drain(engine: Engine, site: BenchSite, chaos: Chaos) -> float:
    """Wait until no due job is left (or DRAIN_SECONDS passed); the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_SECONDS:
        chaos.note_recoveries()
        if due_jobs_left(engine) == 0:
            break
        time.sleep(1.0)
    return round(time.monotonic() - started, 1)


def run_chaos_bench(seconds: float = 60.0, users: int = 40, kills: int = 3, postgres_url: str | None = None,
                    workers: int | None = None, think: tuple[float, float] = THINK) -> dict[str, Any]:
    site = BenchSite(server_url(postgres_url))
    try:
        site.open(workers)
        engine = build_loket(site.database_url).engine
        deploy_timer_model(engine)
        chaos = Chaos(site, engine, kills)
        found, shared = run_users(site, users, seconds, think=think, meanwhile=chaos)
        waited = drain(engine, site, chaos)
        checks = run_checks(engine, list(shared.submissions), chaos.timer_instances, site.mail.snapshot())
        engine.db.dispose()
        return {"load": found, "kills": [kill.as_json() for kill in chaos.done], "drain_seconds": waited,
                "checks": [check.as_json() for check in checks], "ok": all(check.ok for check in checks)}
    finally:
        site.close()


def format_chaos_report(found: dict[str, Any]) -> str:
    load = found["load"]
    lines = [f"{load['users']} gebruikers, {load['seconds']} s: {load['requests']} verzoeken, "
             f"{load['confirmed_submissions']} bevestigde aanmeldingen, {load['errors']} fouten "
             "(verzoeken die een kill afbrak tellen mee)."]
    lines += [f"  fout: {sample}" for sample in load["error_samples"][:5]]
    for kill in found["kills"]:
        back = (f"terug na {kill['back_after_seconds']} s" if kill["back_after_seconds"] is not None
                else "niet terug gezien")
        lines.append(f"  na {kill['at_second']:>5} s: {kill['what']} {kill['pid']} gedood (SIGKILL), {back}")
    lines.append(f"Daarna {found['drain_seconds']} s gewacht tot alle jobs die aan de beurt waren klaar waren.")
    lines.append(f"{'controle':<14}{'bekeken':>9}{'fout':>6}")
    for check in found["checks"]:
        lines.append(f"{check['check']:<14}{check['checked']:>9}{check['failed']:>6}")
        lines += [f"    {sample}" for sample in check["samples"]]
    lines.append("Alles klopt." if found["ok"] else "NIET alles klopt.")
    return "\n".join(lines)
