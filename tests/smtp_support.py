"""A local SMTP server that receives every mail (aiosmtpd): the mail tests talk real SMTP to it."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """Mails received by the local SMTP server."""

    messages: list[Message] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, to: str, subject_part: str = "", timeout: float = 15.0) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if to in str(message["To"]) and subject_part in str(message["Subject"]):
                    return message
            time.sleep(0.1)
        subjects = [(m["To"], m["Subject"]) for m in self.messages]
        raise AssertionError(f"no mail to {to} with {subject_part!r}; received {subjects}")

    def to(self, address: str) -> list[Message]:
        """What arrived for ``address`` so far (a mail sent by the worker has arrived when it returns)."""
        return [message for message in self.messages if address in str(message["To"])]

    @staticmethod
    def body(message: Message) -> str:
        payload = message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(message.get_content_charset() or "utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()
