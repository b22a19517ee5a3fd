"""Every text the web layer shows in Dutch has an English translation in one of the catalogs."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

WEB = Path(__file__).parents[2] / "web"
CALLS = re.compile(
    r"""(?<![\w.])(?:_|gettext|lazy_gettext)\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*[,)]""", re.S
)


def used_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(WEB.rglob("*")):
        if path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue
        for match in CALLS.finditer(path.read_text(encoding="utf-8")):
            text = match.group("text").encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            found.setdefault(text, str(path.relative_to(WEB)))
    return found


def translations() -> dict[str, str]:
    catalog: dict[str, str] = {}
    for po in WEB.rglob("en/LC_MESSAGES/messages.po"):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if message.id and isinstance(message.id, str) and message.string:
                    catalog[message.id] = str(message.string)
    return catalog


def test_every_shown_text_has_an_english_translation() -> None:
    used = used_msgids()
    known = translations()
    missing = {text: where for text, where in used.items() if text not in known}
    assert used, "the scan found no texts at all"
    assert missing == {}, f"untranslated: {missing}"
