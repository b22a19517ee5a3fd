"""The sign-on's configuration, read from the environment (or the app's config in tests).

- ``OIDC_ISSUER``: the provider's issuer URL, exactly as in its tokens; without it the sign-on is off.
- ``OIDC_DISCOVERY_URL``: where the provider's metadata is (default: the issuer plus
  ``/.well-known/openid-configuration``).
- ``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET``: the loket's registration at the provider (required).
- ``OIDC_SCOPES``: the scopes asked for (default ``openid email profile``).
- ``OIDC_MODE``: ``claims`` (default): roles and teams come from the claims; ``accounts``: from the
  loket's own account with the same e-mail address.
- ``OIDC_ROLES_CLAIM``, ``OIDC_TEAMS_CLAIM``: the claims with roles and teams (``roles``, ``teams``).
- ``OIDC_EMAIL_CLAIM``, ``OIDC_NAME_CLAIM``: the claims with e-mail address and name (``email``, ``name``).
- ``OIDC_LOCAL_LOGIN``: ``0`` hides the local login form (default ``1``: both ways).
- ``OIDC_TIMEOUT``: seconds to wait for the provider (default 10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CLAIMS = "claims"
"""Roles and teams come from the provider's claims; the account is created or updated at sign-in."""
ACCOUNTS = "accounts"
"""Roles and teams are kept in the loket: the e-mail address must be of an active local account."""
MODES = (CLAIMS, ACCOUNTS)

VARIABLES = ("OIDC_ISSUER", "OIDC_DISCOVERY_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES", "OIDC_MODE",
             "OIDC_ROLES_CLAIM", "OIDC_TEAMS_CLAIM", "OIDC_EMAIL_CLAIM", "OIDC_NAME_CLAIM", "OIDC_LOCAL_LOGIN",
             "OIDC_TIMEOUT")


class SettingsInvalid(ValueError):
    """The sign-on is half configured: the app does not start (better than a login that cannot work)."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    discovery_url: str
    scopes: str = "openid email profile"
    mode: str = CLAIMS
    roles_claim: str = "roles"
    teams_claim: str = "teams"
    email_claim: str = "email"
    name_claim: str = "name"
    local_login: bool = True
    timeout: float = 10.0


def from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The ``OIDC_*`` variables that are set (for the app's config)."""
    return {name: environ[name] for name in VARIABLES if environ.get(name)}


def _text(config: Mapping[str, object], name: str, default: str = "") -> str:
    value = config.get(name)
    return str(value).strip() if value not in (None, "") else default


def settings_of(config: Mapping[str, object]) -> OidcSettings | None:
    """The settings in ``config`` (the app's config), or None when the sign-on is off.
    Raises SettingsInvalid when it is configured but something it needs is missing or wrong."""
    issuer = _text(config, "OIDC_ISSUER")  # exactly as the provider writes it in ``iss``
    if not issuer:
        return None
    client_id, secret = _text(config, "OIDC_CLIENT_ID"), _text(config, "OIDC_CLIENT_SECRET")
    if not client_id or not secret:
        raise SettingsInvalid("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are needed too")
    mode = _text(config, "OIDC_MODE", CLAIMS).lower()
    if mode not in MODES:
        raise SettingsInvalid(f"OIDC_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    scopes = _text(config, "OIDC_SCOPES", "openid email profile")
    if "openid" not in scopes.split():
        scopes = f"openid {scopes}"
    try:
        timeout = float(_text(config, "OIDC_TIMEOUT", "10"))
    except ValueError as exc:
        raise SettingsInvalid("OIDC_TIMEOUT must be a number of seconds") from exc
    return OidcSettings(
        issuer=issuer, client_id=client_id, client_secret=secret,
        discovery_url=_text(config, "OIDC_DISCOVERY_URL", f"{issuer.rstrip('/')}/.well-known/openid-configuration"),
        scopes=scopes, mode=mode,
        roles_claim=_text(config, "OIDC_ROLES_CLAIM", "roles"), teams_claim=_text(config, "OIDC_TEAMS_CLAIM", "teams"),
        email_claim=_text(config, "OIDC_EMAIL_CLAIM", "email"), name_claim=_text(config, "OIDC_NAME_CLAIM", "name"),
        local_login=_text(config, "OIDC_LOCAL_LOGIN", "1").lower() not in ("0", "false", "nee", "no"),
        timeout=timeout,
    )
