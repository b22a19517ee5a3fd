"""The case file (dossier) and its actions: message, ask for information, other guide, contact
moment, its files and its diagram."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from processes import case_actions, casefile
from processes.access import GUIDE_ADMIN_ROLES, WORKER_ROLES
from processes.errors import Refused
from processes.messages import MessageRejected
from processes.vocabulary import CONTACT_CHANNELS
from web.formview import answer_text, summary_rows
from web.i18n import current_lang
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import file_response, form_id, loket, reason_text
from web.staff.viewlog import logged_view
from web.staff.wording import words

CATEGORY_FIELDS = ("categorie_voorstel", "categorie_regel", "categorie_uitleg", "categorie_uitleg_en", "categorie",
                   "categorie_akkoord", "categorie_gekozen", "afwijking_reden", "categorie_overschreven")


def _other_data(data: dict[str, Any], asked: list[str]) -> list[tuple[str, str]]:
    """Case data not on the start form nor in an assessment, in words, for the "all data" section."""
    lookup = words()
    assessed = [name for item in lookup.assessments(data) for name in lookup.form_fields.get(item.form_id, [])]
    return lookup.rows(data, skip=[*asked, *CATEGORY_FIELDS, *assessed])


def _audit_changes(detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The answers of a completed task, in words: (question, answer)."""
    changes = (detail or {}).get("changes")
    if not isinstance(changes, dict):
        return []
    lookup = words()
    return [row for key, change in changes.items() if (row := lookup.change(key, change)) is not None]


def _back(case_ref: str, anchor: str = "") -> Response:
    return redirect(url_for("staff.case_file", case_ref=case_ref) + (f"#{anchor}" if anchor else ""))


@bp.get("/dossier/<case_ref>")
@requires(WORKER_ROLES)
def case_file(case_ref: str) -> Response:
    file = casefile.open_case_file(loket(), principal(), case_ref)
    lang = current_lang()
    intake_rows = summary_rows(file.start_form, file.data, lang) if file.start_form else []
    asked = list(file.start_form.fields) if file.start_form else []
    page = render_template(
        "staff/case.html", file=file, case=file.case, data=file.data, lang=lang,
        intake_rows=intake_rows, other_rows=_other_data(file.data, asked),
        workable=file.workable, askable=list(file.askable), guides=list(file.guides),
        can_reassign=principal().has_any(GUIDE_ADMIN_ROLES), audit_changes=_audit_changes,
        channels=CONTACT_CHANNELS, answer_text=answer_text,
    )
    return logged_view(make_response(page), file.case.id, "dossier")


@bp.post("/dossier/<case_ref>/bericht")
@requires(WORKER_ROLES)
def case_message(case_ref: str) -> Response:
    try:
        case_actions.send_message(loket(), principal(), case_ref, request.form.get("bericht", ""))
    except MessageRejected:
        flash(_("Uw bericht is niet verstuurd: schrijf een bericht van hoogstens 5000 tekens."))
    else:
        flash(_("Uw bericht is verstuurd. De initiatiefnemer krijgt een e-mail dat er nieuws is."))
    return _back(case_ref, "berichten")


@bp.post("/dossier/<case_ref>/aanvulling")
@requires(WORKER_ROLES)
def case_ask(case_ref: str) -> Response:
    try:
        case_actions.ask_information(loket(), principal(), case_ref, request.form.get("taak", ""),
                                     request.form.get("vraag", ""))
    except Refused as exc:
        flash(reason_text(exc.code))
        return _back(case_ref, "aanvulling")
    flash(_("Uw vraag is verstuurd. Het initiatief wacht nu op de aanvulling van de initiatiefnemer."))
    return _back(case_ref)


@bp.post("/dossier/<case_ref>/begeleider")
@requires(GUIDE_ADMIN_ROLES)
def case_guide(case_ref: str) -> Response:
    try:
        case_actions.reassign_guide(loket(), principal(), case_ref, form_id(request.form.get("begeleider")),
                                    request.form.get("reden", ""))
    except Refused as exc:
        flash(reason_text(exc.code))
        return _back(case_ref, "begeleider")
    flash(_("De nieuwe begeleider is gekoppeld. Open taken van de vorige begeleider zijn meegegaan."))
    return _back(case_ref)


@bp.post("/dossier/<case_ref>/contact")
@requires(WORKER_ROLES)
def case_contact(case_ref: str) -> Response:
    contact = case_actions.Contact(request.form.get("kanaal", ""), request.form.get("samenvatting", ""))
    try:
        case_actions.log_contact(loket(), principal(), case_ref, contact)
    except Refused as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("Het contactmoment is vastgelegd."))
    return _back(case_ref, "contact")


@bp.get("/dossier/<case_ref>/documenten/<public_id>")
@requires(WORKER_ROLES)
def case_document(case_ref: str, public_id: str) -> Response:
    found = casefile.case_document(loket(), principal(), case_ref, public_id)
    response = file_response(found.content, found.content_type, download_name=found.filename)
    response.content_length = found.size
    return response


@bp.get("/dossier/<case_ref>/model/<process_id>")
@requires(WORKER_ROLES)
def case_diagram(case_ref: str, process_id: str) -> Response:
    """The diagram of a case, for the case file's "where is it now" picture."""
    return file_response(casefile.case_diagram(loket(), principal(), case_ref, process_id), "application/xml")

