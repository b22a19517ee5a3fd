"""Compare two versions of the model bundle: which elements, properties, expressions, form
questions, texts and scenarios were added, removed or changed — in words, and as element ids to
colour on the diagrams."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import select

from engine import ModelBundle, ModelVersion, NotFound, UnsafeXml, parse_xml
from processes.loket import Loket
from processes.scenario_files import is_scenario_file

ADDED, REMOVED, CHANGED = "toegevoegd", "verwijderd", "gewijzigd"
SKIPPED_TAGS = {"incoming", "outgoing"}
"""Which flows come in and go out is said by the flows themselves."""
DRAWING_NAMESPACES = ("http://www.omg.org/spec/BPMN/20100524/DI", "http://www.omg.org/spec/DD/20100524/DC",
                      "http://www.omg.org/spec/DD/20100524/DI", "https://www.omg.org/spec/DMN/20191111/DMNDI/")
MAX_TEXT_LINES = 12


@dataclass(frozen=True)
class Change:
    file: str
    kind: str
    """``toegevoegd``, ``verwijderd`` or ``gewijzigd``."""
    what: str
    """The element id, form id or text name."""
    label: str
    details: tuple[str, ...] = ()
    drawn: str | None = None
    """The element on the diagram that shows this change (a timer's event, a cell's rule)."""


@dataclass
class Comparison:
    old_label: str
    new_label: str
    changes: list[Change] = field(default_factory=list)

    def markers(self, name: str) -> dict[str, list[str]]:
        """Per kind of change, the element ids of one diagram to colour."""
        found: dict[str, list[str]] = {ADDED: [], REMOVED: [], CHANGED: []}
        for change in self.changes:
            if change.file == name and change.drawn and change.drawn not in found[change.kind]:
                found[change.kind].append(change.drawn)
        return found

    @property
    def diagrams(self) -> list[str]:
        return sorted({change.file for change in self.changes if change.file.endswith(".bpmn")})


def _local(tag: Any) -> str:
    return str(tag).rpartition("}")[2] if isinstance(tag, str) else ""


def _is_drawing(element: Any) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(tuple("{" + ns for ns in DRAWING_NAMESPACES))


def _segment(element: Any) -> str:
    name = element.get("name") if element.get("id") is None else None
    return f"{_local(element.tag)}[{name}]" if name else _local(element.tag)


def _fingerprint(element: Any) -> dict[str, str]:
    """What an element says: its attributes and, below it, everything that has no id of its own."""
    found = {f"@{key}": value for key, value in element.attrib.items() if key != "id"}
    if (element.text or "").strip():
        found["text"] = element.text.strip()

    def walk(node: Any, path: str) -> None:
        for child in node:
            if not isinstance(child.tag, str) or child.get("id") is not None or _local(child.tag) in SKIPPED_TAGS:
                continue
            key = f"{path}/{_segment(child)}" if path else _segment(child)
            for attribute, value in child.attrib.items():
                found[f"{key}@{attribute}"] = value
            if (child.text or "").strip():
                found[key] = child.text.strip()
            walk(child, key)

    walk(element, "")
    return found


def _readable(key: str) -> str:
    """``extensionElements/properties/property[statusText]@value`` → ``statusText``."""
    parts = [part for part in key.split("/") if part not in ("extensionElements", "properties")]
    last = parts[-1] if parts else key
    if last.startswith("property[") and last.endswith("]@value"):
        return last[len("property["):-len("]@value")]
    return "/".join(parts).replace("@", " ").strip() or key


def _elements(data: bytes, name: str) -> dict[str, Any]:
    try:
        root = parse_xml(data, name)
    except UnsafeXml:
        return {}
    return {element.get("id"): element for element in root.iter()
            if isinstance(element.tag, str) and element.get("id") and not _is_drawing(element)
            and _local(element.tag) not in ("definitions",)}


CONTAINERS = {"process", "subProcess", "decisionTable"}


def _drawn(element: Any) -> Any:
    """The element itself, or the one around it that stands in a process or table (a shape, a rule)."""
    node = element
    while node is not None and node.getparent() is not None and _local(node.getparent().tag) not in CONTAINERS:
        node = node.getparent()
    return node if node is not None and node.getparent() is not None else element


def _label(element: Any) -> str:
    own = element.get("name") or element.get("label")
    if own:
        return str(own)
    outer = _drawn(element)
    if _local(outer.tag) == "rule":
        rules = [child for child in outer.getparent() if _local(child.tag) == "rule"]
        return f"regel {rules.index(outer) + 1}"
    return str(outer.get("name") or outer.get("id") or _local(element.tag))


def _shown(value: str | None) -> str:
    if value is None:
        return "(niets)"
    return f"'{value}'" if len(value) <= 200 else f"'{value[:200]}…'"


def _model_changes(name: str, old: bytes | None, new: bytes | None) -> list[Change]:
    before = _elements(old, name) if old is not None else {}
    after = _elements(new, name) if new is not None else {}
    changes = [Change(name, ADDED, key, _label(after[key]), (), _drawn(after[key]).get("id"))
               for key in sorted(set(after) - set(before))]
    changes += [Change(name, REMOVED, key, _label(before[key]), (), _drawn(before[key]).get("id"))
                for key in sorted(set(before) - set(after))]
    for key in sorted(set(before) & set(after)):
        was, now = _fingerprint(before[key]), _fingerprint(after[key])
        if was != now:
            details = tuple(f"{_readable(item)}: {_shown(was.get(item))} → {_shown(now.get(item))}"
                            for item in sorted(set(was) | set(now)) if was.get(item) != now.get(item))
            changes.append(Change(name, CHANGED, key, _label(after[key]), details, _drawn(after[key]).get("id")))
    return changes


def _form(data: bytes | None) -> dict[str, Any]:
    try:
        raw = json.loads(data.decode("utf-8")) if data is not None else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _question_words(form: dict[str, Any], name: str) -> dict[str, Any]:
    schema = form.get("schema") or {}
    return {"veld": (form.get("fields") or {}).get(name), "schema": (schema.get("properties") or {}).get(name),
            "verplicht": name in (schema.get("required") or [])}


def _form_changes(name: str, old: bytes | None, new: bytes | None) -> list[Change]:
    form_id = PurePosixPath(name).stem
    if old is None or new is None:
        return [Change(name, ADDED if old is None else REMOVED, form_id, f"formulier {form_id}")]
    was, now = _form(old), _form(new)
    fields_was, fields_now = set(was.get("fields") or {}), set(now.get("fields") or {})
    details = [f"vraag {field_name} toegevoegd" for field_name in sorted(fields_now - fields_was)]
    details += [f"vraag {field_name} verwijderd" for field_name in sorted(fields_was - fields_now)]
    details += [f"vraag {field_name} gewijzigd" for field_name in sorted(fields_was & fields_now)
                if _question_words(was, field_name) != _question_words(now, field_name)]
    for key in ("title", "description", "steps"):
        if was.get(key) != now.get(key):
            details.append({"title": "titel gewijzigd", "description": "uitleg gewijzigd",
                            "steps": "stappen gewijzigd"}[key])
    return [Change(name, CHANGED, form_id, f"formulier {form_id}", tuple(details))] if details or old != new else []


def _text_changes(name: str, old: bytes | None, new: bytes | None, what: str) -> list[Change]:
    label = f"{what} {PurePosixPath(name).name}"
    if old is None or new is None:
        return [Change(name, ADDED if old is None else REMOVED, PurePosixPath(name).name, label)]
    lines = [line for line in difflib.unified_diff(old.decode("utf-8", "replace").splitlines(),
                                                   new.decode("utf-8", "replace").splitlines(), lineterm="", n=0)
             if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return [Change(name, CHANGED, PurePosixPath(name).name, label, tuple(lines[:MAX_TEXT_LINES]))]


def compare_bundles(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[Change]:
    """Every change from ``old`` to ``new``, file by file."""
    changes: list[Change] = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        suffix = PurePosixPath(name).suffix.lower()
        if suffix in (".bpmn", ".dmn"):
            changes += _model_changes(name, before, after)
        elif suffix == ".json" and is_scenario_file(name):
            changes += _text_changes(name, before, after, "scenario")
        elif suffix == ".json":
            changes += _form_changes(name, before, after)
        else:
            changes += _text_changes(name, before, after, "tekst")
    return changes


def _bundle_of(loket: Loket, version_id: int) -> tuple[str, dict[str, bytes]]:
    with loket.reading() as session:
        found = session.execute(select(ModelVersion.process_id, ModelVersion.version_no, ModelBundle.files)
                                .join(ModelBundle, ModelBundle.id == ModelVersion.bundle_id)
                                .where(ModelVersion.id == version_id)).first()
    if found is None:
        raise NotFound(str(version_id))
    process_id, version_no, files = found
    return f"{process_id} versie {version_no}", {name: text.encode("utf-8") for name, text in (files or {}).items()}


def compare_versions(loket: Loket, old_version_id: int, new_version_id: int) -> Comparison:
    """The changes between the bundles of two versions; NotFound for a version that does not exist."""
    old_label, old = _bundle_of(loket, old_version_id)
    new_label, new = _bundle_of(loket, new_version_id)
    return Comparison(old_label, new_label, compare_bundles(old, new))


def version_file(loket: Loket, version_id: int, name: str) -> bytes | None:
    """One file of a version's bundle (to draw an old diagram with what was removed)."""
    return _bundle_of(loket, version_id)[1].get(name)
