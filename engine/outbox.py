"""Mail the engine renders: queued in the outbox by steps and use cases (sent by the worker),
or sent at once when it carries a secret that must never be stored (a login link)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.errors import MailNotSent
from engine.mail import BundleTexts, Mail, Mailer, MailRenderer


class MailMixin:
    mailer: Mailer | None
    mail_renderer: MailRenderer | None

    def mail_texts(self, instance_id: int | None, within: Session | None = None) -> BundleTexts | None:
        raise NotImplementedError

    def set_mail_global(self, name: str, value: Any) -> None:
        """A value every mail template sees (e.g. the site's public address)."""
        if self.mail_renderer is not None:
            self.mail_renderer.globals[name] = value

    def send_mail_now(self, template: str, to: str, context: dict[str, Any], lang: str,
                      within: Session | None = None) -> None:
        """Render (with the texts of the models in use, read in the caller's unit of work
        ``within`` when given) and send at once, storing nothing; MailNotSent when there is no
        mailer or it fails."""
        renderer, mailer = self.mail_renderer, self.mailer
        if renderer is None or mailer is None:
            raise MailNotSent("no mailer configured")
        subject, body = renderer.render(template, lang, context, self.mail_texts(None, within))
        try:
            mailer.send(Mail(to=to, subject=subject, body=body))
        except OSError as exc:
            raise MailNotSent(str(exc)) from exc
