"""Outgoing mail: templates from the repository, sent by the worker from the outbox."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape


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


class MailRenderer:
    """Renders ``<template>.<lang>.txt``; the first line is ``Onderwerp:``/``Subject:``."""

    def __init__(self, directory: Path) -> None:
        self.env = Environment(
            loader=FileSystemLoader(str(directory)),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )

    def render(self, template: str, lang: str, context: dict[str, Any]) -> tuple[str, str]:
        try:
            source = self.env.get_template(f"{template}.{lang}.txt")
        except TemplateNotFound:
            source = self.env.get_template(f"{template}.nl.txt")
        text = source.render(**context)
        first, _, body = text.partition("\n")
        label, _, subject = first.partition(":")
        if label.strip().lower() not in ("onderwerp", "subject"):
            raise ValueError(f"template {template} must start with 'Onderwerp:'")
        return subject.strip(), body.lstrip("\n")
