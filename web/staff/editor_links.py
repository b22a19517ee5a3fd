"""Which editor in the browser opens a file of the bundle in use, by the file's kind: the
Processen page links every file it can to its editor. An editor for another kind of file adds
its line here."""

from __future__ import annotations

from pathlib import PurePosixPath

EDITORS: dict[str, str] = {
    ".bpmn": "staff.model_editor",
    ".dmn": "staff.model_editor",
}


def editor_endpoint(name: str) -> str | None:
    """The endpoint (taking ``name``) of the editor for this file; None when there is none."""
    return EDITORS.get(PurePosixPath(name).suffix.lower())
