"""The diagram of a case, for the case file's "where is it now" picture."""

from __future__ import annotations

from werkzeug.wrappers import Response

from web.staff import bp
from web.staff.auth import requires
from web.staff.casefile import viewable_case
from web.staff.common import engine, file_response
from web.staff.services.access import WORKER_ROLES
from web.staff.services.diagrams import case_model


@bp.get("/dossier/<case_ref>/model/<process_id>")
@requires(WORKER_ROLES)
def case_diagram(case_ref: str, process_id: str) -> Response:
    case = viewable_case(case_ref)
    return file_response(case_model(engine(), case.id, process_id[:200]), "application/xml")
