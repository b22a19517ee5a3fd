"""The diagram a case runs on: the .bpmn file of its own model version that defines a process,
to show staff where an initiative is (its open tasks marked in the picture)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from engine.models import ModelBundle, ModelVersion, ProcessInstance
from engine.parsing import BPMN_NS
from engine.service import Engine
from engine.xmlsafe import UnsafeXml, parse_xml


def file_defining(files: Mapping[str, str], process_id: str) -> tuple[str, bytes] | None:
    """The .bpmn file among ``files`` (name, content) that defines ``process_id``."""
    for name in sorted(files):
        if not name.lower().endswith(".bpmn"):
            continue
        content = files[name].encode("utf-8")
        try:
            root = parse_xml(content, name)
        except UnsafeXml:
            continue
        if any(process.get("id") == process_id for process in root.iter(f"{{{BPMN_NS}}}process")):
            return name, content
    return None


def case_model(engine: Engine, instance_id: int, process_id: str) -> bytes | None:
    """The file defining ``process_id`` as deployed with the version this case runs on (a case
    keeps its version, so later deployments do not change its picture)."""
    with engine.db.transaction() as session:
        files = session.scalar(
            select(ModelBundle.files)
            .join(ModelVersion, ModelVersion.bundle_id == ModelBundle.id)
            .join(ProcessInstance, ProcessInstance.model_version_id == ModelVersion.id)
            .where(ProcessInstance.id == instance_id)
        )
    found = file_defining(files or {}, process_id)
    return found[1] if found is not None else None
