"""Every text the staff workspace shows is Dutch in the code and has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[3]
STAFF_PO = ROOT / "web" / "staff" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
BASE_PO = ROOT / "web" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
SOURCES = [
    (ROOT / "web" / "staff", [("**.py", "python")]),
    (ROOT / "web" / "templates" / "staff", [("**.html", "jinja2.ext:babel_extract")]),
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def used_messages() -> dict[str | tuple[str, ...], str]:
    found: dict[str | tuple[str, ...], str] = {}
    for folder, method_map in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(str(folder), method_map):
            found.setdefault(message, f"{folder.name}/{filename}:{lineno}")
    return found


def catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def translated(message: str | tuple[str, ...], catalogs: list[Catalog]) -> str | tuple[str, ...] | None:
    key = message[0] if isinstance(message, tuple) else message
    for cat in catalogs:
        entry = cat.get(key)
        if entry is None or entry.fuzzy:
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if all(strings):
            return entry.string
    return None


def test_the_extraction_finds_the_workspace_texts() -> None:
    used = used_messages()
    assert len(used) > 200
    assert "Mijn taken" in used and ("%(num)d taak", "%(num)d taken") in used


def test_every_message_used_has_an_english_translation() -> None:
    catalogs = [catalog(STAFF_PO), catalog(BASE_PO)]
    missing = [f"{where}: {message!r}" for message, where in used_messages().items()
               if translated(message, catalogs) is None]
    assert missing == [], "untranslated:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    catalogs = [catalog(STAFF_PO), catalog(BASE_PO)]
    wrong = []
    for message in used_messages():
        english = translated(message, catalogs)
        sources = message if isinstance(message, tuple) else (message,)
        targets = english if isinstance(english, tuple) else (english,)
        for source, target in zip(sources, targets, strict=False):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target or "")):
                wrong.append((source, target))
    assert wrong == []


def test_the_staff_catalogue_has_no_stale_or_fuzzy_entries() -> None:
    used = {message[0] if isinstance(message, tuple) else message for message in used_messages()}
    entries = [entry for entry in catalog(STAFF_PO) if entry.id]
    assert [entry.id for entry in entries if entry.fuzzy] == []
    stale = [entry.id for entry in entries if (entry.id[0] if isinstance(entry.id, tuple) else entry.id) not in used]
    assert stale == []
