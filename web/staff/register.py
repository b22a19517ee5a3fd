"""Register an initiative on behalf of a caller or visitor: the start form, filled in by staff."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from forms import FieldError, FormDefinition, clean
from processes import casefile, intake
from processes.access import REGISTER_ROLES
from processes.documents import MAX_FILE_BYTES, MAX_FILES, Upload
from processes.intake import SubmissionFailed, SubmissionRejected
from processes.vocabulary import ATTACHMENTS_FIELD as ATTACHMENTS
from processes.vocabulary import REGISTER_CHANNELS as CHANNELS
from web.formview import FieldView, field_views
from web.i18n import current_lang
from web.i18n import gettext as _
from web.public.formhelp import check_uploads, uploads_for
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import error_page, loket

OWN_FIELDS = ("kanaal", "taal")
"""Asked separately on this page: how the initiator contacted us, and their language."""


def _fields(definition: FormDefinition, values: dict[str, Any], errors: list[FieldError]) -> list[FieldView]:
    views = field_views(definition, step=None, values=values, errors=errors, lang=current_lang())
    return [_with_file_rules(view) for view in views if view.name not in OWN_FIELDS]


def _with_file_rules(view: FieldView) -> FieldView:
    if view.widget != "file":
        return view
    rules = _("PDF, JPG, PNG, DOCX, XLSX, ODT of TXT; hoogstens %(size)d MB per bestand en %(num)d bestanden.",
              size=MAX_FILE_BYTES // (1024 * 1024), num=MAX_FILES)
    return replace(view, help=f"{view.help} {rules}".strip())


def _render(definition: FormDefinition, values: dict[str, Any], errors: list[FieldError],
            status: int = 200) -> tuple[str, int]:
    own_errors = {error.field: error.message for error in errors if error.field in OWN_FIELDS}
    return render_template("staff/register.html", definition=definition, fields=_fields(definition, values, errors),
                           values=values, own_errors=own_errors, channels=CHANNELS, lang=current_lang(),
                           all_errors=errors), status


@bp.get("/aanmelden")
@requires(REGISTER_ROLES)
def register() -> tuple[str, int]:
    definition = intake.intake_form(loket())
    return _render(definition, {"taal": "nl"}, [])


def _checked_form(definition: FormDefinition) -> tuple[dict[str, Any], list[FieldError], list[Upload]]:
    """The typed answers, every problem (answers, channel, files) and the files; nothing stored."""
    values, errors = clean(definition, request.form, step=None, lang=current_lang())
    values.pop(ATTACHMENTS, None)  # only files, never ids typed into the form
    errors = [error for error in errors if error.field != ATTACHMENTS]
    if str(values.get("kanaal") or "") not in CHANNELS:
        errors = [error for error in errors if error.field != "kanaal"]
        errors.append(FieldError("kanaal", _("Kies hoe de initiatiefnemer contact opnam.")))
    uploads = uploads_for([ATTACHMENTS])[ATTACHMENTS]
    errors += check_uploads({ATTACHMENTS: uploads}, current_lang(), MAX_FILES)
    return values, errors, uploads


def _choose_again(errors: list[FieldError], uploads: list[Upload]) -> list[FieldError]:
    """Files are kept only when the whole form is right: ask to choose them again."""
    if uploads and not any(error.field == ATTACHMENTS for error in errors):
        errors = [*errors, FieldError(ATTACHMENTS, _("Kies de bijlagen opnieuw. We bewaren bijlagen pas als alle "
                                                      "antwoorden kloppen."))]
    return errors


@bp.post("/aanmelden")
@requires(REGISTER_ROLES)
def register_post() -> tuple[str, int] | Response:
    definition = intake.intake_form(loket())
    values, errors, uploads = _checked_form(definition)
    if errors:
        return _render(definition, values, _choose_again(errors, uploads), 400)
    try:
        info = intake.register_on_behalf(loket(), values, channel=str(values["kanaal"]), actor=principal().email,
                                  uploads=uploads)
    except SubmissionRejected as exc:
        return _render(definition, values, _choose_again(exc.errors, uploads), 400)
    except SubmissionFailed:
        return error_page(503, _("Aanmelden lukte niet"),
                          _("Er ging bij ons iets mis. Er is niets opgeslagen. "
                            "Probeer het over een paar minuten opnieuw."))
    return redirect(url_for("staff.register_done", case_ref=info.case_ref))


@bp.get("/aanmelden/<case_ref>/klaar")
@requires(REGISTER_ROLES)
def register_done(case_ref: str) -> str:
    return render_template("staff/register_done.html", case=casefile.registered_case(loket(), case_ref))
