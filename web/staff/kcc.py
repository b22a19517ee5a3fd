"""The contact centre (KCC): search, a read-only case view, and logging a contact moment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import engine, file_response, reason_text
from web.staff.services import casefile as case_service
from web.staff.services import kcc as service
from web.staff.services.access import KCC_ROLES
from web.staff.services.diagrams import case_model
from web.staff.services.errors import NotAllowedHere


@bp.get("/kcc")
@requires(KCC_ROLES)
def kcc_search() -> str:
    query = request.args.get("q", "").strip()[:200]
    results = service.SearchPage([], 0, 1, service.PAGE_SIZE)
    if query:
        with engine().db.transaction() as session:
            results = service.search(session, principal(), query, page=_page_number(request.args.get("pagina")))
    too_short = 0 < len(query) < service.MIN_QUERY
    return render_template("staff/kcc_search.html", query=query, results=results, too_short=too_short)


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 7 else 1


@bp.get("/kcc/<case_ref>")
@requires(KCC_ROLES)
def kcc_case(case_ref: str) -> str:
    view = service.view_case(engine(), principal(), case_ref)
    return render_template("staff/kcc_case.html", view=view, case=view.case, data=view.data,
                           channels=case_service.CHANNELS)


@bp.get("/kcc/<case_ref>/model/<process_id>")
@requires(KCC_ROLES)
def kcc_diagram(case_ref: str, process_id: str) -> Response:
    """The process model of a case the contact centre looks at (no personal data in it, so the
    page view's log entry covers it)."""
    with engine().db.transaction() as session:
        instance_id = case_service.case_by_ref(session, case_ref).id
    return file_response(case_model(engine(), instance_id, process_id[:200]), "application/xml")


@bp.post("/kcc/<case_ref>/contact")
@requires(KCC_ROLES)
def kcc_contact(case_ref: str) -> Response:
    with engine().db.transaction() as session:
        case = case_service.case_by_ref(session, case_ref)
        try:
            case_service.log_contact(session, principal(), case.id, request.form.get("kanaal", ""),
                                     request.form.get("samenvatting", ""))
        except NotAllowedHere as exc:
            message = reason_text(exc.code)
        else:
            message = _("Het contactmoment is vastgelegd. De behandelaar ziet het in het dossier.")
        ref = case.case_ref
    flash(message)
    return redirect(url_for("staff.kcc_case", case_ref=ref) + "#contact")
