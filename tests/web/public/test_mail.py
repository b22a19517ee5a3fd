"""The portal's mails: link mails are rendered in both languages; every mail the worker
renders knows the portal's address (config PUBLIC_URL)."""

from __future__ import annotations

import pytest
from flask import Flask

from engine.mail import MailRenderer
from processes import TEXTS_DIR
from processes.loket import Loket
from web import engine_of


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_link_mails_render_in_both_languages(lang: str) -> None:
    renderer = MailRenderer(TEXTS_DIR)
    subject, body = renderer.render("inloglink", lang, {"link": "https://x.example/inloggen/abc", "minuten": 30})
    assert subject and "https://x.example/inloggen/abc" in body and "30" in body
    subject, body = renderer.render("concept_link", lang, {"link": "https://x.example/aanmelden/verder/abc",
                                                           "geldig_tot": "1 januari 2030"})
    assert subject and "https://x.example/aanmelden/verder/abc" in body and "1 januari 2030" in body


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_mails_without_a_portal_address_still_render(lang: str) -> None:
    renderer = MailRenderer(TEXTS_DIR)
    for template in ("bevestiging", "status_gewijzigd"):
        _subject, body = renderer.render(template, lang, {"case_ref": "INI-2026-000007", "titel": "Feest",
                                                          "title": "Feest"})
        assert "http" not in body


def test_the_apps_renderer_links_to_the_configured_portal(loket: Loket, app: Flask) -> None:
    renderer = engine_of(app).mail_renderer
    assert renderer is not None
    app.config["PUBLIC_URL"] = "https://loket.example/"
    _subject, body = renderer.render("status_gewijzigd", "en", {"case_ref": "INI-2026-000007", "title": "Feest"})
    assert "https://loket.example/mijn-initiatieven/INI-2026-000007" in body
    app.config["PUBLIC_URL"] = ""
    _subject, body = renderer.render("status_gewijzigd", "nl", {"case_ref": "INI-2026-000007", "title": "Feest"})
    assert "http" not in body and body.count("initiatievenloket") >= 1
