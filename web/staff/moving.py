"""The process owner moves running initiatives to a newer version: first a dry run that says per
initiative whether it can move and why not, then the move of the chosen ones."""

from __future__ import annotations

from flask import flash, render_template, request

from processes import moving as service
from processes.access import MODEL_ROLES
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import loket

MAX_NAME = 200


def _chosen() -> tuple[str, int | None, str | None]:
    values = request.form if request.method == "POST" else request.args
    process_id = (values.get("proces") or "")[:MAX_NAME]
    number = values.get("versie") or ""
    step = (values.get("stap") or "").strip()[:MAX_NAME] or None
    return process_id, int(number) if number.isdigit() and len(number) < 9 else None, step


@bp.route("/processen/verplaatsen", methods=["GET", "POST"])
@requires(MODEL_ROLES)
def moving() -> tuple[str, int]:
    process_id, number, step = _chosen()
    if not process_id or number is None:
        problem = _("Kies op de pagina Processen de versie waar de initiatieven heen moeten.")
        return render_template("staff/moving.html", target=None, checks=[], moved=[], step=step, problem=problem), 400
    try:
        target = service.target(loket(), process_id, number)
    except service.InvalidInput:
        return render_template("staff/moving.html", target=None, checks=[], moved=[], step=step,
                               problem=_("Deze versie bestaat niet.")), 404
    moved: list[service.Moved] = []
    if request.method == "POST":
        refs = request.form.getlist("initiatief")[:service.MAX_CASES]
        chosen = service.candidates(loket(), target, case_refs=refs) if refs else []
        moved = service.move(loket(), target, chosen, actor=principal().email)
        done = sum(result.reason is None for result in moved)
        flash(_("%(done)s van %(count)s initiatieven staan nu op %(target)s.", done=done, count=len(moved),
                target=target.label))
    checks = service.candidates(loket(), target, at=step)
    return render_template("staff/moving.html", target=target, checks=checks, moved=moved, step=step,
                           problem=None), 200
