"""Language: Dutch by default, English switchable; the choice is kept in the session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, has_request_context, redirect, request, session
from flask_babel import force_locale as babel_force_locale
from flask_babel import get_locale, get_translations
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext
from flask_babel.speaklater import LazyString
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
        tables: dict[tuple[str, int], dict[str, str]] = g.setdefault("_loket_labels", {})
        # The request's catalogue stands for its locale (one per locale and process).
        wanted = (key, id(_catalog()))
        found = tables.get(wanted)
        if found is None:
            found = tables[wanted] = build()
        return found

    return cached


# Cached translations --------------------------------------------------------------------------
# Flask-Babel finds the catalogue anew at every call (request context, domain, locale, cache);
# a staff page translates hundreds of texts. The catalogues are read once per process and never
# change while it runs (Flask-Babel keeps them the same way), so a translated text per (locale,
# text) is kept per application. The request's catalogue is looked up once, when the request
# starts, and kept in a context variable until it ends; ``force_locale`` (below) sets another.
_TABLES = "loket_translated"
Catalog = tuple[Any, dict[tuple[str, ...], str]]
"""Flask-Babel's merged catalogue of a locale and the texts translated from it so far."""
_REQUEST_CATALOG: ContextVar[Catalog | None] = ContextVar("loket_request_catalog", default=None)


def _catalog_of_locale() -> Catalog:
    catalogs: dict[str, Catalog] = current_app.extensions.setdefault(_TABLES, {})
    key = str(get_locale())
    found = catalogs.get(key)
    if found is None:
        found = catalogs[key] = (get_translations(), {})
    return found


def _catalog() -> Catalog | None:
    """The current locale's catalogue and table, or None outside a request."""
    found = _REQUEST_CATALOG.get()
    if found is not None:
        return found
    return _catalog_of_locale() if has_request_context() else None


def _request_started() -> None:
    _REQUEST_CATALOG.set(_catalog_of_locale())


def _request_ended(_error: BaseException | None) -> None:
    _REQUEST_CATALOG.set(None)


@contextmanager
def force_locale(lang: str) -> Iterator[None]:
    """Flask-Babel's ``force_locale``, for the cached translations too."""
    with babel_force_locale(lang):
        token = _REQUEST_CATALOG.set(_catalog_of_locale() if has_request_context() else None)
        try:
            yield
        finally:
            _REQUEST_CATALOG.reset(token)


def gettext(msgid: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext``, from the per-process table."""
    catalog = _catalog()
    if catalog is None:
        return babel_gettext(msgid, **variables)
    translations, table = catalog
    key = (msgid,)
    text = table.get(key)
    if text is None:
        text = table[key] = translations.ugettext(msgid)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ``ngettext``, from the per-process table (one entry per plural form used)."""
    if _catalog() is None:
        return babel_ngettext(singular, plural, num, **variables)
    variables.setdefault("num", num)
    return _plural_text(singular, plural, num) % variables


def _plural_text(singular: str, plural: str, num: int) -> str:
    """The translated text for ``num``, not yet filled in (templates fill it in themselves)."""
    catalog = _catalog()
    if catalog is None:
        return str(get_translations().ungettext(singular, plural, num))
    translations, table = catalog
    key = (singular, plural, str(translations.plural(num)))
    text = table.get(key)
    if text is None:
        text = table[key] = translations.ungettext(singular, plural, num)
    return text


def lazy_gettext(msgid: str, **variables: Any) -> LazyString:
    """Translated when shown, with :func:`gettext` (for texts made at import time)."""
    return LazyString(gettext, msgid, **variables)


def install_cached_translations(app: Flask) -> None:
    """Templates translate through the same table (after Flask-Babel installed its own); the
    request's catalogue is found before anything else runs."""
    app.before_request_funcs.setdefault(None, []).insert(0, _request_started)
    app.teardown_request(_request_ended)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: gettext(text), ngettext=_plural_text, newstyle=True)
