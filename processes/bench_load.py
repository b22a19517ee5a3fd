"""``loket bench load``: N simulated users (:mod:`processes.bench_users`) against the site served
the production way on a fresh PostgreSQL database (:mod:`processes.bench_site`) for a bounded
time; figures per journey step (:mod:`processes.bench_stats`). Loopback only.

Users start spread over a ramp-up (a fifth of the run, at most 10 s), as people do not all
arrive in the same second; each then runs its journey until the time is up. Requests under way
at the deadline finish and are counted."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from processes.bench_site import BenchSite, server_url
from processes.bench_stats import Recorder, steady_figures, summary
from processes.bench_users import THINK, Shared, journey_of, run_user


def ramp_up_seconds(seconds: float) -> float:
    return min(10.0, seconds / 5)


WARM_UP_PATHS = ("/", "/aanmelden/stap/wie", "/inloggen", "/medewerker/inloggen", "/indeling")


def warm_up(site: BenchSite, rounds: int = 4) -> None:
    """A few untimed requests first, so every site process has loaded its templates and connections."""
    with httpx.Client(base_url=site.url, timeout=30.0) as client:
        for _ in range(rounds):
            for path in WARM_UP_PATHS:
                client.get(path)


def run_users(site: BenchSite, users: int, seconds: float, *, think: tuple[float, float] = THINK,
              meanwhile: Callable[[Shared], None] | None = None) -> tuple[dict[str, Any], Shared]:
    """Run ``users`` users for ``seconds`` against ``site`` with ``think`` seconds between pages;
    ``meanwhile`` runs in this thread during the run (the chaos bench kills processes there).
    The summary and the shared state."""
    warm_up(site)
    started = time.monotonic()
    shared = Shared(site.url, Recorder(), site.mail, deadline=started + seconds, think=think)
    ramp = ramp_up_seconds(seconds)
    settled = ramp + 2 * think[1]  # every user has started and the staff have logged in
    shared.recorder.steady_from = time.perf_counter() + settled
    threads = [threading.Thread(target=run_user, args=(shared, number, ramp * number / max(users, 1), number),
                                name=f"bench-{journey_of(number)}-{number}", daemon=True)
               for number in range(users)]
    for thread in threads:
        thread.start()
    if meanwhile is not None:
        meanwhile(shared)
    for thread in threads:
        thread.join(timeout=max(1.0, shared.deadline - time.monotonic()) + 90)
    elapsed = time.monotonic() - started
    found = summary(shared.recorder, elapsed, users)
    found["steady"] = steady_figures(shared.recorder, elapsed - settled) if elapsed > settled else None
    found["confirmed_submissions"] = len(shared.submissions)
    return found, shared


def site_figures(site: BenchSite) -> dict[str, Any]:
    """The site's processes and what its log says about them (gunicorn replacing a stuck process)."""
    log = site.output()
    return {"workers": len(site.web_workers()), "prepare_seconds": round(site.prepare_seconds, 1),
            "worker_timeouts": log.count("WORKER TIMEOUT"), "server_errors_logged": log.count("Traceback")}


def run_load_bench(users: int = 200, seconds: float = 60.0, postgres_url: str | None = None,
                   workers: int | None = None, think: tuple[float, float] = THINK) -> dict[str, Any]:
    """Open a fresh site, run the users, close the site (and drop its database)."""
    site = BenchSite(server_url(postgres_url))
    try:
        site.open(workers)
        load_before = os.getloadavg()[0]
        client_cpu = sum(os.times()[:2])
        found, _shared = run_users(site, users, seconds, think=think)
        found["site"] = site_figures(site)
        found["machine"] = {"cpus": os.cpu_count(), "load_average_1min_before": round(load_before, 2),
                            "bench_client_cpu_seconds": round(sum(os.times()[:2]) - client_cpu, 1)}
        return found
    finally:
        site.close()
