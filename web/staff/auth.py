"""Login and sessions of the staff workspace, and the ``requires`` decorator every route uses.

- Accounts: :mod:`processes.accounts`; slowing down password guessing (no account lock):
  :mod:`processes.throttle`.
- Every login is a session on the server (:mod:`processes.sessions`): the cookie carries its
  token, logging out deletes it, so a copy of the cookie stops working too. A session ends after
  ``PERMANENT_SESSION_LIFETIME`` (absolute, checked on the server too) and after
  ``STAFF_IDLE_TIMEOUT`` without a request (default 30 minutes).
- No page of the workspace may be stored by the browser or a proxy (``Cache-Control: no-store``).
- The login POST is also rate limited per client address (Flask-Limiter); every form has a CSRF
  token; logout is a POST.
- An account whose password a beheerder set ("must change password") reaches only the
  change-password page (and logout) until the user chose a new password (not when the local
  login form is switched off: then the password is of no use).
- With the organisation's sign-on (:mod:`web.staff.sso`, OpenID Connect) the login page also
  offers "Inloggen met uw organisatie-account"; the local form can be switched off. Such a login
  gets the same kind of session; logging out also ends the session at the provider when it
  offers an ``end_session_endpoint``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from processes import clock, sessions
from processes.access import (
    ADMIN_ROLES,
    ALL_ROLES,
    INCIDENT_ROLES,
    KCC_ROLES,
    MODEL_ROLES,
    PRIVACY_ROLES,
    REGISTER_ROLES,
    WORKER_ROLES,
    Principal,
)
from processes.accounts import authenticate
from processes.monitoring import may_monitor
from processes.monitoring.dashboard import FULL_ROLES
from processes.throttle import THROTTLED
from web import current_loket
from web.caching import forbid_storing
from web.extensions import limiter, login_manager
from web.i18n import gettext as _
from web.i18n import safe_next
from web.public.auth import SESSION_KEY as INITIATOR_SESSION
from web.staff import bp, sso

LOGIN_AT = "staff_login_at"
SEEN = "staff_seen"
SESSION_TOKEN = "staff_session"  # noqa: S105 - the name of a cookie key, not a secret
"""The token of this login's session on the server."""
DEFAULT_IDLE = timedelta(minutes=30)
LOGIN_LIMIT = "10 per minute"
OPEN_ENDPOINTS = frozenset({"staff.login", "staff.login_post", "staff.static", "staff.sso_start",
                            "staff.sso_callback"})
PASSWORD_ENDPOINTS = frozenset({"staff.password", "staff.password_post", "staff.logout"})
"""What a user who must change their password can reach."""


@login_manager.user_loader
def load_user(session_id: str) -> Principal | None:
    """Flask-Login's loader: only ids of staff sessions (``staff:<id>:<token>``)."""
    if not session_id.startswith("staff:"):
        return None
    return sessions.staff_principal(current_loket(), session_id, session.get(SESSION_TOKEN))


def current_principal() -> Principal | None:
    user = current_user._get_current_object()
    return user if isinstance(user, Principal) else None


def principal() -> Principal:
    """The logged-in user of a route protected by :func:`requires`."""
    found: Principal = g.staff_principal
    return found


def requires(roles: Iterable[str] | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Only logged-in staff with one of ``roles`` (``None``: any logged-in staff): others go to
    the login page (not logged in) or get 403 (logged in, other role)."""
    allowed = frozenset(roles) if roles is not None else None

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_principal()
            if user is None:
                target = request.full_path if request.method == "GET" else request.path
                return redirect(url_for("staff.login", next=target.rstrip("?")))
            if allowed is not None and not user.has_any(allowed):
                abort(403)
            g.staff_principal = user
            return view(*args, **kwargs)

        guarded.staff_roles = ALL_ROLES if allowed is None else allowed  # type: ignore[attr-defined]
        return guarded

    return decorate


def _idle_timeout() -> timedelta:
    value = current_app.config.get("STAFF_IDLE_TIMEOUT", DEFAULT_IDLE)
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def _session_expired() -> bool:
    now = clock.now().timestamp()
    login_at, seen = session.get(LOGIN_AT), session.get(SEEN)
    if not isinstance(login_at, int | float) or not isinstance(seen, int | float):
        return True
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    return now - seen > _idle_timeout().total_seconds() or now - login_at > lifetime


def _end_session() -> None:
    sessions.log_out(current_loket(), [session.get(SESSION_TOKEN)])
    logout_user()
    for key in (LOGIN_AT, SEEN, SESSION_TOKEN, sso.ID_TOKEN):
        session.pop(key, None)


def start_session(user: Principal, *, login_at: float | None = None) -> None:
    """A fresh session for ``user`` with a new token (no fixation): the browser's earlier
    sessions end, only the language choice is kept."""
    lang = session.get("lang")
    earlier = [session.get(SESSION_TOKEN), session.get(INITIATOR_SESSION)]
    now = clock.now().timestamp()
    started = login_at if login_at is not None else now
    expires_at = datetime.fromtimestamp(started, UTC) + current_app.permanent_session_lifetime
    token = sessions.start_staff_session(current_loket(), user.id, expires_at, ending=earlier)
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    session.permanent = True
    session[LOGIN_AT] = started
    session[SEEN] = now
    session[SESSION_TOKEN] = token


def _current_target() -> str | None:
    return request.full_path.rstrip("?") if request.method == "GET" else None


bp.after_request(forbid_storing)


@bp.before_request
def check_session() -> Response | None:
    user = current_principal()
    if request.endpoint in OPEN_ENDPOINTS or user is None:
        return None
    if _session_expired():
        _end_session()
        flash(_("Uw sessie is verlopen: u was een tijd niet actief of langer dan een werkdag ingelogd. "
                "Log opnieuw in."))
        return redirect(url_for("staff.login", next=_current_target()))
    session[SEEN] = clock.now().timestamp()
    if must_change_password(user) and request.endpoint not in PASSWORD_ENDPOINTS:
        return redirect(url_for("staff.password", next=_current_target()))
    return None


def must_change_password(user: Principal) -> bool:
    """Only where a local password can be used at all."""
    return user.must_change_password and not user.external and sso.local_login_allowed()


def may_change_password(user: Principal) -> bool:
    return not user.external and sso.local_login_allowed()


def _may_monitor(user: Principal) -> bool:
    """``may_monitor`` without a second query: the login check read the teams this user leads."""
    if user.lead_teams is None or user.has_any(FULL_ROLES):
        return may_monitor(current_loket(), user)
    return bool(user.lead_teams)


@bp.context_processor
def staff_navigation() -> dict[str, Any]:
    user = current_principal()
    items: list[tuple[str, str]] = []
    if user is not None and not must_change_password(user):
        items.append(("staff.home", _("Overzicht")))
        if user.has_any(WORKER_ROLES):
            items += [("staff.my_tasks", _("Mijn taken")), ("staff.team_tasks", _("Werkvoorraad"))]
        if user.has_any(KCC_ROLES):
            items.append(("staff.kcc_search", _("Zoeken (KCC)")))
        if user.has_any(REGISTER_ROLES):
            items.append(("staff.register", _("Aanmelden namens")))
        if user.has_any(INCIDENT_ROLES):
            items.append(("staff.incidents", _("Storingen")))
        if user.has_any(MODEL_ROLES):
            items.append(("staff.models", _("Processen")))
        if user.has_any(ADMIN_ROLES):
            items += [("staff.admin", _("Beheer")), ("staff.admin_users", _("Gebruikers"))]
        if _may_monitor(user):
            items.append(("staff.monitor", _("Monitor")))
        if user.has_any(PRIVACY_ROLES):
            items.append(("staff.access_log_page", _("Inzagelog")))
    return {"staff_nav": items, "staff_user": user,
            "staff_password_link": user is not None and may_change_password(user)}


@bp.get("/inloggen")
def login() -> str | Response:
    if current_principal() is not None:
        return redirect(url_for("staff.home"))
    return _login_page("", None, request.args.get("next", ""))


def _login_page(email: str, error: str | None, target: str) -> str:
    return render_template("staff/login.html", email=email, error=error, next=target,
                           sign_on=sso.client() is not None, local_login=sso.local_login_allowed())


def _error_text(outcome: str) -> str:
    """The same sentences for every address, known or not."""
    if outcome == THROTTLED:
        return _("Te veel pogingen. Wacht een paar minuten en probeer het opnieuw.")
    return _("Het e-mailadres of het wachtwoord klopt niet.")


@bp.post("/inloggen")
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login_post() -> tuple[str, int] | Response:
    if not sso.local_login_allowed():
        abort(404)
    email = request.form.get("email", "")[:254]
    password = request.form.get("wachtwoord", "")[:1000]
    target = request.form.get("next", "")
    result = authenticate(current_loket(), email, password, ip=request.remote_addr)
    if result.principal is None:
        status = 429 if result.outcome == THROTTLED else 200
        return _login_page(email, _error_text(result.outcome), target), status
    start_session(result.principal)
    if must_change_password(result.principal):  # the page explains why
        return redirect(url_for("staff.password", next=safe_next(target, url_for("staff.home"))))
    return redirect(safe_next(target, url_for("staff.home")))


@bp.post("/uitloggen")
@requires(None)
def logout() -> Response:
    id_token = session.get(sso.ID_TOKEN)
    _end_session()
    flash(_("U bent uitgelogd."))
    return redirect(sso.logout_target(id_token) or url_for("staff.login"))
