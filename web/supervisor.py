"""``loket serve``: the site (gunicorn with several worker processes) and one ``loket worker``,
started and watched together, their output in one terminal.

The supervisor opens the listening socket itself and hands it to gunicorn, so a port in use is
said at once, and a restarted gunicorn takes over the same socket (requests wait in its queue
meanwhile). Gunicorn replaces a crashed site process itself; the supervisor restarts gunicorn or
the worker when one of them stops, after 1, 2, 4 … 30 seconds. SIGINT (Ctrl+C) and SIGTERM stop
both gently (SIGTERM; SIGKILL after ``STOP_SECONDS``); a second Ctrl+C stops them at once. The
children run in their own process group, so Ctrl+C reaches only the supervisor, and on Linux
they get SIGTERM when the supervisor dies.
"""

from __future__ import annotations

import ctypes
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

START_SECONDS = 5.0
"""A worker that runs this long has started."""
STABLE_SECONDS = 60.0
"""A child that ran this long starts its next restart after one second again."""
MAX_BACKOFF = 30.0
STOP_SECONDS = 15.0
PROBE_TIMEOUT = 1.0


_PRCTL = ctypes.CDLL(None).prctl if sys.platform.startswith("linux") else None
PR_SET_PDEATHSIG = 1


def _in_own_group() -> None:  # pragma: no cover - runs in the child between fork and exec
    os.setpgrp()
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)  # the child is stopped when the supervisor dies


@dataclass
class Child:
    """A process the supervisor keeps running."""

    name: str
    argv: list[str]
    ready: Callable[[Child], bool]
    """Whether the running child has started (then a later stop is a crash, not a failed start)."""
    pass_fds: tuple[int, ...] = ()
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    up: bool = False
    ever_up: bool = False
    backoff: float = 1.0
    restart_at: float | None = None
    pending: bytes = field(default=b"")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def runs_a_while(child: Child) -> bool:
    return time.monotonic() - child.started_at >= START_SECONDS


def answers(url: str) -> Callable[[Child], bool]:
    """Ready when ``url`` answers 200."""

    def probe(_child: Child) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT) as response:  # noqa: S310 - our own site
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    return probe


def listen(host: str, port: int) -> socket.socket:
    """The site's listening socket (OSError when the port is taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=2048)
    sock.set_inheritable(True)
    return sock


class Supervisor:
    def __init__(self, children: list[Child], *, env: dict[str, str], out: IO[str] | None = None,
                 announce: str | None = None) -> None:
        self.children = children
        self.env = env
        self.out = out or sys.stdout
        self.announce = announce
        self.signals = 0
        self.stopping = 0
        self.selector = selectors.DefaultSelector()
        self.width = max(len(child.name) for child in children)

    # output ----------------------------------------------------------------------------------
    def say(self, name: str, line: str) -> None:
        try:
            self.out.write(f"{name:<{self.width}} | {line}\n")
            self.out.flush()
        except (OSError, ValueError):
            pass

    def _pump(self, timeout: float) -> None:
        for key, _ in self.selector.select(timeout):
            child: Child = key.data
            try:
                chunk = os.read(key.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.selector.unregister(key.fd)
                os.close(key.fd)
                self._lines(child, final=True)
                continue
            child.pending += chunk
            self._lines(child)

    def _lines(self, child: Child, final: bool = False) -> None:
        *lines, child.pending = child.pending.split(b"\n")
        if final and child.pending:
            lines, child.pending = [*lines, child.pending], b""
        for line in lines:
            self.say(child.name, line.decode("utf-8", "replace").rstrip())

    # children --------------------------------------------------------------------------------
    def _start(self, child: Child) -> None:
        read, write = os.pipe()
        child.process = subprocess.Popen(  # noqa: S603 - our own commands
            child.argv, stdin=subprocess.DEVNULL, stdout=write, stderr=write, env=self.env,
            pass_fds=child.pass_fds, preexec_fn=_in_own_group,  # the supervisor runs no threads
        )
        os.close(write)
        os.set_blocking(read, False)
        self.selector.register(read, selectors.EVENT_READ, child)
        child.started_at, child.up, child.restart_at = time.monotonic(), False, None

    def _signal(self, signum: int, _frame: Any) -> None:
        self.signals += 1  # only counted here: the loop acts on it (no output inside a handler)

    def _stop(self) -> None:
        """Act on the signals received since the last call: the first stops gently, a next one at once."""
        while self.stopping < self.signals:
            self.stopping += 1
            if self.stopping == 1:
                self.say("loket", "Stoppen…")
                self._send(signal.SIGTERM)
            else:
                self._send(signal.SIGKILL)

    def _send(self, signum: int) -> None:
        for child in self.children:
            if child.running and child.process is not None:
                try:
                    os.kill(child.process.pid, signum)
                except ProcessLookupError:
                    pass

    def _check(self, child: Child) -> bool:
        """Look after one child; False when it could not start at all (the supervisor gives up)."""
        now = time.monotonic()
        if child.process is None or child.restart_at is not None:
            if child.restart_at is not None and now >= child.restart_at:
                self._start(child)
            return True
        code = child.process.poll()
        if code is None:
            if not child.up and child.ready(child):
                child.up = True
                if not child.ever_up and self.announce and child is self.children[0]:
                    self._pump(0.05)  # what was written while the probe waited comes first
                    self.say("loket", self.announce)
                child.ever_up = True
            if child.up and now - child.started_at >= STABLE_SECONDS:
                child.backoff = 1.0
            return True
        if not child.ever_up and code > 0:
            self.say("loket", f"{child.name} kon niet starten (code {code}).")
            return False
        how = f"code {code}" if code >= 0 else f"signaal {signal.Signals(-code).name}"
        self.say("loket", f"{child.name} stopte onverwacht ({how}); opnieuw starten over {child.backoff:.0f} s.")
        child.restart_at = now + child.backoff
        child.backoff = min(child.backoff * 2, MAX_BACKOFF)
        return True

    def run(self) -> int:
        """Start every child and watch them until a signal stops them; the exit code."""
        previous = {signum: signal.signal(signum, self._signal) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in self.children:
                self._start(child)
            failed = False
            while not self.signals and not failed:
                self._pump(0.2)
                failed = not all([self._check(child) for child in self.children])
            if failed:
                self.signals += 1
            self._stop()
            self._wait_for_children()
            return 1 if failed else 0
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _wait_for_children(self) -> None:
        deadline = time.monotonic() + STOP_SECONDS
        while any(child.running for child in self.children):
            self._stop()
            if time.monotonic() > deadline:
                self.say("loket", "Nog niet gestopt: nu afgebroken.")
                self._send(signal.SIGKILL)
                deadline = time.monotonic() + STOP_SECONDS
            self._pump(0.1)
        deadline = time.monotonic() + 2.0  # what the children still wrote (an orphan may hold a pipe)
        while self.selector.get_map() and time.monotonic() < deadline:
            self._pump(0.1)
        self.say("loket", "Gestopt.")
