"""Which editor in the browser opens a file of the bundle in use, by the file's kind: the
Processen page links every file it can to its editor. An editor for another kind of file adds
its line here."""

from __future__ import annotations

from pathlib import PurePosixPath

from processes.scenario_files import is_scenario_file

EDITORS: dict[str, str] = {
    ".bpmn": "staff.model_editor",
    ".dmn": "staff.model_editor",
    ".json": "staff.form_editor",
    ".txt": "staff.text_editor",
}


def editor_endpoint(name: str) -> str | None:
    """The endpoint (taking ``name``) of the editor for this file; None when there is none (a
    scenario is JSON too, but no form)."""
    if is_scenario_file(name):
        return None
    return EDITORS.get(PurePosixPath(name).suffix.lower())
