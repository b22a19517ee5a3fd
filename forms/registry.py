"""Find form definitions by id — in a folder of ``<id>.json`` files (:class:`FormRegistry`) or in
the files of a model bundle (:class:`FormSet`) — load each once and keep it."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from forms.checks import ID_PATTERN, find_problems
from forms.definition import DEFAULT_LANG, FormDefinition
from forms.parse import parse_definition
from forms.problems import DefinitionProblem, FormDefinitionError, problem

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "definitions"


class FormNotFound(LookupError):
    """There is no form definition with this id."""

    def __init__(self, form_id: str) -> None:
        self.form_id = form_id
        super().__init__(f"Het formulier '{form_id}' bestaat niet. / The form '{form_id}' does not exist.")


def _parse_json(data: bytes, source: str) -> Any:
    """The parsed content; raises ``FormDefinitionError`` when it is not valid JSON."""
    try:
        return json.loads(data.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormDefinitionError([problem("bad_json", detail=str(exc))], source=source) from exc


class _Forms:
    """What both sources share: the cache, loading, listing and checking."""

    def __init__(self) -> None:
        self._cache: dict[str, FormDefinition] = {}
        self._lock = threading.Lock()

    def _sources(self) -> dict[str, str]:
        """Form id → where it is (a file name); only ids that are valid."""
        raise NotImplementedError

    def _bytes(self, source: str) -> bytes:
        raise NotImplementedError

    def exists(self, form_id: str) -> bool:
        return form_id in self._cache or form_id in self._sources()

    def ids(self) -> list[str]:
        """The ids of all definitions, sorted."""
        return sorted(self._sources())

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
        source = self._sources().get(form_id) if isinstance(form_id, str) else None
        if source is None:
            raise FormNotFound(form_id)
        raw = _parse_json(self._bytes(source), PurePosixPath(source).name)
        problems = find_problems(raw, expected_id=form_id)
        if problems:
            raise FormDefinitionError(problems, source=PurePosixPath(source).name)
        return parse_definition(raw)

    def definitions(self) -> list[FormDefinition]:
        """Every definition, sorted by id (raises on the first broken one)."""
        return [self.get(form_id) for form_id in self.ids()]

    def clear(self) -> None:
        """Forget the loaded definitions, so the next :meth:`get` reads them again."""
        with self._lock:
            self._cache.clear()

    def problems_per_file(self) -> dict[str, list[DefinitionProblem]]:
        """Every mistake in every form file, per file (name as given)."""
        found: dict[str, list[DefinitionProblem]] = {}
        for source in self._all_files():
            try:
                raw = _parse_json(self._bytes(source), PurePosixPath(source).name)
            except FormDefinitionError as exc:
                found[source] = list(exc.problems)
                continue
            problems = find_problems(raw, PurePosixPath(source).stem)
            if problems:
                found[source] = list(problems)
        return found

    def _all_files(self) -> list[str]:
        """Every ``*.json`` file, also one whose name is no valid id (that is a mistake too)."""
        raise NotImplementedError

    def check_definitions(self, lang: str = DEFAULT_LANG) -> list[str]:
        """Every mistake in every ``*.json`` file, as ``"<file>: <sentence>"``."""
        return [f"{PurePosixPath(source).name}: {item.message(lang)}"
                for source, problems in self.problems_per_file().items() for item in problems]


class FormRegistry(_Forms):
    """The form definitions in ``directory`` (default: ``forms/definitions``).

    Definitions are read on first use and kept; :meth:`clear` forgets them (after an edit).
    :meth:`get` refuses a definition with mistakes, naming them all.
    """

    def __init__(self, directory: Path | None = None) -> None:
        super().__init__()
        self.directory = Path(directory) if directory is not None else DEFAULT_DIRECTORY

    def _all_files(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(path.name for path in self.directory.glob("*.json") if path.is_file())

    def _sources(self) -> dict[str, str]:
        return {PurePosixPath(name).stem: name for name in self._all_files()
                if ID_PATTERN.fullmatch(PurePosixPath(name).stem)}

    def exists(self, form_id: str) -> bool:
        if form_id in self._cache:
            return True
        if not isinstance(form_id, str) or not ID_PATTERN.fullmatch(form_id):
            return False
        return (self.directory / f"{form_id}.json").is_file()

    def _bytes(self, source: str) -> bytes:
        return (self.directory / source).read_bytes()


_PARSED_LIMIT = 256
_parsed: OrderedDict[tuple[str, str], FormDefinition] = OrderedDict()
_parsed_lock = threading.Lock()


class FormSet(_Forms):
    """The form definitions among a set of files (name → content): every ``*.json`` file, its
    id the file name without ``.json``, wherever it is in the set (``forms/intake.json``).

    A set lives as long as one request (a draft's files), so definitions are also kept across
    sets by their content: the same file is checked against the schema and parsed once."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        super().__init__()
        self.files = {name: data for name, data in files.items() if name.lower().endswith(".json")}
        self._by_id = {PurePosixPath(name).stem: name for name in sorted(self.files)
                       if ID_PATTERN.fullmatch(PurePosixPath(name).stem)}

    def _all_files(self) -> list[str]:
        return sorted(self.files)

    def _sources(self) -> dict[str, str]:
        return self._by_id

    def _bytes(self, source: str) -> bytes:
        return self.files[source]

    def _load(self, form_id: str) -> FormDefinition:
        source = self._sources().get(form_id) if isinstance(form_id, str) else None
        if source is None:
            raise FormNotFound(form_id)
        key = (form_id, hashlib.sha256(self.files[source]).hexdigest())
        with _parsed_lock:
            found = _parsed.get(key)
        if found is None:
            found = super()._load(form_id)
            with _parsed_lock:
                _parsed[key] = found
                while len(_parsed) > _PARSED_LIMIT:
                    _parsed.popitem(last=False)
        return found
