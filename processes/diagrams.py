"""Reading diagrams for the staff pages: the .bpmn file of a case's own model version that
defines a process (to show where an initiative is), and a diagram's steps as text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine import BPMN_NS, ModelBundle, ModelVersion, ProcessInstance, UnsafeXml, parse_xml
from processes.loket import Loket


def file_defining(files: Mapping[str, str], process_id: str) -> tuple[str, bytes] | None:
    """The .bpmn file among ``files`` (name, content) that defines ``process_id``."""
    for name in sorted(files):
        if not name.lower().endswith(".bpmn"):
            continue
        content = files[name].encode("utf-8")
        if any(process.get("id") == process_id for process in _processes(name, content)):
            return name, content
    return None


def _processes(name: str, content: bytes) -> list[Any]:
    """The process elements of a .bpmn file (none if it cannot be read safely)."""
    try:
        root = parse_xml(content, name)
    except UnsafeXml:
        return []
    return list(root.iter(f"{{{BPMN_NS}}}process"))


def model_of_case(loket: Loket, instance_id: int, process_id: str) -> bytes | None:
    """The file defining ``process_id`` as deployed with the version this case runs on (a case
    keeps its version, so later deployments do not change its picture)."""
    with loket.reading() as session:
        files = session.scalar(
            select(ModelBundle.files)
            .join(ModelVersion, ModelVersion.bundle_id == ModelBundle.id)
            .join(ProcessInstance, ProcessInstance.model_version_id == ModelVersion.id)
            .where(ProcessInstance.id == instance_id)
        )
    found = file_defining(files or {}, process_id)
    return found[1] if found is not None else None


# The kinds of step a diagram shows, for the text next to the picture.
STEP_KINDS = ("userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask", "callActivity",
              "sendTask", "receiveTask", "task", "subProcess")


@dataclass(frozen=True)
class Step:
    kind: str  # one of STEP_KINDS
    name: str


def steps_of(name: str, content: bytes) -> list[tuple[str, list[Step]]]:
    """Per process in a .bpmn file (its name), the named steps in the order they are written:
    the text version of the diagram."""
    processes = []
    for process in _processes(name, content):
        steps = [Step(element.tag.rsplit("}", 1)[-1], " ".join(str(element.get("name") or element.get("id")).split()))
                 for element in process.iter(*(f"{{{BPMN_NS}}}{kind}" for kind in STEP_KINDS))]
        processes.append((str(process.get("name") or process.get("id")), steps))
    return processes
