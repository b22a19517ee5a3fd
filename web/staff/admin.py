"""Incidents: the process owner sees failed jobs and retries them.

The beheerder's organisation data: :mod:`web.staff.orgadmin`."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import ID, engine
from web.staff.services import admin as service
from web.staff.services.access import INCIDENT_ROLES


@bp.get("/storingen")
@requires(INCIDENT_ROLES)
def incidents() -> str:
    return render_template("staff/incidents.html", incidents=service.incidents(engine()))


@bp.post(f"/storingen/<{ID}:job_id>/opnieuw")
@requires(INCIDENT_ROLES)
def incident_retry(job_id: int) -> Response:
    engine().retry_job(job_id, actor=principal().email)
    flash(_("De storing wordt opnieuw geprobeerd. Ververs de pagina over een minuut."))
    return redirect(url_for("staff.incidents"))
