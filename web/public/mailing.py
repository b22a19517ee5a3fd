"""Mail from the portal.

- Mail without secrets (the confirmation) goes through the engine's outbox, in the same
  transaction as the change it reports; the worker sends it.
- Mail that carries a login or resume link is sent right away and never stored: the
  database keeps only the token's hash, and the outbox must not undo that.

Every mail template gets ``loket_url``, the portal's public address (config ``PUBLIC_URL``),
so mails the engine queues by itself (``status_gewijzigd``) can link to the portal too.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine.mail import Mail
from engine.service import Engine
from engine.step_writer import mail_job
from engine.tables import Job


class MailNotSent(Exception):
    """The mail server did not take the mail; nothing was stored."""


class PortalUrl:
    """The portal's base URL, read from the app's config each time a mail is rendered (the
    end-to-end tests set ``PUBLIC_URL`` after the app is created)."""

    def __init__(self, app: Flask) -> None:
        self._app = app

    def __str__(self) -> str:
        return str(self._app.config.get("PUBLIC_URL") or "").rstrip("/")

    def __bool__(self) -> bool:
        return bool(str(self))


def install_mail_globals(app: Flask, engine: Engine) -> None:
    if engine.mail_renderer is not None:
        engine.mail_renderer.env.globals["loket_url"] = PortalUrl(app)


def send_now(engine: Engine, template: str, to: str, context: dict[str, Any], lang: str) -> None:
    """Render and send at once; raises MailNotSent when there is no mailer or it fails."""
    renderer, mailer = engine.mail_renderer, engine.mailer
    if renderer is None or mailer is None:
        raise MailNotSent("no mailer configured")
    subject, body = renderer.render(template, lang, context)
    try:
        mailer.send(Mail(to=to, subject=subject, body=body))
    except OSError as exc:
        raise MailNotSent(str(exc)) from exc


def queue_mail(
    session: Session, instance_id: int | None, *, template: str, to: str, context: dict[str, Any], lang: str
) -> None:
    """A mail job in the outbox, committed with ``session``'s transaction."""
    session.execute(insert(Job), [mail_job(instance_id, template=template, to=to, context=context, lang=lang)])
