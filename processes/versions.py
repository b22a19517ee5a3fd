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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import DeployResult, ModelBundle, ModelVersion, NotFound
from processes.loket import Loket
from processes.studio import files_in_use, organisation


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


def _in_effect(session: Session) -> tuple[dict[str, tuple[list[int], list[int]]], dict[int, tuple[str, int]]]:
    """Per process: the bundle ids of its versions (ascending) and the version ids with them;
    and per version its process and bundle."""
    rows = session.execute(select(ModelVersion.process_id, ModelVersion.bundle_id, ModelVersion.id)
                           .order_by(ModelVersion.process_id, ModelVersion.id)).all()
    found: dict[str, tuple[list[int], list[int]]] = {}
    versions: dict[int, tuple[str, int]] = {}
    for process_id, bundle_id, version_id in rows:
        bundles, ids = found.setdefault(process_id, ([], []))
        bundles.append(bundle_id)
        ids.append(version_id)
        versions[version_id] = (process_id, bundle_id)
    return found, versions


def _version_for(effect: dict[str, tuple[list[int], list[int]]], process_id: str, bundle_id: int) -> int | None:
    bundles, versions = effect.get(process_id, ([], []))
    index = bisect_right(bundles, bundle_id) - 1
    return versions[index] if index >= 0 else None


def running_per_version(session: Session, kept: dict[tuple[int, str], int]) -> Counter[int]:
    """How many running initiatives are on each version, counting an initiative also for the
    process it is in as a call activity, from the counters every step keeps (``kept``, see
    :mod:`engine.running`): reading them costs the same at 100,000 initiatives as at 10."""
    effect, versions = _in_effect(session)
    counts: Counter[int] = Counter({})
    for (version_id, process_id), running in kept.items():
        own_process, bundle_id = versions.get(version_id, ("", 0))
        target = version_id if process_id == own_process else _version_for(effect, process_id, bundle_id)
        if target is not None:
            counts[target] += running
    return counts


def overview(loket: Loket) -> list[ProcessRow]:
    kept = loket.engine.running_counts()
    with loket.reading() as session:
        return _overview(session, running_per_version(session, kept))


def _overview(session: Session, running: Counter[int]) -> list[ProcessRow]:
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
