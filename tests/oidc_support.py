"""A real OpenID Connect provider for the sign-on tests: node-oidc-provider (the npm package
``oidc-provider``, OpenID Certified), run by ``tests/oidc_provider.mjs`` on a free port for the
whole test session, and a small "browser" that logs in at it (its development login form).

The app under test runs in the Flask test client (``http://localhost``); the browser follows the
provider's redirects until it is sent back to the app, and hands that address to the test.
"""

from __future__ import annotations

import json
import re
import select
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
APP = "http://localhost"
CALLBACK = f"{APP}/medewerker/inloggen/organisatie/terug"
AFTER_LOGOUT = f"{APP}/medewerker/inloggen"
CLIENT_ID = "loket"
CLIENT_SECRET = "loket-test-geheim-0123456789"
OTHER_CLIENT_ID = "ander-systeem"
OTHER_SECRET = "ander-test-geheim-0123456789"
DOMAIN = "gemeente.example"

USERS: dict[str, dict[str, Any]] = {
    # claim mode: a new employee, with a role and a team the loket does not know
    "anna": {"email": f"anna.smit@{DOMAIN}", "email_verified": True, "name": "Anna Smit",
             "roles": ["intake", "tovenaar"], "teams": ["initiatieventeam", "team-bestaat-niet"]},
    # the demo account of the intake team (account mode: roles and teams kept in the loket)
    "ilse": {"email": f"ilse.dewit@{DOMAIN}", "email_verified": True, "name": "Ilse de Wit"},
    # the demo KCC account, switched off in some tests
    "kim": {"email": f"kim.jansen@{DOMAIN}", "email_verified": True, "name": "Kim Jansen", "roles": ["kcc"]},
    # only roles the loket does not know
    "zonder-rol": {"email": f"zonder.rol@{DOMAIN}", "email_verified": True, "name": "Zonder Rol",
                   "roles": "tovenaar heks", "teams": []},
    # someone the loket has no account for
    "onbekend": {"email": f"onbekend@{DOMAIN}", "email_verified": True, "name": "Onbekend"},
}


@dataclass(frozen=True)
class RunningProvider:
    issuer: str

    def app_config(self, **overrides: object) -> dict[str, object]:
        """The app's settings for this provider (claim mode, local login kept)."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_SCOPES": "openid email profile loket", "OIDC_TIMEOUT": "5"} | overrides


def _start(config_file: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(["node", str(ROOT / "tests" / "oidc_provider.mjs"), str(config_file)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 15)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        pytest.fail("the test OpenID provider (node tests/oidc_provider.mjs) did not start; run `npm install`")
    return process, json.loads(line)["issuer"]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProvider]:
    config = {
        "clients": [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [CALLBACK],
             "post_logout_redirect_uris": [AFTER_LOGOUT]},
            {"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_SECRET, "redirect_uris": [CALLBACK]},
        ],
        "users": USERS,
    }
    config_file = tmp_path_factory.mktemp("oidc") / "provider.json"
    config_file.write_text(json.dumps(config))
    started = time.monotonic()
    process, issuer = _start(config_file)
    assert time.monotonic() - started < 10, "the test provider should start in a second or two"
    try:
        yield RunningProvider(issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class ProviderBrowser:
    """Cookies and manual redirects: what a browser does at the provider's pages."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def open(self, url: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Status, the redirect's Location (absolute) and the body."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=data), timeout=5) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location", "")
            return exc.code, urllib.parse.urljoin(url, location) if location else "", exc.read().decode()

    def sign_in(self, url: str, account: str, *, cancel: bool = False) -> str:
        """Follow ``url`` (the provider's authorization address) through its login and consent
        pages (or stop at the login page when ``cancel``) until the provider sends the browser
        back to the app; that address."""
        form: dict[str, str] | None = None
        for _ in range(12):
            if url.startswith(APP):
                return url
            status, location, body = self.open(url, form)
            form = None
            if location:
                url = location
                continue
            assert status == 200, f"{url}: {status} {body[:300]}"
            prompt = re.search(r'name="prompt" value="(\w+)"', body)
            assert prompt, f"no login or consent form at {url}: {body[:300]}"
            if cancel:
                url = urllib.parse.urljoin(url, urllib.parse.urlsplit(url).path + "/abort")
                continue
            action = re.search(r'<form[^>]*action="([^"]+)"', body)
            assert action, body[:300]
            url = urllib.parse.urljoin(url, action.group(1))
            form = {"prompt": prompt.group(1), "login": account, "password": "wat-dan-ook"}
        raise AssertionError("the provider never sent the browser back to the app")


def callback_path(url: str) -> str:
    """The app's address without scheme and host (for the Flask test client)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}"
