"""The OpenID Connect relying party: the authorization code flow with state, nonce and PKCE (S256).

The provider's metadata (discovery) and keys (JWKS) are fetched when first needed and kept for an
hour; a token signed with a key id the loket does not know yet makes it fetch the keys once more
(the provider rotated them). An ID token is accepted only when its signature matches a key of the
provider (asymmetric algorithms only), ``iss`` is the configured issuer, ``aud`` holds the client
id, it has not expired (one minute of leeway for clocks) and its ``nonce`` is the one this login
sent. Claims the ID token lacks are read from the userinfo endpoint (its ``sub`` must match).

Every way it can go wrong raises :class:`SignOnFailed` with a ``reason`` the web turns into a page:
``unreachable``, ``cancelled``, ``state``, ``refused`` or ``invalid``.

The provider is reached over HTTPS; plain HTTP only on the computer itself (127.0.0.1, localhost).
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from processes import clock
from processes.oidc.settings import OidcSettings

log = logging.getLogger(__name__)

UNREACHABLE = "unreachable"
"""The provider did not answer in time, or answered something unusable."""
CANCELLED = "cancelled"
"""The user stopped at the provider (``access_denied``)."""
STATE = "state"
"""The answer does not belong to a login this browser started (or it came back too late)."""
REFUSED = "refused"
"""The provider refused: an error other than ``access_denied``, or the code was not accepted."""
INVALID = "invalid"
"""The ID token (or userinfo) did not pass the checks."""

METADATA_SECONDS = 3600
LEEWAY_SECONDS = 60
PENDING_SECONDS = 600
"""A login must come back from the provider within ten minutes."""
MAX_RESPONSE = 1_000_000
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class SignOnFailed(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class PendingLogin:
    """What the browser's session keeps between sending the user to the provider and their return."""

    state: str
    nonce: str
    verifier: str
    next_url: str
    started: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> PendingLogin | None:
        if not isinstance(data, dict):
            return None
        texts = [data.get(key) for key in ("state", "nonce", "verifier", "next_url")]
        started = data.get("started")
        if not all(isinstance(text, str) for text in texts) or not isinstance(started, int | float):
            return None
        return cls(str(texts[0]), str(texts[1]), str(texts[2]), str(texts[3]), float(started))


@dataclass(frozen=True)
class SignedIn:
    claims: dict[str, Any]
    id_token: str


def _allowed_url(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)


def _algorithms(supported: object) -> list[str]:
    offered = [alg for alg in supported if alg in ASYMMETRIC] if isinstance(supported, list) else []
    return offered or ["RS256"]


class OidcClient:
    """One per app: the settings and what it learned from the provider."""

    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._jwks: dict[str, Any] | None = None

    # HTTP ------------------------------------------------------------------------------------------
    def _send(self, request: urllib.request.Request, refused: str) -> dict[str, Any]:
        """The JSON object the provider answers; an HTTP error status raises ``refused``."""
        if not _allowed_url(request.full_url):
            raise SignOnFailed(UNREACHABLE, f"not an https address: {request.full_url}")
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:  # noqa: S310 - checked
                body = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as exc:
            raise SignOnFailed(refused, f"{request.full_url} answered {exc.code}: {exc.read(2000)!r}") from exc
        except (OSError, ValueError) as exc:
            raise SignOnFailed(UNREACHABLE, f"{request.full_url}: {exc}") from exc
        try:
            found = json.loads(body) if len(body) <= MAX_RESPONSE else None
        except ValueError:
            found = None
        if not isinstance(found, dict):
            raise SignOnFailed(UNREACHABLE, f"{request.full_url} answered no JSON object")
        return found

    def _get(self, url: str, *, headers: Mapping[str, str] | None = None, refused: str = UNREACHABLE) -> dict[str, Any]:
        request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})  # noqa: S310
        return self._send(request, refused)

    # the provider -----------------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        now = time.monotonic()
        if self._metadata is not None and now - self._metadata_at < METADATA_SECONDS:
            return self._metadata
        found = self._get(self.settings.discovery_url)
        if found.get("issuer") != self.settings.issuer:
            raise SignOnFailed(UNREACHABLE, f"the metadata names issuer {found.get('issuer')!r}, "
                                            f"not {self.settings.issuer!r}")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(found.get(key), str):
                raise SignOnFailed(UNREACHABLE, f"the metadata has no {key}")
        self._metadata, self._metadata_at, self._jwks = found, now, None
        return found

    def _key_set(self, *, fresh: bool = False) -> KeySet:
        if self._jwks is None or fresh:
            self._jwks = self._get(self.metadata()["jwks_uri"])
        try:
            return KeySet.import_key_set(self._jwks)  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise SignOnFailed(UNREACHABLE, f"unusable JWKS: {exc}") from exc

    # the flow ----------------------------------------------------------------------------------------
    def begin(self, redirect_uri: str, next_url: str = "") -> tuple[str, PendingLogin]:
        """The address to send the user to, and what to keep until they come back."""
        endpoint = self.metadata()["authorization_endpoint"]
        pending = PendingLogin(generate_token(32), generate_token(32), generate_token(64), next_url,
                               clock.now().timestamp())
        params = {
            "response_type": "code", "client_id": self.settings.client_id, "redirect_uri": redirect_uri,
            "scope": self.settings.scopes, "state": pending.state, "nonce": pending.nonce,
            "code_challenge": create_s256_code_challenge(pending.verifier), "code_challenge_method": "S256",
        }
        return add_params_to_uri(endpoint, params), pending

    def finish(self, pending: PendingLogin | None, params: Mapping[str, str], redirect_uri: str) -> SignedIn:
        """Check the provider's answer (the callback's query) and turn its code into checked claims."""
        pending = self._checked(pending, params)
        code = params.get("code")
        if not code:
            raise SignOnFailed(REFUSED, "no code")
        tokens = self._tokens(code, pending.verifier, redirect_uri)
        id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
        if not isinstance(id_token, str):
            raise SignOnFailed(INVALID, "no ID token")
        access = access_token if isinstance(access_token, str) else None
        claims = self.validate_id_token(id_token, nonce=pending.nonce, access_token=access)
        return SignedIn(self._with_userinfo(claims, access), id_token)

    def _checked(self, pending: PendingLogin | None, params: Mapping[str, str]) -> PendingLogin:
        state = params.get("state") or ""
        if pending is None or not state or not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise SignOnFailed(STATE, "the state is not of a login this browser started")
        if clock.now().timestamp() - pending.started > PENDING_SECONDS:
            raise SignOnFailed(STATE, "the login took too long")
        if "iss" in params and params["iss"] != self.settings.issuer:  # RFC 9207: another provider answered
            raise SignOnFailed(INVALID, f"answer from issuer {params['iss']!r}")
        error = params.get("error")
        if error:
            raise SignOnFailed(CANCELLED if error == "access_denied" else REFUSED,
                               f"{error}: {params.get('error_description', '')}"[:300])
        return pending

    def _tokens(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        metadata = self.metadata()
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": verifier}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if "client_secret_basic" in methods:
            pair = f"{urllib.parse.quote(self.settings.client_id, safe='')}:" \
                   f"{urllib.parse.quote(self.settings.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form |= {"client_id": self.settings.client_id, "client_secret": self.settings.client_secret}
        request = urllib.request.Request(metadata["token_endpoint"], data=urllib.parse.urlencode(form).encode(),  # noqa: S310
                                         headers=headers, method="POST")
        return self._send(request, REFUSED)

    def validate_id_token(self, id_token: str, *, nonce: str, access_token: str | None = None) -> dict[str, Any]:
        """The claims of ``id_token`` once every check passed (else SignOnFailed ``invalid``)."""
        algorithms = _algorithms(self.metadata().get("id_token_signing_alg_values_supported"))
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms=algorithms)
            except InvalidKeyIdError:
                token = jwt.decode(id_token, self._key_set(fresh=True), algorithms=algorithms)
            options = {"iss": {"essential": True, "value": self.settings.issuer},
                       "aud": {"essential": True, "value": self.settings.client_id}}
            params = {"nonce": nonce, "client_id": self.settings.client_id, "access_token": access_token}
            claims = CodeIDToken(token.claims, token.header, options, params)
            claims.validate(now=int(clock.now().timestamp()), leeway=LEEWAY_SECONDS)
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise SignOnFailed(INVALID, f"{type(exc).__name__}: {exc}") from exc
        return dict(claims)

    def _with_userinfo(self, claims: dict[str, Any], access_token: str | None) -> dict[str, Any]:
        endpoint = self.metadata().get("userinfo_endpoint")
        settings = self.settings
        wanted = {settings.email_claim, settings.name_claim, settings.roles_claim, settings.teams_claim}
        if not isinstance(endpoint, str) or not access_token or wanted <= claims.keys():
            return claims
        info = self._get(endpoint, headers={"Authorization": f"Bearer {access_token}"}, refused=REFUSED)
        if info.get("sub") != claims.get("sub"):
            raise SignOnFailed(INVALID, "the userinfo is of another subject")
        return info | claims

    def logout_url(self, id_token: str | None, post_logout_redirect_uri: str) -> str | None:
        """Where to end the session at the provider too (RP-initiated logout), if it offers that."""
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except SignOnFailed as exc:
            log.warning("sign-on: no logout at the provider: %s", exc)
            return None
        if not isinstance(endpoint, str) or not _allowed_url(endpoint):
            return None
        params = {"client_id": self.settings.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
        if id_token:
            params["id_token_hint"] = id_token
        return add_params_to_uri(endpoint, params)
