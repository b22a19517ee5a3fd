"""The process owner's drafts as JSON, for the editors in the browser: read, keep and throw away
the owner's draft of a file in use (``processes.studio_drafts``). Each answer carries the
sentences the editor shows, translated and with the time written out here."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from processes import studio_drafts
from processes.access import MODEL_ROLES
from processes.studio_drafts import Draft, DraftRefused
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import loket, staff_datetime

URL = "/processen/concepten/<path:name>"
MAX_REQUEST = studio_drafts.MAX_DRAFT_BYTES + 64 * 1024
"""A draft of 5 MB as JSON (its characters may be escaped: a little room for that is allowed, the
draft itself is measured again)."""


def draft_texts() -> dict[str, str]:
    """What an editor says about drafts ({time} is filled in there)."""
    return {
        "save": _("Concept bewaren"),
        "offer": _("U heeft een concept van {time}. Het is nog niet in gebruik."),
        "continue": _("Verder met het concept"),
        "discard": _("Weggooien"),
        "saved": _("Uw concept is bewaard ({time}). Alleen u ziet het; het is nog niet in gebruik."),
        "discarded": _("Uw concept is weggegooid."),
        "resumed": _("Uw concept staat nu in de editor. Het is nog niet in gebruik."),
        "openFailed": _("Het concept kan niet in de editor worden geopend."),
        "failed": _("Het concept kon niet worden bewaard. Controleer uw verbinding en probeer het opnieuw."),
        "loggedOut": _("Het concept is niet bewaard: u bent uitgelogd of de pagina is verlopen. Uw wijzigingen "
                       "staan nog hier. Log in een nieuw tabblad opnieuw in en kies dan hier opnieuw."),
    }


def _draft(draft: Draft | None) -> dict[str, Any] | None:
    if draft is None:
        return None
    return {"name": draft.name, "content": draft.content, "saved_at": draft.saved_at.isoformat(),
            "time": staff_datetime(draft.saved_at)}


def _refused(problem: DraftRefused) -> tuple[Response, int]:
    messages = {
        "not_draftable": (404, _("Van dit bestand kan geen concept worden bewaard: het is niet in gebruik.")),
        "too_large": (413, _("Het concept is groter dan 5 MB en is niet bewaard.")),
        "not_text": (400, _("Het concept bevat tekens die niet in een bestand kunnen en is niet bewaard.")),
    }
    status, message = messages.get(problem.code, (400, _("Het concept is niet bewaard.")))
    return jsonify(saved=False, error=message), status


@bp.get(URL)
@requires(MODEL_ROLES)
def studio_draft(name: str) -> tuple[Response, int]:
    if not studio_drafts.draftable(loket(), name):
        return jsonify(draft=None, error=_("Dit bestand is niet in gebruik.")), 404
    draft = studio_drafts.load(loket(), principal().email, name)
    return jsonify(name=name, draft=_draft(draft), texts=draft_texts()), 200


@bp.put(URL)
@requires(MODEL_ROLES)
def studio_draft_save(name: str) -> tuple[Response, int]:
    if (request.content_length or 0) > MAX_REQUEST:
        return _refused(DraftRefused("too_large", name))
    payload = request.get_json(silent=True) if request.is_json else None
    content = payload.get("content") if isinstance(payload, dict) else None
    if not isinstance(content, str):
        return jsonify(saved=False, error=_("Stuur het concept als JSON met de tekst in ‘content’.")), 400
    try:
        draft = studio_drafts.save(loket(), principal().email, name, content)
    except DraftRefused as problem:
        return _refused(problem)
    time = staff_datetime(draft.saved_at)
    return jsonify(saved=True, saved_at=draft.saved_at.isoformat(), time=time,
                   message=draft_texts()["saved"].replace("{time}", time)), 200


@bp.delete(URL)
@requires(MODEL_ROLES)
def studio_draft_discard(name: str) -> tuple[Response, int]:
    count = studio_drafts.discard(loket(), principal().email, [name])
    return jsonify(discarded=bool(count), message=draft_texts()["discarded"]), 200
