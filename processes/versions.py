"""The versions of the models in use: per process its versions with who deployed them, their
change note and how many running initiatives are on each — also the processes an initiative
runs as a call activity (complex, wijkwens, eenvoudig) — and making an earlier version current
again with one button.

A running initiative keeps the version it started on; the process it runs inside it is the
version deployed with it: the newest version of that process from the same deployment or an
earlier one."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from engine import DeployResult, ModelBundle, ModelVersion, NotFound, OpenTask, ProcessInstance
from processes.loket import Loket, reads
from processes.studio import files_in_use, organisation

CATEGORY_FIELDS = ("categorie", "categorie_voorstel")
"""Where the case data says which category process an initiative is in (or will be)."""


@dataclass(frozen=True)
class VersionRow:
    version_id: int
    version_no: int
    deployed_at: datetime
    deployed_by: str
    running: int
    note: str | None = None


@dataclass(frozen=True)
class ProcessRow:
    process_id: str
    name: str
    versions: list[VersionRow]  # newest first: the first is the one new initiatives get

    @property
    def current(self) -> VersionRow:
        return self.versions[0]


def _in_effect(session: Session) -> dict[str, tuple[list[int], list[int]]]:
    """Per process: the bundle ids of its versions (ascending) and the version ids with them."""
    rows = session.execute(select(ModelVersion.process_id, ModelVersion.bundle_id, ModelVersion.id)
                           .order_by(ModelVersion.process_id, ModelVersion.id)).all()
    found: dict[str, tuple[list[int], list[int]]] = {}
    for process_id, bundle_id, version_id in rows:
        bundles, versions = found.setdefault(process_id, ([], []))
        bundles.append(bundle_id)
        versions.append(version_id)
    return found


def _version_for(effect: dict[str, tuple[list[int], list[int]]], process_id: str, bundle_id: int) -> int | None:
    bundles, versions = effect.get(process_id, ([], []))
    index = bisect_right(bundles, bundle_id) - 1
    return versions[index] if index >= 0 else None


def running_per_version(session: Session) -> Counter[int]:
    """How many running initiatives are on each version, counting an initiative also for the
    process it is in as a call activity (its category, and any process with an open task).
    Counted in the database: only a row per (version, process) comes back."""
    counts: Counter[int] = Counter({})
    for version_id, running in session.execute(
            select(ProcessInstance.model_version_id, func.count()).where(ProcessInstance.state == "running")
            .group_by(ProcessInstance.model_version_id)).all():
        counts[version_id] += running
    data = ProcessInstance.case_data
    category = func.coalesce(func.nullif(data[CATEGORY_FIELDS[0]].as_string(), ""),
                             func.nullif(data[CATEGORY_FIELDS[1]].as_string(), ""))
    running_rows = (ProcessInstance.state == "running", ModelVersion.id == ProcessInstance.model_version_id)
    inside = union(
        select(ProcessInstance.id.label("instance_id"), ProcessInstance.model_version_id.label("version_id"),
               ModelVersion.bundle_id.label("bundle_id"), category.label("process_id"))
        .where(*running_rows, category.is_not(None)),
        select(OpenTask.instance_id, ProcessInstance.model_version_id, ModelVersion.bundle_id, OpenTask.process_id)
        .join(ProcessInstance, ProcessInstance.id == OpenTask.instance_id).where(*running_rows),
    ).subquery()
    effect = _in_effect(session)
    for version_id, bundle_id, process_id, instances in session.execute(
            select(inside.c.version_id, inside.c.bundle_id, inside.c.process_id, func.count())
            .group_by(inside.c.version_id, inside.c.bundle_id, inside.c.process_id)).all():
        sub = _version_for(effect, str(process_id), bundle_id)
        if sub is not None and sub != version_id:
            counts[sub] += instances
    return counts


@reads
def overview(session: Session) -> list[ProcessRow]:
    running = running_per_version(session)
    rows = session.execute(
        select(ModelVersion.id, ModelVersion.process_id, ModelVersion.name, ModelVersion.version_no,
               ModelVersion.deployed_at, func.coalesce(ModelVersion.deployed_by, ModelBundle.deployed_by),
               ModelVersion.note)
        .join(ModelBundle, ModelBundle.id == ModelVersion.bundle_id)
        .order_by(ModelVersion.process_id, ModelVersion.version_no.desc())
    ).all()
    processes: dict[str, ProcessRow] = {}
    for version_id, process_id, name, version_no, deployed_at, deployed_by, note in rows:
        row = processes.setdefault(process_id, ProcessRow(process_id, name or process_id, []))
        row.versions.append(VersionRow(version_id, version_no, deployed_at, deployed_by, running.get(version_id, 0),
                                       note))
    return sorted(processes.values(), key=lambda process: process.name.lower())


def make_current(loket: Loket, version_id: int, *, actor: str, note: str | None = None) -> DeployResult:
    """Put the deployment that made this version into use again (new initiatives follow it;
    running ones keep theirs): its files are deployed as they were, with the same checks."""
    with loket.reading() as session:
        found = session.execute(select(ModelVersion.process_id, ModelVersion.version_no, ModelBundle.files)
                                .join(ModelBundle, ModelBundle.id == ModelVersion.bundle_id)
                                .where(ModelVersion.id == version_id)).first()
    if found is None:
        raise NotFound(str(version_id))
    process_id, version_no, stored = found
    files = {name: text.encode("utf-8") for name, text in (stored or {}).items()}
    words = note or f"Versie {version_no} van {process_id} weer in gebruik genomen."
    return loket.engine.deploy_files(files, actor=actor, organisation=organisation(loket), note=words[:2000])


__all__ = ["DeployResult", "ProcessRow", "StudioPage", "VersionRow", "make_current", "overview", "studio_page"]


@dataclass(frozen=True)
class StudioPage:
    processes: list[ProcessRow]
    files: list[str]


def studio_page(loket: Loket) -> StudioPage:
    """The process owner's page: the processes with their versions, and the files in use."""
    return StudioPage(overview(loket), files_in_use(loket))
