"""The organisation's sign-on (OpenID Connect) as the staff pages see it: this app's client, and
what the browser's session keeps for it. The routes are in :mod:`web.staff.sso_views`; the
protocol and the accounts in :mod:`processes.oidc`.

Configured by the ``OIDC_*`` variables (:mod:`processes.oidc.settings`); without ``OIDC_ISSUER``
there is no sign-on and the login page is the local form only.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask.blueprints import BlueprintSetupState

from processes.oidc.client import OidcClient
from processes.oidc.settings import settings_of
from web.staff import bp

EXTENSION = "staff_oidc"
PENDING = "staff_oidc_pending"
"""The login that went to the provider: state, nonce, PKCE verifier and where to go after."""
ID_TOKEN = "staff_oidc_id_token"  # noqa: S105 - a session key, not a secret
"""The ID token of a sign-on login: the hint for the provider's logout."""


@bp.record_once
def _set_up(state: BlueprintSetupState) -> None:
    """Read the settings when the app is made: a half-configured sign-on stops the start."""
    settings = settings_of(state.app.config)
    state.app.extensions[EXTENSION] = OidcClient(settings) if settings is not None else None


def client() -> OidcClient | None:
    """The sign-on of this app, or None when it has none."""
    found = current_app.extensions.get(EXTENSION)
    return found if isinstance(found, OidcClient) else None


def local_login_allowed() -> bool:
    """Whether the login form with e-mail address and password is offered (always without sign-on)."""
    oidc = client()
    return oidc is None or oidc.settings.local_login


def logout_target(id_token: object) -> str | None:
    """Where logging out goes when the login was a sign-on and the provider can end its session too."""
    oidc = client()
    if oidc is None or not isinstance(id_token, str) or not id_token:
        return None
    return oidc.logout_url(id_token, url_for("staff.login", _external=True))
