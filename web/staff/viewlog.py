"""Pages that show an initiative's personal data write who opened them to the access log, after
the page is sent (the privacyfunctionaris reads it; see :mod:`processes.access_log`)."""

from __future__ import annotations

import logging

from werkzeug.wrappers import Response

from processes import access_log
from web.staff.auth import principal
from web.staff.common import loket

log = logging.getLogger(__name__)


def logged_view(response: Response, instance_id: int, action: str) -> Response:
    """``response``, with the access-log entry for it written once it has been sent; a page
    that did not open (an error status) is not logged."""
    if response.status_code != 200:
        return response
    site, who = loket(), principal()

    def write() -> None:
        try:
            access_log.log_view(site, who, instance_id, action)
        except Exception:  # the page was sent; a lost entry is logged loudly, never raised into the server
            log.exception("access log: %s of instance %s by %s not written", action, instance_id, who.email)

    response.call_on_close(write)
    return response
