"""Hostile input gets a clear 400 page, never a 500, whatever route it is sent to."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web_support import check_page, csrf_token


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/inloggen", {"email": "a\x00b@example.org"}),
        ("post", "/medewerker/inloggen", {"email": "a\x00b", "wachtwoord": "x"}),
        ("get", "/medewerker/werkvoorraad?zoek=%00", None),
        ("get", "/medewerker/kcc?q=ab%00c", None),
        ("post", "/aanmelden/stap/wie", {"naam": "Jan\x00", "email": "j@example.nl"}),
        ("get", "/indeling?x=%1b[31m", None),
    ],
)
def test_control_characters_are_refused_with_a_clear_message(
    client: FlaskClient, method: str, path: str, data: dict[str, str] | None
) -> None:
    if data is not None:
        data = {**data, "csrf_token": csrf_token(client.get("/aanmelden/stap/wie").text)}
    response = getattr(client, method)(path, data=data)
    assert response.status_code == 400
    text = check_page(response.text).get_text()
    assert "onzichtbaar teken" in text


def test_tabs_and_newlines_are_ordinary_text(client: FlaskClient) -> None:
    response = client.get("/indeling?x=a%09b%0Ac")
    assert response.status_code == 200
