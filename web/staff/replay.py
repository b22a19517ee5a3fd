"""The decision-table editor's "Terugkijken op eerdere initiatieven" panel: the categorisation
table as it is on the screen (sent by the editor, not deployed) replayed on the stored intakes of
all initiatives or of a period (``processes.replay``, the same as ``loket models replay``). The
answer is JSON with the outcome rendered here: the counts per category then and now, and a page
of the initiatives that would switch, with the rule that fired then and the one that fires now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from flask import abort, jsonify, render_template, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from forms import format_number
from processes import replay as service
from processes import studio
from processes.access import KCC_ROLES, MODEL_ROLES, WORKER_ROLES
from web.i18n import current_lang
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import category_names, loket
from web.staff.studio import upload_error_text

URL = "/processen/bewerken/<path:name>/terugkijken"
YEARS = (1900, 2999)
MAX_SKIP = 10_000_000
"""Further than any pilot's switches: a larger "vanaf" is a made-up request, not a page."""


@dataclass
class _Posted:
    """The posted table under the name of the file being edited (the browser's name is not
    trusted to say which file it is)."""

    upload: FileStorage
    filename: str | None

    def read(self, size: int = -1) -> bytes:
        return self.upload.read(size)


class _BadPeriod(ValueError):
    """The period cannot be read: the message says why (translated), ``field`` where."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _table_in_use(name: str) -> bytes:
    """The decision table in use that is being edited; 404 for anything else."""
    content = studio.file_in_use(loket(), name) if PurePosixPath(name).suffix.lower() == ".dmn" else None
    if content is None:
        abort(404)
    return content


def _day(field: str, label: str) -> date | None:
    text = request.form.get(field, "").strip()[:40]
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not YEARS[0] <= day.year <= YEARS[1]:  # also keeps "the day after" within the calendar
        raise _BadPeriod(_("Vul bij ‘%(label)s’ een datum in, zoals 2025-03-31.", label=label), field)
    return day


def _period() -> tuple[date | None, date | None]:
    since, until = _day("van", _("Van (dag)")), _day("tot", _("Tot en met (dag)"))
    if since and until and until < since:
        raise _BadPeriod(_("De dag bij ‘Tot en met’ ligt vóór de dag bij ‘Van’. Kies een andere periode."), "tot")
    return since, until


def _skip() -> int:
    text = request.form.get("vanaf", "").strip()[:20]
    return min(int(text), MAX_SKIP) if text.isascii() and text.isdigit() else 0


def _case_endpoint() -> str | None:
    """Where a listed reference links to: the case file for who may open case files, the KCC's
    view for the contact centre, no link for who may open neither (a process owner alone)."""
    if principal().has_any(WORKER_ROLES):
        return "staff.case_file"
    if principal().has_any(KCC_ROLES):
        return "staff.kcc_case"
    return None


def _answer(status: int, invalid: tuple[str, ...] = (), **context: object) -> tuple[Response, int]:
    """The outcome as JSON for the panel's script: rendered here (translated and escaped like
    every page), with the period fields to mark as wrong."""
    lang = current_lang()
    html = render_template("staff/editor_replay_result.html", names=category_names(), case_endpoint=_case_endpoint(),
                           amount=lambda value: format_number(value, lang, money=True), **context)
    return jsonify(html=html, invalid=list(invalid)), status


@bp.get(URL)
@requires(MODEL_ROLES)
def model_editor_replay_panel(name: str) -> Response:
    """The panel for the editor page as JSON (like every answer to the editor's script), when the
    table decides the category; nothing (204) for any other table."""
    basename = PurePosixPath(name).name
    if not service.decides_category(_table_in_use(name), basename):
        return Response(status=204)
    return jsonify(html=render_template("staff/editor_replay_panel.html", name=name))


@bp.post(URL)
@requires(MODEL_ROLES)
def model_editor_replay(name: str) -> tuple[Response, int]:
    """Replay the table as the editor sends it on the initiatives of the period asked for."""
    _table_in_use(name)
    basename = PurePosixPath(name).name
    upload = request.files.get("bestand")
    try:
        since, until = _period()
        files = studio.read_uploads([_Posted(upload, basename)] if upload is not None else [])
    except _BadPeriod as problem:
        return _answer(400, (problem.field,), problem=str(problem))
    except studio.UploadInvalid as problem:
        return _answer(400, problem=upload_error_text(problem))
    try:
        report = service.replay_edited(loket(), basename, files[basename], since=since, until=until, skip=_skip())
    except service.TableUnusable as unusable:
        return _answer(400, problem=_("Met deze tabel kan niet worden teruggekeken."), detail=str(unusable),
                       problems=unusable.problems)
    return _answer(200, report=report, since=since, until=until, page=service.PAGE)
