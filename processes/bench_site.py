"""The served site for ``loket bench load`` and ``loket bench chaos``: a fresh PostgreSQL
database (created and dropped by the bench), prepared the production way (``loket db upgrade``,
``loket models deploy bpmn_models``, ``loket demo``), then ``loket serve`` on a free loopback
port: gunicorn with gthread workers and a supervised ``loket worker``. Mail goes over SMTP to a
sink in the bench process, so the bench sees every mail the site and the worker send.

The site gets ``LOKET_BENCH_UNLIMITED=1``: all simulated users come from one address, so the
per-address rate limits are lifted for this throw-away site only."""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import psycopg

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parents[1]
_LINK = re.compile(r"https?://\S+")


def server_url(postgres_url: str | None) -> str:
    """The PostgreSQL server the bench makes its database on (an URL of any database there)."""
    return (postgres_url or os.environ.get("LOKET_TEST_POSTGRES_URL") or DEFAULT_POSTGRES).replace(
        "postgresql+psycopg://", "postgresql://")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class SentMail:
    to: str
    subject: str
    body: str


@dataclass
class MailSink:
    """An SMTP server on loopback that keeps every mail (aiosmtpd, a development dependency)."""

    mails: list[SentMail] = field(default_factory=list)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        message = message_from_bytes(envelope.content, policy=policy.default)
        part = message.get_body(("plain",)) if message.is_multipart() else message
        body = part.get_content() if part is not None else ""
        with self._lock:
            self.mails.append(SentMail(str(message["To"]), str(message["Subject"]), str(body)))
        return "250 OK"

    def start(self) -> MailSink:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def snapshot(self) -> list[SentMail]:
        with self._lock:
            return list(self.mails)

    def link_for(self, to: str, marker: str, timeout: float = 15.0) -> str | None:
        """The newest link containing ``marker`` in a mail to ``to`` (waiting for it to arrive)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mail in reversed(self.snapshot()):
                links = [link for link in _LINK.findall(mail.body) if marker in link] if mail.to == to else []
                if links:
                    return links[0]
            time.sleep(0.05)
        return None


def loket_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "web", *args]


@dataclass
class BenchSite:
    """A fresh database and ``loket serve`` on it; :meth:`close` stops the site and drops the database."""

    server: str
    name: str = field(default_factory=lambda: f"loket_load_{random.randrange(16**8):08x}")  # noqa: S311 - a name; web.BENCH_DATABASE
    port: int = field(default_factory=free_port)
    mail: MailSink = field(default_factory=MailSink)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    prepare_seconds: float = 0.0

    @property
    def database_url(self) -> str:
        return f"{self.server.rpartition('/')[0]}/{self.name}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return dict(os.environ, DATABASE_URL=self.database_url, SECRET_KEY=f"bench-{self.name}",
                    PUBLIC_URL=self.url, PORT=str(self.port), SMTP_HOST="127.0.0.1", SMTP_PORT=str(self.mail.port),
                    LOKET_BENCH_UNLIMITED="1", PYTHONUNBUFFERED="1")

    def open(self, workers: int | None = None) -> BenchSite:
        """Create the database, prepare it as ``make run`` does and start ``loket serve``."""
        started = time.perf_counter()
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        self.mail.start()
        env = self.env()
        for args in (("db", "upgrade"), ("models", "deploy", str(ROOT / "bpmn_models")), ("demo",)):
            subprocess.run(loket_command(*args), env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
        self.prepare_seconds = time.perf_counter() - started
        self.log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"{self.name}.log"  # noqa: S108 - a log file
        extra = ("--workers", str(workers)) if workers else ()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                loket_command("serve", "--port", str(self.port), *extra), env=env, cwd=ROOT,
                stdout=log, stderr=subprocess.STDOUT)
        self.wait_until_up()
        return self

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/gezond", timeout=2) as response:  # noqa: S310 - loopback
                return bool(response.status == 200)
        except OSError:
            return False

    def wait_until_up(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"loket serve stopte meteen; zie {self.log_path}")
            if self.answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"loket serve antwoordde niet binnen {timeout:.0f} s; zie {self.log_path}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def close(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            self.mail.stop()
            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            if self.log_path is not None:
                self.log_path.unlink(missing_ok=True)

    # the processes, for the chaos bench ---------------------------------------------------------
    def gunicorn_master(self) -> int | None:
        return next((pid for pid, cmd in children(self._pid()).items() if "gunicorn" in cmd), None)

    def job_worker(self) -> int | None:
        return next((pid for pid, cmd in children(self._pid()).items() if "web worker" in cmd), None)

    def web_workers(self) -> list[int]:
        master = self.gunicorn_master()
        return sorted(children(master)) if master else []

    def _pid(self) -> int:
        return self.process.pid if self.process is not None else -1


def children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid`` with their command lines (Linux /proc)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found
