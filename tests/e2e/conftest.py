"""End-to-end fixtures: the real app served on localhost with a worker, a local SMTP server
that receives every mail, and headless Debian Chromium driven by Playwright, with axe-core.

Nothing here skips: without /usr/bin/chromium the tests fail and say how to install it.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from engine.jobs import work_forever
from web import create_app, engine_of

ROOT = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Checking or deploying a model runs every bundled scenario first (a few seconds, more on a busy
# machine): what a page shows after such a step may take longer than Playwright's 5 s default.
expect.set_options(timeout=30_000)


@dataclass
class Mailbox:
    """Mails received by the local SMTP server."""

    messages: list[Message] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(message_from_bytes(envelope.content))
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


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture
def live_server(prepared_sqlite: Path, tmp_path: Path, mailbox: Mailbox) -> Iterator[LiveServer]:
    path = tmp_path / "loket.sqlite3"
    shutil.copy(prepared_sqlite, path)
    app = create_app({
        "DATABASE_URL": f"sqlite:///{path}", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": mailbox.port,
        "RATELIMIT_ENABLED": False,
    })
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    stop = threading.Event()
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    working = threading.Thread(target=work_forever, args=(engine_of(app), "e2e"),
                               kwargs={"poll_seconds": 0.2, "stop": stop}, daemon=True)
    serving.start()
    working.start()
    yield LiveServer(app.config["PUBLIC_URL"], app)
    stop.set()
    server.shutdown()
    working.join(timeout=5)
    engine_of(app).db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is needed for end-to-end tests: apt-get install chromium (make test does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp lets the test inject axe-core into pages that forbid inline scripts.
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]
