"""The OpenID Connect relying party against a real provider (node-oidc-provider, tests/oidc_support.py):
the code flow with state, nonce and PKCE, and every check of the ID token."""

from __future__ import annotations

import base64
import json
import socket
import urllib.parse
from datetime import timedelta

import pytest

from engine import clock
from processes.oidc.client import (
    CANCELLED,
    INVALID,
    PENDING_SECONDS,
    REFUSED,
    STATE,
    UNREACHABLE,
    OidcClient,
    PendingLogin,
    SignedIn,
    SignOnFailed,
)
from processes.oidc.settings import ACCOUNTS, CLAIMS, SettingsInvalid, settings_of
from tests.oidc_support import CALLBACK, OTHER_CLIENT_ID, OTHER_SECRET, ProviderBrowser, RunningProvider


def client_for(provider: RunningProvider, **overrides: object) -> OidcClient:
    settings = settings_of(provider.app_config(**overrides))
    assert settings is not None
    return OidcClient(settings)


def query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def signed_in(client: OidcClient, account: str) -> tuple[SignedIn, PendingLogin]:
    address, pending = client.begin(CALLBACK, "/medewerker/werkvoorraad")
    back = ProviderBrowser().sign_in(address, account)
    return client.finish(pending, query(back), CALLBACK), pending


def failure(call: object, *args: object, **kwargs: object) -> SignOnFailed:
    with pytest.raises(SignOnFailed) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def test_the_authorization_request_carries_state_nonce_and_a_pkce_challenge(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    address, pending = client.begin(CALLBACK, "/medewerker/")
    params = query(address)
    assert address.startswith(f"{oidc_provider.issuer}/")
    assert params["state"] == pending.state and params["nonce"] == pending.nonce
    assert params["code_challenge_method"] == "S256" and params["code_challenge"] != pending.verifier
    assert params["scope"] == "openid email profile loket" and params["redirect_uri"] == CALLBACK
    assert len({pending.state, pending.nonce, pending.verifier}) == 3
    # A second login gets fresh values.
    _, again = client.begin(CALLBACK)
    assert again.state != pending.state and again.nonce != pending.nonce and again.verifier != pending.verifier
    assert PendingLogin.from_dict(pending.to_dict()) == pending
    assert PendingLogin.from_dict({"state": 1}) is None


def test_a_full_sign_in_gives_the_checked_claims_with_userinfo(oidc_provider: RunningProvider) -> None:
    signed, pending = signed_in(client_for(oidc_provider), "anna")
    claims = signed.claims
    assert claims["sub"] == "anna" and claims["iss"] == oidc_provider.issuer and claims["aud"] == "loket"
    assert claims["nonce"] == pending.nonce
    # The provider keeps these out of the ID token; they come from its userinfo endpoint.
    assert claims["email"] == "anna.smit@gemeente.example"
    assert claims["roles"] == ["intake", "tovenaar"]
    assert signed.id_token.count(".") == 2


def test_a_code_works_once(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    address, pending = client.begin(CALLBACK)
    params = query(ProviderBrowser().sign_in(address, "anna"))
    client.finish(pending, params, CALLBACK)
    assert failure(client.finish, pending, params, CALLBACK).reason == REFUSED


def test_the_state_must_be_of_this_login(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    address, pending = client.begin(CALLBACK)
    params = query(ProviderBrowser().sign_in(address, "anna"))
    _, other = client.begin(CALLBACK)
    assert failure(client.finish, other, params, CALLBACK).reason == STATE
    assert failure(client.finish, None, params, CALLBACK).reason == STATE
    assert failure(client.finish, pending, params | {"state": ""}, CALLBACK).reason == STATE
    clock.set_time(clock.now() + timedelta(seconds=PENDING_SECONDS + 1))
    assert failure(client.finish, pending, params, CALLBACK).reason == STATE


def test_an_answer_of_another_issuer_is_refused(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    address, pending = client.begin(CALLBACK)
    params = query(ProviderBrowser().sign_in(address, "anna"))
    assert failure(client.finish, pending, params | {"iss": "https://elders.example"}, CALLBACK).reason == INVALID


def test_cancelling_at_the_provider(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    address, pending = client.begin(CALLBACK)
    params = query(ProviderBrowser().sign_in(address, "anna", cancel=True))
    assert params["error"] == "access_denied"
    assert failure(client.finish, pending, params, CALLBACK).reason == CANCELLED
    other = params | {"error": "server_error"}
    assert failure(client.finish, pending, other, CALLBACK).reason == REFUSED


def test_an_id_token_for_another_client_is_refused(oidc_provider: RunningProvider) -> None:
    other = client_for(oidc_provider, OIDC_CLIENT_ID=OTHER_CLIENT_ID, OIDC_CLIENT_SECRET=OTHER_SECRET)
    signed, pending = signed_in(other, "anna")
    assert signed.claims["aud"] == OTHER_CLIENT_ID
    loket = client_for(oidc_provider)
    found = failure(loket.validate_id_token, signed.id_token, nonce=pending.nonce)
    assert found.reason == INVALID and "aud" in found.detail
    # The same token passes for the client it was made for.
    assert other.validate_id_token(signed.id_token, nonce=pending.nonce)["sub"] == "anna"


def test_an_expired_id_token_is_refused(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    signed, pending = signed_in(client, "anna")
    assert client.validate_id_token(signed.id_token, nonce=pending.nonce)["sub"] == "anna"
    clock.set_time(clock.now() + timedelta(minutes=12))  # ID tokens live 10 minutes, one minute leeway
    found = failure(client.validate_id_token, signed.id_token, nonce=pending.nonce)
    assert found.reason == INVALID and "Expired" in found.detail


def test_a_wrong_nonce_or_a_forged_token_is_refused(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    signed, pending = signed_in(client, "anna")
    assert failure(client.validate_id_token, signed.id_token, nonce="een-andere").reason == INVALID
    header, payload, signature = signed.id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims | {"sub": "ilse"}).encode()).rstrip(b"=").decode()
    forged = f"{header}.{forged_payload}.{signature}"
    assert failure(client.validate_id_token, forged, nonce=pending.nonce).reason == INVALID
    unsigned_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    assert failure(client.validate_id_token, f"{unsigned_header}.{payload}.", nonce=pending.nonce).reason == INVALID
    assert failure(client.validate_id_token, "geen-token", nonce=pending.nonce).reason == INVALID


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_or_wrong_provider(oidc_provider: RunningProvider) -> None:
    nobody = client_for(oidc_provider, OIDC_ISSUER=f"http://127.0.0.1:{free_port()}", OIDC_TIMEOUT="2")
    assert failure(nobody.begin, CALLBACK).reason == UNREACHABLE
    # The metadata must name the configured issuer.
    mixed = client_for(oidc_provider, OIDC_ISSUER="https://idp.gemeente.example",
                       OIDC_DISCOVERY_URL=f"{oidc_provider.issuer}/.well-known/openid-configuration")
    found = failure(mixed.begin, CALLBACK)
    assert found.reason == UNREACHABLE and "issuer" in found.detail
    # Plain HTTP only on this computer.
    remote = client_for(oidc_provider, OIDC_ISSUER="http://idp.gemeente.example")
    assert "https" in failure(remote.begin, CALLBACK).detail
    # No provider to log out at: only the loket's session ends.
    assert nobody.logout_url("token", "http://localhost/medewerker/inloggen") is None


def test_the_logout_address_of_the_provider(oidc_provider: RunningProvider) -> None:
    client = client_for(oidc_provider)
    address = client.logout_url("het.id.token", "http://localhost/medewerker/inloggen")
    assert address is not None and address.startswith(f"{oidc_provider.issuer}/session/end?")
    assert query(address) == {"client_id": "loket", "id_token_hint": "het.id.token",
                              "post_logout_redirect_uri": "http://localhost/medewerker/inloggen"}


def test_settings_from_the_environment() -> None:
    assert settings_of({}) is None
    base = {"OIDC_ISSUER": "https://idp.example/", "OIDC_CLIENT_ID": "loket", "OIDC_CLIENT_SECRET": "geheim"}
    settings = settings_of(base)
    assert settings is not None and settings.mode == CLAIMS and settings.local_login
    assert settings.issuer == "https://idp.example/"  # compared with ``iss`` exactly as given
    assert settings.discovery_url == "https://idp.example/.well-known/openid-configuration"
    other = settings_of(base | {"OIDC_MODE": "Accounts", "OIDC_LOCAL_LOGIN": "0", "OIDC_SCOPES": "email"})
    assert other is not None and other.mode == ACCOUNTS and not other.local_login and other.scopes == "openid email"
    with pytest.raises(SettingsInvalid):
        settings_of({"OIDC_ISSUER": "https://idp.example"})
    with pytest.raises(SettingsInvalid):
        settings_of(base | {"OIDC_MODE": "groepen"})
    with pytest.raises(SettingsInvalid):
        settings_of(base | {"OIDC_TIMEOUT": "lang"})
