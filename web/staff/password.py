"""Changing one's own password: every user can; a user whose password a beheerder set must."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from processes.errors import AccountInvalid
from processes.passwords import change_own_password
from web.extensions import limiter
from web.i18n import gettext as _
from web.i18n import safe_next
from web.staff import bp
from web.staff.auth import LOGIN_AT, LOGIN_LIMIT, may_change_password, principal, requires, start_session
from web.staff.common import loket
from web.staff.userforms import CHANGE_FIELDS, change_fields, field_errors

MAX_INPUT = 1000


def _render(errors: dict[str, str], next_url: str, status: int = 200) -> tuple[str, int]:
    return render_template("staff/password.html", fields=change_fields(errors), next=next_url), status


def _no_password() -> Response:
    """An account of the organisation's sign-on (or a loket without the local login form)."""
    flash(_("Uw wachtwoord regelt u bij uw organisatie, niet in het loket."))
    return redirect(url_for("staff.home"))


@bp.get("/wachtwoord")
@requires(None)
def password() -> tuple[str, int] | Response:
    if not may_change_password(principal()):
        return _no_password()
    return _render({}, safe_next(request.args.get("next"), ""))


@bp.post("/wachtwoord")
@requires(None)
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def password_post() -> tuple[str, int] | Response:
    if not may_change_password(principal()):
        return _no_password()
    form = request.form
    next_url = safe_next(form.get("next"), "")
    try:
        renewed = change_own_password(loket(), principal(), form.get("huidig_wachtwoord", "")[:MAX_INPUT],
                                          form.get("nieuw_wachtwoord", "")[:MAX_INPUT],
                                          form.get("herhaal_wachtwoord", "")[:MAX_INPUT])
    except AccountInvalid as exc:
        return _render(field_errors(exc.problems, CHANGE_FIELDS), next_url, 400)
    login_at = session.get(LOGIN_AT)
    start_session(renewed, login_at=login_at if isinstance(login_at, int | float) else None)
    flash(_("Uw wachtwoord is gewijzigd. Op andere computers en telefoons bent u nu uitgelogd."))
    return redirect(next_url or url_for("staff.home"))
