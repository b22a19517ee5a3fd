"""Incidents (procesbeheerder) and organisation data (beheerder)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import engine, reason_text
from web.staff.services import admin as service
from web.staff.services.access import ADMIN_ROLES, INCIDENT_ROLES
from web.staff.services.errors import NotAllowedHere
from web.staff.services.kcc import access_log


@bp.get("/storingen")
@requires(INCIDENT_ROLES)
def incidents() -> str:
    return render_template("staff/incidents.html", incidents=service.incidents(engine()))


@bp.post("/storingen/<int:job_id>/opnieuw")
@requires(INCIDENT_ROLES)
def incident_retry(job_id: int) -> Response:
    engine().retry_job(job_id, actor=principal().email)
    flash(_("De storing wordt opnieuw geprobeerd. Ververs de pagina over een minuut."))
    return redirect(url_for("staff.incidents"))


@bp.get("/beheer")
@requires(ADMIN_ROLES)
def admin() -> str:
    with engine().db.transaction() as session:
        guides = service.guides(session)
        budgets, fund = service.budgets(session)
        users = service.users(session)
        districts = service.districts(session)
        log = access_log(session, limit=50)
        return render_template("staff/admin.html", guides=guides, budgets=budgets, fund=fund, users=users,
                               districts=districts, log=log, expertise=service.EXPERTISE)


@bp.post("/beheer/begeleiders/<int:guide_id>")
@requires(ADMIN_ROLES)
def admin_guide(guide_id: int) -> Response:
    try:
        with engine().db.transaction() as session:
            guide = service.update_guide(session, guide_id, expertise=request.form.getlist("kennis"),
                                         active=request.form.get("actief") == "on",
                                         district=request.form.get("wijk") or None)
            name = guide.name
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=name))
    return redirect(url_for("staff.admin") + "#begeleiders")


@bp.post("/beheer/budgetten/<int:budget_id>")
@requires(ADMIN_ROLES)
def admin_budget(budget_id: int) -> Response:
    try:
        with engine().db.transaction() as session:
            service.update_budget(session, budget_id, service.parse_amount(request.form.get("bedrag", "")))
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("Het budget is opgeslagen."))
    return redirect(url_for("staff.admin") + "#budgetten")
