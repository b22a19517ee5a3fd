"""Who is logged in to "Mijn initiatieven": a login session on the server
(:mod:`processes.sessions`) whose token is in the signed session cookie, started only by a
login link (no passwords for initiators). Logging out deletes the session, so a copy of the
cookie opens nothing any more."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import current_app, g, redirect, request, session, url_for

from processes import clock, sessions
from processes.portal_login import Login, use_login_link
from web import current_loket
from web.caching import forbid_storing
from web.public import bp

SESSION_KEY = "initiatiefnemer"
"""The cookie's key for the token of the initiator's session."""
F = TypeVar("F", bound=Callable[..., Any])
_UNKNOWN = object()

# Every public page may hold personal data (the start form's answers, the confirmation,
# Mijn initiatieven, files): none may be stored.
bp.after_request(forbid_storing)


def current_initiator() -> str | None:
    """The logged-in initiator's e-mail address, asked of the server once per request."""
    known = g.get("initiator", _UNKNOWN)
    if known is _UNKNOWN:
        token = session.get(SESSION_KEY)
        known = sessions.initiator_of(current_loket(), token) if token else None
        if token and known is None:
            session.pop(SESSION_KEY, None)  # ended or expired: the cookie forgets it too
        g.initiator = known
    return cast(str | None, known)


def log_in_with_link(token: str) -> Login | None:
    """Use a login link: a new session (a new token: no fixation); an earlier initiator's
    session in this browser and the confirmation of a sent form are dropped. The language
    choice and a staff login in the same browser are kept."""
    earlier = session.get(SESSION_KEY)
    login = use_login_link(current_loket(), token, ending=[earlier],
                           session_expires_at=clock.now() + current_app.permanent_session_lifetime)
    if login is None:
        return None
    for key in (SESSION_KEY, "verzonden"):
        session.pop(key, None)
    session[SESSION_KEY] = login.session_token
    session.permanent = True
    g.initiator = login.email
    return login


def log_out() -> None:
    token = session.pop(SESSION_KEY, None)
    if token:
        sessions.log_out(current_loket(), [token])
    g.initiator = None


def initiator_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_initiator() is None:
            return redirect(url_for("public.login", next=request.path))
        return view(*args, **kwargs)

    return cast(F, wrapper)
