"""``loket bench pages``: the server time of every page a user can reach, one user at a time, on
the demo database: the public pages anonymously, Mijn initiatieven as a demo initiator, and
every staff page as one demo account per role (pages with a case or a task in their address get
a case or task that role works on). Measured through the real application with a test client,
so the figure is the server's time for a request: routing, session, queries and the template.

Target (issue 16): every page ≤ 8 ms p50 single-user."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from processes import MODELS_DIR
from processes.bench_objects import initiator_login, task_objects
from processes.demo.cases import load_demo
from processes.demo.staff import ACCOUNTS, demo_password
from processes.housekeeping import fold_tallies
from processes.schema import upgrade_database
from web import create_app, loket_of

TARGET_MS = 8.0
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_ARGUMENT_VALUES = ("case_ref", "task_id")
"""The only address parts the bench fills in; pages needing others (a version, a file) are listed as skipped."""


@dataclass(frozen=True)
class PageTime:
    who: str
    path: str
    status: int
    p50_ms: float
    p95_ms: float

    @property
    def over(self) -> bool:
        return self.p50_ms > TARGET_MS

    def as_json(self) -> dict[str, Any]:
        return {"who": self.who, "path": self.path, "status": self.status, "p50_ms": self.p50_ms,
                "p95_ms": self.p95_ms, "over_target": self.over}


def prepared_app(database_url: str | None = None) -> Flask:
    """The application on a fresh demo database (a temporary SQLite file unless a URL is given)."""
    url = database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='loket-pages-')) / 'pages.db'}"
    upgrade_database(url)
    mail = tempfile.mkdtemp(prefix="loket-pages-mail-")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-pages", "RATELIMIT_ENABLED": False,
                      "PUBLIC_URL": "http://bench.invalid", "MAIL_FOLDER": mail})
    loket = loket_of(app)
    loket.engine.deploy_directory(MODELS_DIR, actor="bench")
    load_demo(loket)
    # As the site is 15 s later: the worker has folded the demo's tally deltas (the monitor sums
    # the deltas not yet folded; a bench without a worker would keep all of them for ever).
    fold_tallies(loket)
    return app


def _staff_client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    found = _TOKEN.search(client.get("/medewerker/inloggen").get_data(as_text=True))
    response = client.post("/medewerker/inloggen", data={
        "csrf_token": found.group(1) if found else "", "email": email, "wachtwoord": demo_password()})
    if response.status_code != 302:
        raise RuntimeError(f"inloggen als {email} lukte niet ({response.status_code})")
    return client


def _initiator_client(app: Flask) -> tuple[FlaskClient, str | None]:
    """A client logged in as the initiator of the first demo case, and that case's reference."""
    token, ref = initiator_login(loket_of(app))
    client = app.test_client()
    if token is not None:
        found = _TOKEN.search(client.get(f"/inloggen/{token}").get_data(as_text=True))
        client.post(f"/inloggen/{token}", data={"csrf_token": found.group(1) if found else ""})
    return client, ref


def _one_per_role() -> list[tuple[str, str]]:
    """(role, e-mail) of the first demo account of each role."""
    seen: dict[str, str] = {}
    for _name, mailbox, roles, _teams in ACCOUNTS:
        for role in roles:
            seen.setdefault(role, f"{mailbox}@gemeente.example")
    return sorted(seen.items())


def _objects_for(app: Flask, client: FlaskClient) -> dict[str, str]:
    """A task (and its case) from this user's own list or team queue, else any running case."""
    page = client.get("/medewerker/taken").get_data(as_text=True) + client.get(
        "/medewerker/werkvoorraad").get_data(as_text=True)
    found = re.search(r'href="/medewerker/taken/([0-9a-f-]{36})"', page)
    return task_objects(loket_of(app), found.group(1) if found else None)


def _paths(app: Flask, prefix: str, allowed: frozenset[str] | None, objects: dict[str, str]) -> Iterator[str]:
    """Every GET address under ``prefix`` this user may open, with the objects filled in."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or not rule.rule.startswith(prefix) or rule.endpoint.endswith("static"):
            continue
        roles = getattr(app.view_functions[rule.endpoint], "staff_roles", None)
        if allowed is not None and (roles is None or not roles & allowed):
            continue
        if not all(argument in objects for argument in rule.arguments):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{argument}>", objects[argument], path)
        if "uitloggen" not in path:
            yield path


def _time(client: FlaskClient, who: str, path: str, rounds: int) -> PageTime:
    status = client.get(path).status_code
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(path)
        samples.append(time.perf_counter() - started)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return PageTime(who, path, status, round(statistics.median(samples) * 1000, 2), round(p95 * 1000, 2))


def public_paths(app: Flask) -> list[str]:
    skip = ("/medewerker", "/static", "/taal/", "/uitloggen")
    return [path for path in _paths(app, "/", None, {}) if not path.startswith(skip) and "<" not in path]


def run_pages_bench(app: Flask, rounds: int = 20) -> list[PageTime]:
    """Every page's p50/p95 per user kind; a page that does not answer 200 is listed with its status."""
    found: list[PageTime] = []
    anonymous = app.test_client()
    found += [_time(anonymous, "anoniem", path, rounds) for path in public_paths(app)]
    initiator, ref = _initiator_client(app)
    mine = ["/mijn-initiatieven"] + ([f"/mijn-initiatieven/{ref}"] if ref else [])
    found += [_time(initiator, "initiatiefnemer", path, rounds) for path in mine]
    for role, email in _one_per_role():
        client = _staff_client(app, email)
        objects = _objects_for(app, client)
        found += [_time(client, role, path, rounds)
                  for path in _paths(app, "/medewerker", frozenset({role}), objects)]
    return found


def format_pages_report(found: list[PageTime]) -> str:
    lines = [f"{'wie':<16} {'pagina':<58} {'status':>6} {'p50 ms':>8} {'p95 ms':>8}"]
    for page in found:
        mark = "  boven 8 ms" if page.over and page.status == 200 else ""
        lines.append(f"{page.who:<16} {page.path[:58]:<58} {page.status:>6} "
                     f"{page.p50_ms:>8.2f} {page.p95_ms:>8.2f}{mark}")
    answered = [page for page in found if page.status == 200]
    over = [page for page in answered if page.over]
    lines.append(f"{len(answered)} pagina's gemeten; {len(over)} boven {TARGET_MS:g} ms (p50); "
                 f"{len(found) - len(answered)} gaven geen 200.")
    return "\n".join(lines)
