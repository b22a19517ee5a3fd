"""The process owner's diagrams: which versions are in use, and checking and deploying new files.

Uploaded files replace the file of the same name in the deployment in use and the other files
stay, so a process owner sends just the diagram, decision table, form or text they changed. The whole set
is validated; checking deploys nothing, and deploying stores a new version only for processes
whose content changed (running initiatives keep the version they started on)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import (
    BUNDLE_SUFFIXES,
    MAX_MODEL_BYTES,
    DeployResult,
    ModelBundle,
    ModelInvalid,
    ModelProblem,
    ModelVersion,
    Organisation,
    read_bundle_files,
    validate_files,
)
from processes import scenarios
from processes.diagrams import Step, file_defining, steps_of
from processes.errors import UseCaseError
from processes.loket import Loket, reads
from processes.scenario_files import SCENARIO_FOLDER, is_scenario_file, looks_like_scenario
from processes.tables.organisation import District, Team
from processes.vocabulary import DISTRICT_FIELD

MAX_FILES = 20


SCENARIO_FAILED = "scenario.failed"
"""The code of a problem that only a failing scenario raises (a reason lets it through)."""


class UploadInvalid(UseCaseError):
    """The upload itself is unusable (``code``: no_files, too_many_files, wrong_type,
    too_large, not_utf8); ``name`` is the file concerned. Nothing was checked or deployed."""

    def __init__(self, code: str, name: str | None = None) -> None:
        self.code = code
        self.name = name
        super().__init__(f"{code}: {name}" if name else code)


class UploadedFile(Protocol):
    filename: str | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Check:
    """The set of files that was (or would be) deployed, what is wrong with it (``problems``:
    each one blocks deploying) and what is worth fixing (``warnings``: the models still work)."""

    replaced: list[str]
    added: list[str]
    problems: list[ModelProblem]
    warnings: list[ModelProblem] = field(default_factory=list)


@reads
def organisation(session: Session) -> Organisation:
    """The teams and districts there are now: every candidate group is tried against them."""
    teams = frozenset(session.scalars(select(Team.code).where(Team.active.is_(True))).all())
    districts = tuple(session.scalars(select(District.code).where(District.active.is_(True))
                                      .order_by(District.code)).all())
    return Organisation(teams, districts, DISTRICT_FIELD)


def read_uploads(uploads: Iterable[UploadedFile]) -> dict[str, bytes]:
    """The uploaded bundle files by name (diagrams, decision tables, forms, texts);
    UploadInvalid for anything that is not one."""
    files: dict[str, bytes] = {}
    for upload in uploads:
        name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
        if not name:
            continue  # an empty file field
        if PurePosixPath(name).suffix.lower() not in BUNDLE_SUFFIXES:
            raise UploadInvalid("wrong_type", name)
        if len(files) >= MAX_FILES:
            raise UploadInvalid("too_many_files")
        data = upload.read(MAX_MODEL_BYTES + 1)
        if len(data) > MAX_MODEL_BYTES:
            raise UploadInvalid("too_large", name)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UploadInvalid("not_utf8", name) from exc
        files[name] = data
    if not files:
        raise UploadInvalid("no_files")
    return files


def files_in_use(loket: Loket) -> list[str]:
    """The names of the files in use, to download, change in a modeller and send back."""
    return sorted(_files_in_use(loket))


def file_in_use(loket: Loket, name: str) -> bytes | None:
    return _files_in_use(loket).get(name)


def bundle_in_use(loket: Loket) -> dict[str, bytes]:
    """Every file in use by name, read at once (an editor that needs several of them)."""
    return _files_in_use(loket)


def version_file(loket: Loket, version_id: int) -> tuple[str, bytes] | None:
    """The .bpmn file (name, content) that defined a process in one of its versions, to look
    back at or to send again (deploying earlier content makes it the newest version)."""
    with loket.reading() as session:
        found = session.execute(select(ModelVersion.process_id, ModelBundle.files)
                                .join(ModelBundle, ModelBundle.id == ModelVersion.bundle_id)
                                .where(ModelVersion.id == version_id)).first()
    if found is None:
        return None
    process_id, files = found
    return file_defining(files or {}, process_id)


_BUNDLE_FILES: dict[str, dict[str, bytes]] = {}
"""Files per bundle content hash: the hash is of the files themselves, so what is kept under it
is right in any database and never goes stale (a new deployment has another hash)."""
_KEPT_BUNDLES = 8


def _files_in_use(loket: Loket) -> dict[str, bytes]:
    """The files of the deployment that made the newest version (after a rollback that is the
    earlier deployment made current again): its content hash is read, its files only the first
    time this process sees that hash. A copy: callers may change it."""
    with loket.reading() as session:
        latest = session.execute(select(ModelBundle.id, ModelBundle.content_hash)
                                 .join(ModelVersion, ModelVersion.bundle_id == ModelBundle.id)
                                 .order_by(ModelVersion.id.desc()).limit(1)).first()
        if latest is None:
            return {}
        bundle_id, content_hash = latest
        found = _BUNDLE_FILES.get(content_hash)
        if found is None:
            stored = session.scalar(select(ModelBundle.files).where(ModelBundle.id == bundle_id)) or {}
            found = {name: text.encode("utf-8") for name, text in stored.items()}
            if len(_BUNDLE_FILES) >= _KEPT_BUNDLES:
                _BUNDLE_FILES.clear()
            _BUNDLE_FILES[content_hash] = found
    return dict(found)


def _merged(loket: Loket, uploaded: dict[str, bytes]) -> tuple[dict[str, bytes], list[str], list[str]]:
    """The files in use with the uploaded ones in place, and which were replaced and added."""
    in_use = _files_in_use(loket)
    by_basename = {PurePosixPath(name).name: name for name in in_use}
    files = dict(in_use)
    replaced: list[str] = []
    added: list[str] = []
    for name, data in uploaded.items():
        target = name if name in in_use else by_basename.get(name) or _place_of(name, data)
        (replaced if target in in_use else added).append(target)
        files[target] = data
    return files, sorted(replaced), sorted(added)


def _place_of(name: str, data: bytes) -> str:
    """Where a new file goes in the bundle: forms, texts and scenarios in their own folder."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if is_scenario_file(name) or (len(path.parts) == 2 and path.parts[0] in {"forms", "texts"}):
        return name  # a draft's full name: already in its folder
    if suffix == ".json" and looks_like_scenario(data):
        return f"{SCENARIO_FOLDER}/{name}"
    return {".json": "forms/", ".txt": "texts/"}.get(suffix, "") + name


def _findings(loket: Loket, files: dict[str, bytes]) -> list[ModelProblem]:
    content = loket.bundle_content(files)
    return validate_files(files, form_exists=content.exists, handler_exists=loket.engine.handlers.__contains__,
                          form_fields=content.fields, organisation=organisation(loket), catalog=content)


def scenario_failures(loket: Loket, files: dict[str, bytes]) -> list[ModelProblem]:
    """The bundle's scenarios that fail on these files, as problems that block putting them into
    use unless the owner says why (``reason``)."""
    outcomes, _broken = scenarios.run_all(files, loket.bundle_content(files))
    return [ModelProblem(outcome.scenario.file, None, None, SCENARIO_FAILED,
                         f"Het scenario '{outcome.scenario.name}' klopt niet meer: {outcome.difference}. "
                         "Pas het model of het scenario aan, of geef een reden om toch in gebruik te nemen.",
                         f"The scenario '{outcome.scenario.name}' no longer holds: {outcome.difference}. "
                         "Change the model or the scenario, or give a reason to put it into use anyway.")
            for outcome in outcomes if not outcome.passed]


def check(loket: Loket, uploaded: dict[str, bytes]) -> Check:
    """What deploying these files would find (the scenarios run when the models pass); deploys nothing."""
    files, replaced, added = _merged(loket, uploaded)
    found = _findings(loket, files)
    problems = [p for p in found if p.blocking]
    return Check(replaced, added, problems or scenario_failures(loket, files), [p for p in found if not p.blocking])


def _noted(note: str | None, failures: list[ModelProblem], reason: str) -> str:
    names = ", ".join(problem.file for problem in failures)
    why = f"Toch in gebruik genomen terwijl {len(failures)} scenario('s) mislukten ({names}). Reden: {reason}"
    return "\n".join(part for part in ((note or "").strip(), why) if part)


def deploy(loket: Loket, uploaded: dict[str, bytes], *, actor: str, note: str | None = None,
           reason: str | None = None) -> tuple[Check, DeployResult | None]:
    """Deploy the files in use with these in place, if the whole set is valid (the engine
    validates before it stores anything) and its scenarios pass — or the owner gives a
    ``reason`` to deploy anyway, kept with the versions; ``note`` says what changed."""
    files, replaced, added = _merged(loket, uploaded)
    found = _findings(loket, files)
    warnings = [p for p in found if not p.blocking]
    failures = [] if any(p.blocking for p in found) else scenario_failures(loket, files)
    reason = (reason or "").strip()[:1000]
    if failures and not reason:
        return Check(replaced, added, failures, warnings), None
    if failures:
        note, warnings = _noted(note, failures, reason), [*warnings, *failures]
    try:
        result = loket.engine.deploy_files(files, actor=actor, organisation=organisation(loket),
                                           note=(note or "").strip()[:2000] or None)
    except ModelInvalid as invalid:
        return Check(replaced, added, list(invalid.problems), warnings), None
    return Check(replaced, added, [], warnings), result


def deploy_directory(loket: Loket, directory: Path, *, actor: str, reason: str | None = None) -> DeployResult:
    """Deploy the models in a folder (``loket models deploy``): the same checks as the owner's
    page, scenarios included; ModelInvalid lists what is wrong."""
    files = read_bundle_files(directory)
    found = [p for p in _findings(loket, files) if p.blocking]
    failures = [] if found else scenario_failures(loket, files)
    reason = (reason or "").strip()[:1000]
    if failures and not reason:
        raise ModelInvalid(failures)
    note = _noted(None, failures, reason) if failures else None
    return loket.engine.deploy_files(files, actor=actor, organisation=organisation(loket), note=note)


def diagram_steps(loket: Loket, name: str) -> list[tuple[str, list[Step]]] | None:
    """The steps of a .bpmn file in use, per process, as text beside its picture (None when
    there is no such diagram)."""
    content = _files_in_use(loket).get(name)
    if content is None or not name.lower().endswith(".bpmn"):
        return None
    return steps_of(name, content)
