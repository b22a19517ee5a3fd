"""The routes of the organisation's sign-on: off to the provider, and back.

Every way a sign-on can fail gets a page in plain Dutch (never a 500): the provider does not
answer, the user stopped at the provider, the answer does not belong to a login this browser
started (state), the provider refused or its token did not pass the checks, and the person has
no (usable) account or role in the loket. Without a configured sign-on these routes do not exist (404).
"""

from __future__ import annotations

import logging

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from processes.oidc import accounts
from processes.oidc.client import (
    CANCELLED,
    INVALID,
    REFUSED,
    STATE,
    UNREACHABLE,
    OidcClient,
    PendingLogin,
    SignOnFailed,
)
from web.extensions import limiter
from web.i18n import gettext as _
from web.i18n import safe_next
from web.staff import bp, sso
from web.staff.auth import LOGIN_LIMIT, current_principal, must_change_password, start_session
from web.staff.common import loket

log = logging.getLogger(__name__)
MAX_PARAMETER = 4000


def _client() -> OidcClient:
    oidc = sso.client()
    if oidc is None:
        abort(404)
    return oidc


def _redirect_uri() -> str:
    return url_for("staff.sso_callback", _external=True)


def _texts() -> dict[str, tuple[int, str, str]]:
    """Per reason: the status, the title and the explanation."""
    again = _("Probeer het opnieuw. Lukt het dan nog niet? Neem contact op met de functioneel beheerder.")
    ask = _("Vraag de functioneel beheerder van het loket om hulp.")
    return {
        UNREACHABLE: (503, _("Inloggen met uw organisatie-account lukt nu niet"),
                      _("Het loket krijgt geen antwoord van de inlogdienst van uw organisatie. Probeer het over "
                        "een paar minuten opnieuw. Lukt het dan nog niet? Neem contact op met de functioneel "
                        "beheerder.")),
        CANCELLED: (200, _("U bent niet ingelogd"),
                    _("U heeft het inloggen bij uw organisatie afgebroken. Wilt u toch inloggen? Probeer het dan "
                      "opnieuw.")),
        STATE: (400, _("Het inloggen is verlopen"),
                _("We herkennen deze inlogpoging niet. Misschien duurde het inloggen te lang, of kwam u via een "
                  "oude link terug. Probeer het opnieuw.")),
        REFUSED: (502, _("Uw organisatie heeft het inloggen niet afgerond"),
                  _("De inlogdienst van uw organisatie gaf een fout.") + " " + again),
        INVALID: (400, _("Het inloggen is niet gelukt"),
                  _("Het antwoord van de inlogdienst van uw organisatie klopte niet. Daarom bent u niet "
                    "ingelogd.") + " " + again),
        accounts.UNKNOWN: (403, _("U heeft geen account in het loket"),
                           _("U bent ingelogd bij uw organisatie, maar het loket vindt geen account bij uw "
                             "e-mailadres.") + " " + ask),
        accounts.INACTIVE: (403, _("Uw account staat uit"),
                            _("Uw account in het loket staat uit. Daarom kunt u niet inloggen. Vraag de "
                              "functioneel beheerder om het weer aan te zetten.")),
        accounts.NO_ROLE: (403, _("U heeft geen rol in het loket"),
                           _("U bent ingelogd bij uw organisatie, maar u heeft geen rol in het initiatievenloket. "
                             "Vraag de functioneel beheerder om u een rol te geven.")),
        accounts.CONFLICT: (403, _("Het inloggen is niet gelukt"),
                            _("Uw e-mailadres hoort in het loket bij een ander account.") + " " + ask),
    }


def _failed(reason: str, next_url: str = "") -> tuple[str, int]:
    status, title, text = _texts().get(reason, _texts()[INVALID])
    return render_template("staff/sso_error.html", title=title, text=text, next=next_url,
                           local_login=sso.local_login_allowed()), status


@bp.get("/inloggen/organisatie")
def sso_start() -> Response | tuple[str, int]:
    """Send the user to the provider (a fresh state, nonce and PKCE verifier for this login)."""
    oidc = _client()
    if current_principal() is not None:
        return redirect(url_for("staff.home"))
    next_url = safe_next(request.args.get("next"), "")
    try:
        address, pending = oidc.begin(_redirect_uri(), next_url)
    except SignOnFailed as exc:
        log.warning("sign-on could not start: %s", exc)
        return _failed(exc.reason, next_url)
    session[sso.PENDING] = pending.to_dict()
    return redirect(address)


@bp.get("/inloggen/organisatie/terug")
@limiter.limit(LOGIN_LIMIT)
def sso_callback() -> Response | tuple[str, int]:
    """The provider sends the user back here with a code (or an error)."""
    oidc = _client()
    pending = PendingLogin.from_dict(session.pop(sso.PENDING, None))
    next_url = pending.next_url if pending is not None else ""
    params = {key: value[:MAX_PARAMETER] for key, value in request.args.items()}
    try:
        signed = oidc.finish(pending, params, _redirect_uri())
    except SignOnFailed as exc:
        log.warning("sign-on failed: %s", exc)
        if exc.reason in (STATE, INVALID):
            accounts.record_failure(loket(), ip=request.remote_addr)
        return _failed(exc.reason, next_url)
    person = accounts.claimed(signed.claims, oidc.settings)
    result = accounts.sign_in(loket(), person, mode=oidc.settings.mode, ip=request.remote_addr)
    if result.principal is None:
        return _failed(result.outcome, next_url)
    start_session(result.principal)
    session[sso.ID_TOKEN] = signed.id_token
    target = safe_next(next_url, url_for("staff.home"))
    if must_change_password(result.principal):
        return redirect(url_for("staff.password", next=target))
    return redirect(target)
