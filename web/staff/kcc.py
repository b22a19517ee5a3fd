"""The contact centre (KCC): search, a read-only case view, and logging a contact moment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from processes import case_actions, kcc
from processes.access import KCC_ROLES
from processes.errors import Refused
from processes.vocabulary import CONTACT_CHANNELS
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import file_response, loket, reason_text


@bp.get("/kcc")
@requires(KCC_ROLES)
def kcc_search() -> str:
    query = request.args.get("q", "").strip()[:200]
    results = kcc.search(loket(), principal(), query, page=_page_number(request.args.get("pagina")))
    too_short = 0 < len(query) < kcc.MIN_QUERY
    return render_template("staff/kcc_search.html", query=query, results=results, too_short=too_short,
                           count_limit=kcc.COUNT_LIMIT)


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 7 else 1


@bp.get("/kcc/<case_ref>")
@requires(KCC_ROLES)
def kcc_case(case_ref: str) -> str:
    view = kcc.view_case(loket(), principal(), case_ref)
    return render_template("staff/kcc_case.html", view=view, case=view.case, data=view.data,
                           channels=CONTACT_CHANNELS)


@bp.get("/kcc/<case_ref>/model/<process_id>")
@requires(KCC_ROLES)
def kcc_diagram(case_ref: str, process_id: str) -> Response:
    """The process model of a case the contact centre looks at."""
    return file_response(kcc.case_diagram(loket(), case_ref, process_id), "application/xml")


@bp.post("/kcc/<case_ref>/contact")
@requires(KCC_ROLES)
def kcc_contact(case_ref: str) -> Response:
    contact = case_actions.Contact(request.form.get("kanaal", ""), request.form.get("samenvatting", ""))
    try:
        case_actions.log_kcc_contact(loket(), principal(), case_ref, contact)
    except Refused as exc:
        message = reason_text(exc.code)
    else:
        message = _("Het contactmoment is vastgelegd. De behandelaar ziet het in het dossier.")
    flash(message)
    return redirect(url_for("staff.kcc_case", case_ref=case_ref[:40]) + "#contact")
