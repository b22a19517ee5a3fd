"""``loket bench scale``: every staff page timed at several sizes (1,000 and 100,000 initiatives by
default) on PostgreSQL, and each page's time at the largest size divided by its time at the
smallest. Target: at most 1.3× and at most 50 ms (median, one user) at 100,000.

Each size gets a fresh database. The demo organisation, its staff and its two dozen initiatives
are made through the product's own services (the real diagrams, the engine, the intake), four
8 MB files are attached to one of them, and then copies of those initiatives — their instance
row with its workflow state, open tasks with their groups, and audit trail, each with another
reference, initiator, title and date — are bulk-copied in (``COPY``) until the size is reached.
As in a pilot that ran for years at full load, about as many initiatives wait at a task as in
the demo set, so every team queue grows with the size. Pages are fetched through the web
application by a caller-supplied :class:`Pages` (the web layer makes it), logged in as the
staff member whose page it is."""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any, Protocol

import psycopg
from sqlalchemy import select

import processes.tables  # noqa: F401 - every table, and the search index, on the metadata
from engine import AuditEvent, Base, FolderMailer, OpenTask, OpenTaskGroup, ProcessInstance
from processes import MODELS_DIR
from processes.access import workable_condition
from processes.accounts import principal_of
from processes.assignment import claim
from processes.demo.cases import load_demo
from processes.documents import Upload, store_document
from processes.loket import build_loket
from processes.tables.staff import StaffUser

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_SIZES = (1_000, 100_000)
TARGET_RATIO = 1.3
TARGET_MS = 50.0
INTAKE_USER = "ilse.dewit@gemeente.example"
KCC_USER = "kim.jansen@gemeente.example"
OWNER_USER = "paul.hendriks@gemeente.example"
COMMON_WORD = "buurt"
RARE_WORD = "kwakernaak"
"""A surname three initiators have, at every size."""
ATTACHMENT_BYTES = 8 * 1024 * 1024
_FIRST = ["Anna", "Bram", "Chantal", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Ibrahim", "Joris", "Kim", "Lars",
          "Mila", "Noah", "Olga", "Priya", "Quinten", "Rosa", "Sem", "Tess", "Umar", "Vera", "Wout", "Yara"]
_LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
         "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
         "van der Meer", "Kok", "Jacobs", "Yilmaz", "El Amrani", "Öztürk", "Nguyen", "Kramer", "Schouten", "Post"]
_STREETS = ["Lindenstraat", "Singelplein", "Reeland", "Oranjepark", "Weizigt", "Vogelbuurt", "Stadspolder", "Wielwijk",
            "Krispijn", "Sterrenburg", "Dubbeldam", "Staart", "Noordflank", "Crabbehof", "Zuidhoven", "Bleijenhoek"]


class Pages(Protocol):
    """Fetches a page of the running site as a logged-in staff member (raises unless 200)."""

    def get(self, email: str, path: str) -> None: ...


@dataclass(frozen=True)
class PageCase:
    name: str
    email: str
    path: str


def _copy_rows(conn: psycopg.Connection[Any], table: str, columns: tuple[str, ...],
               rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


_INSTANCE = ("id", "case_ref", "model_version_id", "process_id", "state", "has_incident", "title", "initiator",
             "status_text", "status_text_en", "case_data", "workflow_state", "row_version", "created_at",
             "updated_at", "started_by")
_TASK = ("task_id", "instance_id", "case_ref", "process_id", "task_name", "title", "form_id", "candidate_group",
         "assignee", "due_at", "overdue", "created_at")
_AUDIT = ("instance_id", "at", "actor", "kind", "task_id", "task_name", "detail")


@dataclass
class _Templates:
    instances: list[dict[str, Any]]
    tasks: dict[int, list[dict[str, Any]]]
    groups: dict[str, list[str]]
    audit: dict[int, list[dict[str, Any]]]
    running: dict[int, dict[tuple[int, str], int]]
    """Per template instance what it adds to the engine's running counters (a copy adds the same)."""


def _templates(loket: Any) -> _Templates:
    def plain(row: Any) -> dict[str, Any]:
        return {column.key: getattr(row, column.key) for column in row.__table__.columns}

    with loket.reading() as session:
        instances = [plain(row) for row in session.scalars(select(ProcessInstance).order_by(ProcessInstance.id))]
        tasks: dict[int, list[dict[str, Any]]] = {}
        for row in session.scalars(select(OpenTask)):
            tasks.setdefault(row.instance_id, []).append(plain(row))
        groups: dict[str, list[str]] = {}
        for task_id, group in session.execute(select(OpenTaskGroup.task_id, OpenTaskGroup.group_code)):
            groups.setdefault(task_id, []).append(group)
        audit: dict[int, list[dict[str, Any]]] = {}
        for row in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            audit.setdefault(row.instance_id, []).append(plain(row))
    running = {row["id"]: loket.engine.processes_running_in([row["id"]]) for row in instances}
    return _Templates(instances, tasks, groups, audit, running)


@dataclass
class _Copy:
    number: int
    instance_id: int
    template: dict[str, Any]
    shift: timedelta
    data: dict[str, Any]
    title: str


def _copies(templates: _Templates, count: int, first_id: int, rng: random.Random) -> Iterator[_Copy]:
    rare = {count // 4, count // 2, 3 * count // 4}
    now = datetime.now(UTC)
    for number in range(1, count + 1):
        template = templates.instances[number % len(templates.instances)]
        first, last = rng.choice(_FIRST), RARE_WORD.capitalize() if number in rare else rng.choice(_LAST)
        street = rng.choice(_STREETS)
        data = dict(template["case_data"] or {})
        title = str(template["title"] or "Initiatief").split(" ")[0] + f" {street}"
        data.update(naam=f"{first} {last}", email=f"{first.lower()}.{number}@example.nl", titel=title,
                    postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
                             f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}")
        created = now - timedelta(minutes=rng.randint(60, 10 * 365 * 24 * 60))
        yield _Copy(number, first_id + number, template, created - template["created_at"], data, title)


def _instance_row(copy: _Copy) -> tuple[Any, ...]:
    row = dict(copy.template)
    row.update(id=copy.instance_id, case_ref=scale_ref(copy.number), title=copy.title,
               initiator=copy.data["email"], case_data=json.dumps(copy.data),
               created_at=row["created_at"] + copy.shift, updated_at=row["updated_at"] + copy.shift)
    return tuple(row[column] for column in _INSTANCE)


def scale_ref(number: int) -> str:
    """The reference of the ``number``-th copied initiative."""
    return f"INI-2016-{number:07d}"


def _bulk_copy(url: str, templates: _Templates, count: int) -> None:
    """``count`` copies of the template initiatives, with their tasks, groups and audit trail."""
    with psycopg.connect(url) as conn:
        first_id = int(conn.execute("SELECT coalesce(max(id), 0) FROM process_instance").fetchone()[0])  # type: ignore[index]
        plan = list(_copies(templates, count, first_id, random.Random(17)))
        _copy_rows(conn, "process_instance", _INSTANCE, (_instance_row(copy) for copy in plan))
        tasks: list[tuple[Any, ...]] = []
        groups: list[tuple[Any, ...]] = []
        for copy in plan:
            for task in templates.tasks.get(copy.template["id"], []):
                task_id = str(uuid.uuid4())
                due = task["due_at"] + copy.shift if task["due_at"] else None
                created = task["created_at"] + copy.shift
                tasks.append((task_id, copy.instance_id, scale_ref(copy.number), task["process_id"],
                              task["task_name"], task["title"], task["form_id"], task["candidate_group"],
                              task["assignee"], due, task["overdue"], created))
                groups.extend((task_id, group, due, created) for group in templates.groups.get(task["task_id"], []))
        _copy_rows(conn, "open_task", _TASK, iter(tasks))
        _copy_rows(conn, "open_task_group", ("task_id", "group_code", "due_at", "created_at"), iter(groups))
        _copy_rows(conn, "audit_event", _AUDIT, (
            (copy.instance_id, event["at"] + copy.shift, event["actor"], event["kind"], None, event["task_name"],
             json.dumps(event["detail"]) if event["detail"] is not None else None)
            for copy in plan for event in templates.audit.get(copy.template["id"], [])))
        added: Counter[tuple[int, str]] = Counter()
        for copy in plan:
            added.update(templates.running[copy.template["id"]])
        for (version_id, process_id), running in sorted(added.items()):
            conn.execute("UPDATE running_count SET running = running + %s WHERE version_id = %s AND process_id = %s",
                         (running, version_id, process_id))
        conn.execute("SELECT setval(pg_get_serial_sequence('process_instance', 'id'), "
                     "(SELECT max(id) FROM process_instance))")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


@dataclass(frozen=True)
class Built:
    size: int
    seconds: float
    pages: list[PageCase]


def build(url: str, size: int) -> Built:
    """A database of ``size`` initiatives (see the module text) and the pages to time on it."""
    started = perf_counter()
    loket = build_loket(url, mailer=FolderMailer(Path(tempfile.mkdtemp(prefix="loket-scale-mail-"))))
    Base.metadata.create_all(loket.engine.db.engine)
    loket.engine.deploy_directory(MODELS_DIR, actor="bench")
    load_demo(loket)
    with loket.transaction() as session:
        case = session.scalars(select(ProcessInstance).where(ProcessInstance.state == "running")
                               .order_by(ProcessInstance.id)).first()
        assert case is not None
        for number in range(4):
            content = b"%PDF-1.4\n" + os.urandom(ATTACHMENT_BYTES - 9)
            store_document(session, Upload(f"bijlage-{number + 1}.pdf", content), uploaded_by="bench",
                           instance_id=case.id)
        case_ref = case.case_ref
        intake = principal_of(session, session.scalars(select(StaffUser).where(StaffUser.email == INTAKE_USER)).one())
        queue = session.scalars(select(OpenTask.task_id).where(workable_condition(intake), OpenTask.assignee.is_(None))
                                .order_by(OpenTask.created_at)).all()
    # In the demo set every staff task waits in a team queue; the intake officer takes half of
    # them, so "mijn taken" grows with the size like the queue does.
    for task_id in queue[::2]:
        claim(loket, intake, task_id)
    templates = _templates(loket)
    loket.engine.db.dispose()
    copies = max(0, size - len(templates.instances))
    _bulk_copy(url.replace("postgresql+psycopg://", "postgresql://"), templates, copies)
    reference = scale_ref(max(1, copies // 3))
    pages = [
        PageCase("team queue", INTAKE_USER, "/medewerker/werkvoorraad"),
        PageCase("my tasks", INTAKE_USER, "/medewerker/taken"),
        PageCase("staff home", INTAKE_USER, "/medewerker/"),
        PageCase("case page", INTAKE_USER, f"/medewerker/dossier/{case_ref}"),
        PageCase("KCC search, common word", KCC_USER, f"/medewerker/kcc?q={COMMON_WORD}"),
        PageCase("KCC search, rare word", KCC_USER, f"/medewerker/kcc?q={RARE_WORD}"),
        PageCase("KCC search, reference", KCC_USER, f"/medewerker/kcc?q={reference}"),
        PageCase("owner's page", OWNER_USER, "/medewerker/processen"),
    ]
    return Built(size, round(perf_counter() - started, 1), pages)


def time_pages(sites: dict[str, tuple[Pages, list[PageCase]]], rounds: int) -> dict[str, dict[str, Any]]:
    """p50 and p95 in milliseconds per page and size. Round by round every page is fetched at
    every size in turn, so both sides of a ratio run under the same machine conditions."""
    for pages, cases in sites.values():  # warm up: caches, connections, the first plans
        for case in cases:
            for _ in range(3):
                pages.get(case.email, case.path)
    seconds: dict[str, dict[str, list[float]]] = {}
    for _ in range(rounds):
        for size, (pages, cases) in sites.items():
            for case in cases:
                started = perf_counter()
                pages.get(case.email, case.path)
                seconds.setdefault(case.name, {}).setdefault(size, []).append(perf_counter() - started)
    return {name: {size: {"p50": round(statistics.median(found) * 1000, 1),
                          "p95": round(statistics.quantiles(found, n=20)[18] * 1000, 1)}
                   for size, found in per_size.items()} for name, per_size in seconds.items()}


def run_scale_bench(sizes: tuple[int, ...], open_pages: Callable[[str], Pages], *, rounds: int = 30,
                    postgres_url: str | None = None) -> dict[str, Any]:
    server = (postgres_url or os.environ.get("LOKET_TEST_POSTGRES_URL") or DEFAULT_POSTGRES).replace(
        "postgresql+psycopg://", "postgresql://")
    found: dict[str, Any] = {"sizes": list(sizes), "build_seconds": {}, "pages": {}}
    names = {size: f"loket_scale_{random.randrange(16**8):08x}" for size in sizes}
    try:
        sites: dict[str, tuple[Pages, list[PageCase]]] = {}
        for size, name in names.items():
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            url = f"{server.rpartition('/')[0]}/{name}"
            built = build(url, size)
            found["build_seconds"][str(size)] = built.seconds
            sites[str(size)] = (open_pages(url), built.pages)
        found["pages"] = time_pages(sites, rounds)
    finally:
        for name in names.values():
            with psycopg.connect(server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return found


def ratios(found: dict[str, Any]) -> list[dict[str, Any]]:
    """One object per page: its timings per size, and the largest size's p50 over the smallest's."""
    sizes = [str(size) for size in found["sizes"]]
    rows = []
    for page, times in found["pages"].items():
        row: dict[str, Any] = {"page": page, **{size: times[size] for size in sizes}}
        row["ratio"] = round(times[sizes[-1]]["p50"] / max(times[sizes[0]]["p50"], 0.001), 2)
        rows.append(row)
    return rows


def format_scale_report(found: dict[str, Any]) -> str:
    sizes = [str(size) for size in found["sizes"]]
    head = "page                       " + "".join(f"{size + ' p50/p95 ms':>24}" for size in sizes) + "   ratio"
    lines = [head]
    for row in ratios(found):
        cells = "".join(f"{row[size]['p50']:>14.1f} / {row[size]['p95']:<7.1f}" for size in sizes)
        lines.append(f"{row['page']:<27}{cells}{row['ratio']:>8.2f}")
    lines.append("Opbouw (s): " + ", ".join(f"{size}: {found['build_seconds'][size]}" for size in sizes))
    lines.append(f"Doel: per pagina ten hoogste {TARGET_RATIO}× de tijd bij de kleinste omvang en ten hoogste "
                 f"{TARGET_MS:.0f} ms (mediaan) bij 100.000 initiatieven.")
    return "\n".join(lines)
