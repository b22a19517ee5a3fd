"""End-to-end fixtures: the real app served on localhost with a worker, a local SMTP server
that receives every mail, and headless Debian Chromium driven by Playwright, with axe-core.

Nothing here skips: without /usr/bin/chromium the tests fail and say how to install it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from engine.jobs import work_forever
from tests.smtp_support import Mailbox
from web import create_app, engine_of

ROOT = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Checking or deploying a model runs every bundled scenario first (a few seconds, more on a busy
# machine): what a page shows after such a step may take longer than Playwright's 5 s default.
expect.set_options(timeout=30_000)


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
