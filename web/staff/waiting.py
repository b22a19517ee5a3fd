"""The process owner sees where initiatives wait: per step of a process, how many wait there
now (and how many are overdue) and how long they spent there over a period, coloured on the
diagram by time; a step lists the initiatives waiting there."""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from processes import waiting as service
from processes.access import MODEL_ROLES
from web.staff import bp
from web.staff.auth import requires
from web.staff.common import loket


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


@bp.get("/processen/wachten/<process_id>")
@requires(MODEL_ROLES)
def waiting(process_id: str) -> tuple[str, int]:
    since, until = _day("van"), _day("tot")
    overview = service.where_cases_wait(loket(), process_id, since=since, until=until)
    element = request.args.get("stap", "")[:200] or None
    cases = service.cases_waiting_at(loket(), process_id, element) if element else []
    diagram = service.diagram_of(loket(), process_id)
    status = 200 if diagram or overview.elements else 404
    return render_template("staff/waiting.html", process_id=process_id, overview=overview, diagram=diagram,
                           since=since, until=until, element=element, cases=cases), status
