"""Downloads of the dashboard: CSV and XLSX of the initiatives and of the steps, for the same
filters (procesbeheerder and beheerder; a team lead's dashboard has no downloads)."""

from __future__ import annotations

from flask import abort, request
from werkzeug.wrappers import Response

from processes.monitoring.exports import FORMATS, WHAT, export
from web.staff import bp
from web.staff.auth import requires
from web.staff.common import file_response, loket
from web.staff.monitor import read_filters, viewer_scope

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/monitor/export/<what>.<fmt>")
@requires(None)
def monitor_export(what: str, fmt: str) -> Response:
    if not viewer_scope().everything:
        abort(403)
    if what not in WHAT or fmt not in FORMATS:
        abort(404)
    filters, _problems = read_filters(request.args)
    content = export(loket(), what, fmt, filters)
    return file_response(content, MIMETYPES[fmt], download_name=f"{what}.{fmt}")
