"""A model bundle: the diagrams and decision tables the engine runs, with the forms their tasks
show and the texts the process sends, deployed and versioned together. The engine parses the
models; what the other files mean the application says (:class:`BundleCatalog`).

A case keeps the bundle of the version it started on: its tasks show that bundle's forms and its
mails use that bundle's texts, whatever is deployed later."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any, Protocol, cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from engine.db import Database
from engine.errors import ModelProblem
from engine.mail import BundleTexts
from engine.tables import ModelBundle, ModelVersion, ProcessInstance

MODEL_SUFFIXES = (".bpmn", ".dmn")
CATALOG_SUFFIXES = (".json", ".txt")
BUNDLE_SUFFIXES = (*MODEL_SUFFIXES, *CATALOG_SUFFIXES)
"""Diagrams, decision tables, forms (JSON) and texts (``<name>.<lang>.txt``)."""

BUNDLES = cast(Table, ModelBundle.__table__)
VERSIONS = cast(Table, ModelVersion.__table__)
INSTANCES = cast(Table, ProcessInstance.__table__)


class BundleCatalog(Protocol):
    """The application's reading of a bundle's forms and texts."""

    def exists(self, form_id: str) -> bool: ...

    def fields(self, form_id: str) -> Iterable[str] | None: ...

    def problems(self) -> list[ModelProblem]: ...

    def errors(self, form_id: str, data: dict[str, Any]) -> list[Any]:
        """What is wrong with the data submitted for a task showing this form (empty: nothing)."""
        ...


CatalogFor = Callable[[Mapping[str, bytes]], BundleCatalog]


def suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def model_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if suffix(name) in MODEL_SUFFIXES}


def catalog_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The forms and texts (what the catalog reads); anything else the engine must parse."""
    return {name: data for name, data in files.items() if suffix(name) in CATALOG_SUFFIXES}


def engine_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Everything but the forms and texts: the models, and any other file (reported as such)."""
    return {name: data for name, data in files.items() if suffix(name) not in CATALOG_SUFFIXES}


def other_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if suffix(name) not in MODEL_SUFFIXES}


def others_hash(files: Mapping[str, bytes]) -> str:
    """The fingerprint of the forms and texts: a change of them alone makes new versions too."""
    digest = hashlib.sha256()
    for name, data in sorted(other_files(files).items()):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


class BundleMixin:
    """The engine's reading of deployed bundles: which bundle a case (or the models in use) has,
    its catalog and its texts. Deployments never change, so what is read is kept per bundle."""

    db: Database
    bundle_catalog: CatalogFor | None
    _catalogs: dict[int, BundleCatalog]
    _version_catalogs: dict[int, BundleCatalog]
    _texts: dict[int, dict[str, str]]
    _version_bundles: dict[int, int]

    def catalog_for_files(self, files: Mapping[str, bytes]) -> BundleCatalog | None:
        """The catalog of files that are not deployed (yet): to check them."""
        return self.bundle_catalog(files) if self.bundle_catalog is not None else None

    def catalog(self, *, instance_id: int | None = None) -> BundleCatalog | None:
        """The catalog of the bundle a case runs on (``instance_id`` None: of the models in use
        now); None without a catalog or a deployment."""
        with self.db.reading() as session:
            bundle_id = _bundle_id(session, instance_id)
            return None if bundle_id is None else self.catalog_of_bundle(session, bundle_id)

    def catalog_of_version(self, conn: Connection | Session, version_id: int) -> BundleCatalog | None:
        found = self._version_catalogs.get(version_id)
        if found is None:
            bundle_id = conn.execute(select(VERSIONS.c.bundle_id).where(VERSIONS.c.id == version_id)).scalar()
            found = None if bundle_id is None else self.catalog_of_bundle(conn, bundle_id)
            if found is not None:
                self._version_catalogs[version_id] = found
        return found

    def catalog_of_bundle(self, conn: Connection | Session, bundle_id: int) -> BundleCatalog | None:
        if self.bundle_catalog is None:
            return None
        found = self._catalogs.get(bundle_id)
        if found is None:
            found = self.bundle_catalog(_encoded(_files(conn, bundle_id)))
            if len(self._catalogs) > 64:
                self._catalogs.clear()
                self._version_catalogs.clear()
            self._catalogs[bundle_id] = found
        return found

    def mail_texts(self, instance_id: int | None, within: Session | None = None) -> BundleTexts | None:
        """The mail texts of the bundle a case runs on (``instance_id`` None: of the models in
        use now), or None when that bundle has none (the engine's own folder is used). Read in
        the caller's unit of work when ``within`` is given."""
        if within is None:
            with self.db.reading() as session:
                return self._mail_texts(session, instance_id)
        return self._mail_texts(within, instance_id)

    def mail_texts_of_version(self, version_id: int) -> BundleTexts | None:
        """The mail texts of a model version's bundle (a version never changes its bundle, so
        both are kept: the worker sends a case's mail without reading them again)."""
        bundle_id = self._version_bundles.get(version_id)
        with self.db.reading() as session:
            if bundle_id is None:
                bundle_id = session.scalar(select(ModelVersion.bundle_id).where(ModelVersion.id == version_id))
                if bundle_id is None:
                    return None
                self._version_bundles[version_id] = bundle_id
            return self._texts_of_bundle(session, bundle_id)

    def _mail_texts(self, session: Session, instance_id: int | None) -> BundleTexts | None:
        bundle_id = _bundle_id(session, instance_id)
        if bundle_id is None:
            return None
        return self._texts_of_bundle(session, bundle_id)

    def _texts_of_bundle(self, session: Session, bundle_id: int) -> BundleTexts | None:
        texts = self._texts.get(bundle_id)
        if texts is None:
            texts = {PurePosixPath(name).name: text for name, text in _files(session, bundle_id).items()
                     if name.endswith(".txt")}
            self._texts[bundle_id] = texts
        return (bundle_id, texts) if texts else None

def _bundle_id(session: Session, instance_id: int | None) -> int | None:
    """The bundle of the case's version, or (``instance_id`` None) of the newest version: the
    files in use (after an earlier version was made current again, that one's files)."""
    query = select(ModelVersion.bundle_id)
    if instance_id is not None:
        query = query.join(ProcessInstance, ProcessInstance.model_version_id == ModelVersion.id).where(
            ProcessInstance.id == instance_id)
    return session.scalar(query.order_by(ModelVersion.id.desc()).limit(1))


def _files(conn: Connection | Session, bundle_id: int) -> dict[str, str]:
    return dict(conn.execute(select(BUNDLES.c.files).where(BUNDLES.c.id == bundle_id)).scalar() or {})


def _encoded(files: Mapping[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}
