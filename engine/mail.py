"""Outgoing mail: templates from the repository, sent by the worker from the outbox."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from jinja2 import (
    BaseLoader,
    DictLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class SmtpMailer:
    """Sends through an SMTP server (a local test server in tests)."""

    def __init__(self, host: str, port: int, sender: str, *, starttls: bool = False,
                 username: str | None = None, password: str | None = None, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.username, self.password, self.timeout = starttls, username, password, timeout

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


class FolderMailer:
    """Writes each mail as an .eml file: the demo's stand-in for a mail server."""

    def __init__(self, folder: Path, sender: str = "loket@gemeente.example") -> None:
        self.folder = folder
        self.sender = sender

    def send(self, mail: Mail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        count = len(list(self.folder.glob("*.eml")))
        (self.folder / f"{count + 1:06d}.eml").write_bytes(bytes(message))


BundleTexts = tuple[int, Mapping[str, str]]
"""The texts of one deployment: its bundle id (deployments never change) and file name → text."""


class MailRenderer:
    """Renders ``<template>.<lang>.txt``; the first line is ``Onderwerp:``/``Subject:``.

    The texts are those of a deployment (``texts``: its bundle id and file name → text), so a
    case's mails follow the version it runs on; without texts, the ones in ``directory``.
    ``globals`` are seen by every text (the site's address)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.globals: dict[str, Any] = {}
        self._environments: dict[int, Environment] = {}

    def _environment(self, texts: BundleTexts | None) -> Environment:
        key = texts[0] if texts else 0
        found = self._environments.get(key)
        if found is None:
            loader: BaseLoader = DictLoader(dict(texts[1])) if texts else FileSystemLoader(str(self.directory or "."))
            # The texts are the process owner's: rendered in Jinja's sandbox, which keeps them from
            # Python's insides even if a text got past the bundle check's allow-list.
            found = ImmutableSandboxedEnvironment(
                loader=loader, undefined=StrictUndefined, keep_trailing_newline=True,
                autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False))
            if len(self._environments) > 64:
                self._environments.clear()
            self._environments[key] = found
        found.globals.update(self.globals)
        return found

    @property
    def env(self) -> Environment:
        """The environment of the texts in ``directory``."""
        return self._environment(None)

    def render(self, template: str, lang: str, context: dict[str, Any],
               texts: BundleTexts | None = None) -> tuple[str, str]:
        env = self._environment(texts)
        try:
            source = env.get_template(f"{template}.{lang}.txt")
        except TemplateNotFound:
            source = env.get_template(f"{template}.nl.txt")
        text = source.render(**context)
        first, _, body = text.partition("\n")
        label, _, subject = first.partition(":")
        if label.strip().lower() not in ("onderwerp", "subject"):
            raise ValueError(f"template {template} must start with 'Onderwerp:'")
        return subject.strip(), body.lstrip("\n")
