"""Register an initiative on behalf of a caller or visitor: the start form, filled in by staff."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms import FieldError, FormDefinition, clean
from web.formview import FieldView, field_views
from web.i18n import current_lang
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import engine, error_page, registry
from web.staff.services import casefile as case_service
from web.staff.services.access import REGISTER_ROLES
from web.staff.services.register import CHANNELS, SubmissionFailed, SubmissionRejected, register_on_behalf

START_FORM = "intake"
OWN_FIELDS = ("kanaal", "taal")
"""Asked separately on this page: how the initiator contacted us, and their language."""
LEFT_OUT = ("bijlagen",)
"""Attachments come in later through the initiator's own page or by e-mail."""


def _fields(definition: FormDefinition, values: dict[str, Any], errors: list[FieldError]) -> list[FieldView]:
    views = field_views(definition, step=None, values=values, errors=errors, lang=current_lang())
    return [view for view in views if view.name not in OWN_FIELDS + LEFT_OUT]


def _render(definition: FormDefinition, values: dict[str, Any], errors: list[FieldError],
            status: int = 200) -> tuple[str, int]:
    own_errors = {error.field: error.message for error in errors if error.field in OWN_FIELDS}
    return render_template("staff/register.html", definition=definition, fields=_fields(definition, values, errors),
                           values=values, own_errors=own_errors, channels=CHANNELS, lang=current_lang(),
                           all_errors=errors), status


@bp.get("/aanmelden")
@requires(REGISTER_ROLES)
def register() -> tuple[str, int]:
    definition = registry().get(START_FORM)
    return _render(definition, {"taal": "nl"}, [])


@bp.post("/aanmelden")
@requires(REGISTER_ROLES)
def register_post() -> tuple[str, int] | Response:
    definition = registry().get(START_FORM)
    values, errors = clean(definition, request.form, step=None, lang=current_lang())
    channel = str(values.get("kanaal") or "")
    if channel not in CHANNELS:
        errors = [error for error in errors if error.field != "kanaal"]
        errors.append(FieldError("kanaal", _("Kies hoe de initiatiefnemer contact opnam.")))
    if errors:
        return _render(definition, values, errors, 400)
    try:
        info = register_on_behalf(engine(), values, channel=channel, actor=principal().email)
    except SubmissionRejected as exc:
        return _render(definition, values, exc.errors, 400)
    except SubmissionFailed:
        return error_page(503, _("Aanmelden lukte niet"),
                          _("Er ging bij ons iets mis. Er is niets opgeslagen. "
                            "Probeer het over een paar minuten opnieuw."))
    return redirect(url_for("staff.register_done", case_ref=info.case_ref))


@bp.get("/aanmelden/<case_ref>/klaar")
@requires(REGISTER_ROLES)
def register_done(case_ref: str) -> str:
    with engine().db.transaction() as session:
        case = case_service.case_by_ref(session, case_ref)
    return render_template("staff/register_done.html", case=case)
