"""Absolute links for mails. The base is ``PUBLIC_URL``; only when that is not configured
(development) the request's own address is used. Set ``PUBLIC_URL`` in production: a login
link must never be built from a Host header an attacker chose."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for


def public_base() -> str:
    configured = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured:
        return configured
    if not (current_app.testing or current_app.debug):
        current_app.logger.warning("PUBLIC_URL is not set: links in mails use the request's host name")
    return request.url_root.rstrip("/")


def public_link(endpoint: str, **values: Any) -> str:
    return public_base() + url_for(endpoint, **values)
