"""The pages ``loket bench scale`` times: the real application on the bench's database, one
logged-in test client per staff member (logged in once, through the login form)."""

from __future__ import annotations

import re
import tempfile

from flask.testing import FlaskClient

from processes.demo.staff import demo_password
from web import create_app

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class SitePages:
    """:class:`processes.bench_scale.Pages` on a Flask test client (no network in between)."""

    def __init__(self, database_url: str) -> None:
        self.app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                               "PUBLIC_URL": "http://bench.invalid", "MAIL_FOLDER": tempfile.mkdtemp()})
        self.clients: dict[str, FlaskClient] = {}

    def _client(self, email: str) -> FlaskClient:
        client = self.clients.get(email)
        if client is None:
            client = self.app.test_client()
            found = _TOKEN.search(client.get("/medewerker/inloggen").get_data(as_text=True))
            response = client.post("/medewerker/inloggen", data={
                "csrf_token": found.group(1) if found else "", "email": email, "wachtwoord": demo_password()})
            if response.status_code != 302:
                raise RuntimeError(f"inloggen als {email} lukte niet ({response.status_code})")
            self.clients[email] = client
        return client

    def get(self, email: str, path: str) -> None:
        response = self._client(email).get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} als {email}: status {response.status_code}")
