"""Deploying models: validate, then store immutable, content-hashed versions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.bundle import BUNDLE_SUFFIXES, BundleCatalog, model_files, others_hash
from engine.errors import ModelInvalid
from engine.model_checks import FormFields
from engine.parsing import executable_process_ids, load_parser
from engine.serialization import StateSerializer
from engine.tables import ModelBundle, ModelVersion
from engine.validation import Organisation, validate_files


@dataclass(frozen=True)
class DeployedVersion:
    process_id: str
    version_no: int
    version_id: int
    content_hash: str
    new: bool


@dataclass(frozen=True)
class DeployResult:
    bundle_id: int
    new_bundle: bool
    versions: list[DeployedVersion]

    @property
    def changed(self) -> bool:
        return any(v.new for v in self.versions)


def read_model_files(directory: Path) -> dict[str, bytes]:
    """Every bundle file under ``directory`` (diagrams, decision tables, forms, texts), keyed by
    its path relative to it."""
    files: dict[str, bytes] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix.lower() in BUNDLE_SUFFIXES:
            files[path.relative_to(directory).as_posix()] = path.read_bytes()
    return files


def bundle_hash(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def deploy_files(
    session: Session,
    files: dict[str, bytes],
    *,
    actor: str,
    serializer: StateSerializer,
    form_exists: Callable[[str], bool],
    handler_exists: Callable[[str], bool],
    form_fields: FormFields | None = None,
    organisation: Organisation | None = None,
    note: str | None = None,
    catalog: BundleCatalog | None = None,
) -> DeployResult:
    problems = [problem for problem in validate_files(files, form_exists=form_exists, handler_exists=handler_exists,
                                                      form_fields=form_fields, organisation=organisation,
                                                      catalog=catalog)
                if problem.blocking]
    if problems:
        raise ModelInvalid(problems)
    digest = bundle_hash(files)
    bundle = session.scalar(select(ModelBundle).where(ModelBundle.content_hash == digest))
    new_bundle = bundle is None
    if bundle is None:
        bundle = ModelBundle(
            content_hash=digest,
            files={name: data.decode("utf-8") for name, data in files.items()},
            deployed_at=clock.now(),
            deployed_by=actor,
        )
        session.add(bundle)
        session.flush()
    parser = load_parser(model_files(files))
    others = others_hash(files)
    versions = [
        _store_version(session, parser, process_id, bundle.id, serializer, actor, note, others)
        for process_id in executable_process_ids(parser)
    ]
    return DeployResult(bundle.id, new_bundle, versions)


def _store_version(
    session: Session, parser: object, process_id: str, bundle_id: int, serializer: StateSerializer, actor: str,
    note: str | None, others: str,
) -> DeployedVersion:
    spec = parser.get_spec(process_id)  # type: ignore[attr-defined]
    subprocess_specs = parser.get_subprocess_specs(process_id)  # type: ignore[attr-defined]
    spec_json = serializer.spec_to_json(spec, subprocess_specs)
    # The forms and texts count too: a case keeps those of its version, so a change of them
    # alone is a new version as well.
    digest = hashlib.sha256(spec_json.encode("utf-8") + others.encode("ascii")).hexdigest()
    current = latest_version(session, process_id)
    if current is not None and current.content_hash == digest:
        return DeployedVersion(process_id, current.version_no, current.id, digest, False)
    version = ModelVersion(
        process_id=process_id,
        name=getattr(spec, "description", None) or process_id,
        version_no=(current.version_no if current else 0) + 1,
        content_hash=digest,
        bundle_id=bundle_id,
        spec=spec_json,
        deployed_at=clock.now(),
        deployed_by=actor,
        note=note,
    )
    session.add(version)
    session.flush()
    return DeployedVersion(process_id, version.version_no, version.id, digest, True)


def latest_version(session: Session, process_id: str) -> ModelVersion | None:
    return session.scalar(
        select(ModelVersion)
        .where(ModelVersion.process_id == process_id)
        .order_by(ModelVersion.version_no.desc())
        .limit(1)
    )
