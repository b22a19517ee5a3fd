"""Incidents: the process owner sees failed jobs and retries them.

The beheerder's organisation data: :mod:`web.staff.orgadmin`."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from processes import incidents as service
from processes.access import INCIDENT_ROLES
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import ID, loket


def incident_kinds() -> dict[str, str]:
    return {"step": _("Proces liep vast"), "service": _("Automatische stap"), "mail": _("E-mail"),
            "timer": _("Termijn")}


@bp.get("/storingen")
@requires(INCIDENT_ROLES)
def incidents() -> str:
    return render_template("staff/incidents.html", incidents=service.incidents(loket()), incident_kinds=incident_kinds)


@bp.post(f"/storingen/<{ID}:job_id>/opnieuw")
@requires(INCIDENT_ROLES)
def incident_retry(job_id: int) -> Response:
    service.retry(loket(), principal().email, job_id)
    flash(_("De storing wordt opnieuw geprobeerd. Ververs de pagina over een minuut."))
    return redirect(url_for("staff.incidents"))
