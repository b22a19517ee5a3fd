"""Pages with personal data must not be kept by the browser or a proxy: after logout, the
back button or the next user of a shared computer would otherwise still see them."""

from __future__ import annotations

from flask import request
from werkzeug.wrappers import Response


def forbid_storing(response: Response) -> Response:
    """``Cache-Control: no-store`` on every response of the area (pages, downloads, redirects),
    but not on its static files: those hold no personal data and may be cached."""
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static") or response.cache_control.no_store:
        return response
    # Replaces what send_file sets (no-cache: kept, but checked before use).
    response.headers["Cache-Control"] = "no-store"
    return response
