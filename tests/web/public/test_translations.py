"""Every text of the portal is translatable and translated into English."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.web_support import ROOT, check_page

PO_FILE = ROOT / "web/public/translations/en/LC_MESSAGES/messages.po"
TEMPLATES = [*sorted((ROOT / "web/templates/public").glob("*.html")),
             *sorted((ROOT / "web/templates/site").glob("*.html")),
             ROOT / "web/templates/forms/macros.html"]
PYTHON = [*sorted((ROOT / "web/public").glob("*.py")), ROOT / "web/site.py"]
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _msgids() -> dict[str | tuple[str, ...], Path]:
    found: dict[str | tuple[str, ...], Path] = {}
    for path in TEMPLATES:
        for _line, message, _comments, _context in extract_from_file("jinja2.ext:babel_extract", str(path)):
            found.setdefault(message, path)
    for path in PYTHON:
        for _line, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            found.setdefault(message, path)
    return found


def _catalog() -> dict[str, object]:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in catalog if m.id}


def test_every_msgid_of_the_portal_has_an_english_translation() -> None:
    catalog = _catalog()
    used = _msgids()
    assert len(used) > 100
    missing = [m for m in used if (m if isinstance(m, str) else m[0]) not in catalog]
    assert missing == [], f"add these to {PO_FILE.name}: {missing}"
    for message in used:
        key = message if isinstance(message, str) else message[0]
        translation = catalog[key]
        texts = list(translation) if isinstance(translation, tuple | list) else [translation]
        assert all(texts), f"empty translation for {key!r}"
        for text in texts:
            assert set(PLACEHOLDER.findall(key)) == set(PLACEHOLDER.findall(str(text))), key


def test_no_stale_entries() -> None:
    used = {m if isinstance(m, str) else m[0] for m in _msgids()}
    assert sorted(set(_catalog()) - used) == []


def test_english_pages_have_no_dutch_interface_text(client: FlaskClient) -> None:
    client.get("/taal/en")
    for url in ("/", "/indeling", "/aanmelden/stap/wie", "/aanmelden/stap/afronden", "/inloggen"):
        soup = check_page(client.get(url).text)
        assert soup.html.get("lang") == "en"
        for element in soup.find_all(lang="nl"):
            element.decompose()  # texts from the diagrams that exist in Dutch only are marked as such
        text = soup.get_text(" ", strip=True)
        for dutch in (" het ", " uw ", " een ", "Volgende", "niet verplicht", "werkdagen", "Stap "):
            assert dutch not in f" {text} ", (url, dutch)
