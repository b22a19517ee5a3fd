"""Language: Dutch by default, English switchable; the choice is kept in the session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, g, has_request_context, redirect, request, session
from flask_babel import get_locale
from werkzeug.wrappers import Response

from processes.amounts import file_size_text

LANGUAGES = ("nl", "en")
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return "nl"


def current_lang() -> str:
    return select_locale()


def file_size(size: int | None) -> str:
    """A file's size for the initiator's and the staff's pages alike (filter ``file_size``)."""
    return file_size_text(int(size or 0), current_lang())


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: never an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.get("/taal/<lang>")
def switch(lang: str) -> Response:
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")))


def labels_per_request(build: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
    """Build a table of translated labels once per request and language: pages look labels up
    hundreds of times (every audit row, every field), and each translation is a lookup through
    Flask-Babel's request context. Callers read the table; they never change it."""
    key = build.__qualname__

    @wraps(build)
    def cached() -> dict[str, str]:
        if not has_request_context():
            return build()
        tables: dict[tuple[str, str], dict[str, str]] = g.setdefault("_loket_labels", {})
        wanted = (key, str(get_locale()))
        found = tables.get(wanted)
        if found is None:
            found = tables[wanted] = build()
        return found

    return cached
