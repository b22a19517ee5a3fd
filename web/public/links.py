"""Absolute links for mails. The base is ``PUBLIC_URL``; only when that is not configured
(development) the request's own address is used. Set ``PUBLIC_URL`` in production: a login
link must never be built from a Host header an attacker chose.

Every mail template gets ``loket_url``, the portal's public address (:class:`PortalUrl`)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for

from processes.loket import Loket


def public_base() -> str:
    configured = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured:
        return configured
    if not (current_app.testing or current_app.debug):
        current_app.logger.warning("PUBLIC_URL is not set: links in mails use the request's host name")
    return request.url_root.rstrip("/")


def public_link(endpoint: str, **values: Any) -> str:
    return public_base() + url_for(endpoint, **values)


class PortalUrl:
    """The portal's base URL, read from the app's config each time a mail is rendered (the
    end-to-end tests set ``PUBLIC_URL`` after the app is created)."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __str__(self) -> str:
        return str(self._app.config.get("PUBLIC_URL") or "").rstrip("/")

    def __bool__(self) -> bool:
        return bool(str(self))


def install_mail_globals(app: Flask, loket: Loket) -> None:
    loket.engine.set_mail_global("loket_url", PortalUrl(app))
