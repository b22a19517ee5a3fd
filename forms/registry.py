"""Find form definitions by id in a folder of ``<id>.json`` files; load each once and keep it."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from forms.checks import ID_PATTERN, find_problems
from forms.definition import DEFAULT_LANG, FormDefinition
from forms.parse import parse_definition
from forms.problems import FormDefinitionError, problem

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "definitions"


class FormNotFound(LookupError):
    """There is no form definition with this id."""

    def __init__(self, form_id: str) -> None:
        self.form_id = form_id
        super().__init__(f"Het formulier '{form_id}' bestaat niet. / The form '{form_id}' does not exist.")


def _read_json(path: Path) -> Any:
    """The parsed file; raises ``FormDefinitionError`` when it is not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormDefinitionError([problem("bad_json", detail=str(exc))], source=path.name) from exc


class FormRegistry:
    """The form definitions in ``directory`` (default: ``forms/definitions``).

    Definitions are read on first use and kept; :meth:`clear` forgets them (after an edit).
    :meth:`get` refuses a definition with mistakes, naming them all.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else DEFAULT_DIRECTORY
        self._cache: dict[str, FormDefinition] = {}
        self._lock = threading.Lock()

    def _path(self, form_id: str) -> Path | None:
        if not isinstance(form_id, str) or not ID_PATTERN.fullmatch(form_id):
            return None
        path = self.directory / f"{form_id}.json"
        return path if path.is_file() else None

    def exists(self, form_id: str) -> bool:
        return form_id in self._cache or self._path(form_id) is not None

    def ids(self) -> list[str]:
        """The ids of all definitions in the folder, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(path.stem for path in self.directory.glob("*.json") if ID_PATTERN.fullmatch(path.stem))

    def get(self, form_id: str) -> FormDefinition:
        """The definition; ``FormNotFound`` if there is none, ``FormDefinitionError`` if it is wrong."""
        cached = self._cache.get(form_id)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._cache.get(form_id)
            if cached is None:
                cached = self._load(form_id)
                self._cache[form_id] = cached
            return cached

    def _load(self, form_id: str) -> FormDefinition:
        path = self._path(form_id)
        if path is None:
            raise FormNotFound(form_id)
        raw = _read_json(path)
        problems = find_problems(raw, expected_id=form_id)
        if problems:
            raise FormDefinitionError(problems, source=path.name)
        return parse_definition(raw)

    def definitions(self) -> list[FormDefinition]:
        """Every definition, sorted by id (raises on the first broken one)."""
        return [self.get(form_id) for form_id in self.ids()]

    def clear(self) -> None:
        """Forget the loaded definitions, so the next :meth:`get` reads the files again."""
        with self._lock:
            self._cache.clear()

    def check_definitions(self, lang: str = DEFAULT_LANG) -> list[str]:
        """Every mistake in every ``*.json`` file in the folder, as ``"<file>: <sentence>"``."""
        if not self.directory.is_dir():
            return []
        found: list[str] = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                raw = _read_json(path)
            except FormDefinitionError as exc:
                found.extend(f"{path.name}: {item.message(lang)}" for item in exc.problems)
                continue
            found.extend(f"{path.name}: {item.message(lang)}" for item in find_problems(raw, path.stem))
        return found
