"""The process owner compares two versions of the models: what was added, removed or changed,
listed per file and coloured on the diagrams."""

from __future__ import annotations

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from processes import compare as service
from processes import versions
from processes.access import MODEL_ROLES
from processes.errors import NotFound
from web.staff import bp
from web.staff.auth import requires
from web.staff.common import ID, MAX_ID, file_response, loket


def _version_id(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


@bp.get("/processen/vergelijken")
@requires(MODEL_ROLES)
def compare() -> tuple[str, int]:
    rows = versions.overview(loket())
    old_id, new_id = _version_id("van"), _version_id("naar")
    comparison, status = None, 200
    if old_id is not None and new_id is not None:
        try:
            comparison = service.compare_versions(loket(), old_id, new_id)
        except NotFound:
            status = 404
    return render_template("staff/compare.html", processes=rows, old_id=old_id, new_id=new_id,
                           comparison=comparison), status


@bp.get(f"/processen/vergelijken/<{ID}:version_id>/<path:name>")
@requires(MODEL_ROLES)
def compare_file(version_id: int, name: str) -> Response:
    try:
        content = service.version_file(loket(), version_id, name)
    except NotFound:
        abort(404)
    return file_response(content, "application/xml")
