"""The case file (dossier) and its actions: message, ask for information, other guide, contact moment."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engine.tables import ProcessInstance
from web.casefile.messages import MessageRejected
from web.casefile.models import Document
from web.formview import answer_text, summary_rows
from web.i18n import current_lang
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import engine, file_response, form_id, reason_text, registry
from web.staff.services import casefile as service
from web.staff.services import taskwork
from web.staff.services.access import GUIDE_ADMIN_ROLES, WORKER_ROLES, may_view_case, may_work_on
from web.staff.services.errors import AccessDenied, NotAllowedHere
from web.staff.wording import words

INTAKE_FORM = "intake"
CATEGORY_FIELDS = ("categorie_voorstel", "categorie_regel", "categorie_uitleg", "categorie", "categorie_akkoord",
                   "categorie_gekozen", "afwijking_reden", "categorie_overschreven")


def viewable_case(case_ref: str) -> ProcessInstance:
    """The case, if this user may see its file (403 otherwise, 404 when it does not exist)."""
    with engine().db.transaction() as session:
        case = service.case_by_ref(session, case_ref)
        if not may_view_case(session, principal(), case.id):
            raise AccessDenied(case_ref)
        return case


def _other_data(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Case data not on the start form, in words, for the "all data" section."""
    intake = registry().get(INTAKE_FORM)
    return words().rows(data, skip=[*intake.fields, *CATEGORY_FIELDS])


def _audit_changes(detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The answers of a completed task, in words: (question, answer)."""
    changes = (detail or {}).get("changes")
    if not isinstance(changes, dict):
        return []
    lookup = words()
    return [row for key, change in changes.items() if (row := lookup.change(key, change)) is not None]


@bp.get("/dossier/<case_ref>")
@requires(WORKER_ROLES)
def case_file(case_ref: str) -> str:
    user = principal()
    case = viewable_case(case_ref)
    file = service.load_case_file(engine(), case.case_ref)
    lang = current_lang()
    intake = registry().get(INTAKE_FORM)
    askable = [task for task in file.tasks if may_work_on(user, task) and task.form_id
               and taskwork.can_ask_information(registry().get(task.form_id))]
    with engine().db.transaction() as session:
        guides = service.active_guides(session) if user.has_any(GUIDE_ADMIN_ROLES) else []
    return render_template(
        "staff/case.html", file=file, case=file.case, data=file.data, lang=lang,
        intake_rows=summary_rows(intake, file.data, lang), other_rows=_other_data(file.data),
        workable={task.task_id for task in file.tasks if may_work_on(user, task)}, askable=askable,
        guides=guides, can_reassign=user.has_any(GUIDE_ADMIN_ROLES), audit_changes=_audit_changes,
        channels=service.CHANNELS, answer_text=answer_text,
    )


@bp.post("/dossier/<case_ref>/bericht")
@requires(WORKER_ROLES)
def case_message(case_ref: str) -> Response:
    case = viewable_case(case_ref)
    try:
        with engine().db.transaction() as session:
            service.send_message(session, principal(), session.get(ProcessInstance, case.id) or case,
                                 request.form.get("bericht", ""))
    except MessageRejected:
        flash(_("Uw bericht is niet verstuurd: schrijf een bericht van hoogstens 5000 tekens."))
    else:
        flash(_("Uw bericht is verstuurd. De initiatiefnemer krijgt een e-mail dat er nieuws is."))
    return redirect(url_for("staff.case_file", case_ref=case.case_ref) + "#berichten")


@bp.post("/dossier/<case_ref>/aanvulling")
@requires(WORKER_ROLES)
def case_ask(case_ref: str) -> Response:
    case = viewable_case(case_ref)
    task_id = request.form.get("taak", "")
    try:
        taskwork.ask_information(engine(), registry(), principal(), task_id, request.form.get("vraag", ""))
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
        return redirect(url_for("staff.case_file", case_ref=case.case_ref) + "#aanvulling")
    flash(_("Uw vraag is verstuurd. Het initiatief wacht nu op de aanvulling van de initiatiefnemer."))
    return redirect(url_for("staff.case_file", case_ref=case.case_ref))


@bp.post("/dossier/<case_ref>/begeleider")
@requires(GUIDE_ADMIN_ROLES)
def case_guide(case_ref: str) -> Response:
    case = viewable_case(case_ref)
    guide_id = form_id(request.form.get("begeleider"))
    if guide_id is None:
        flash(reason_text("unknown_guide"))
        return redirect(url_for("staff.case_file", case_ref=case.case_ref) + "#begeleider")
    try:
        service.reassign_guide(engine(), principal(), case.case_ref, guide_id, request.form.get("reden", ""))
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
        return redirect(url_for("staff.case_file", case_ref=case.case_ref) + "#begeleider")
    flash(_("De nieuwe begeleider is gekoppeld. Open taken van de vorige begeleider zijn meegegaan."))
    return redirect(url_for("staff.case_file", case_ref=case.case_ref))


@bp.post("/dossier/<case_ref>/contact")
@requires(WORKER_ROLES)
def case_contact(case_ref: str) -> Response:
    case = viewable_case(case_ref)
    try:
        with engine().db.transaction() as session:
            service.log_contact(session, principal(), case.id, request.form.get("kanaal", ""),
                                request.form.get("samenvatting", ""))
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("Het contactmoment is vastgelegd."))
    return redirect(url_for("staff.case_file", case_ref=case.case_ref) + "#contact")


@bp.get("/dossier/<case_ref>/documenten/<public_id>")
@requires(WORKER_ROLES)
def case_document(case_ref: str, public_id: str) -> Response:
    case = viewable_case(case_ref)
    with engine().db.transaction() as session:
        document = session.scalar(select(Document).where(Document.public_id == public_id[:36],
                                                         Document.instance_id == case.id))
        if document is None:
            abort(404)
        content, content_type, filename = document.content, document.content_type, document.filename
    return file_response(content, content_type, download_name=filename)
