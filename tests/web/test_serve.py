"""``loket serve``: gunicorn with several processes and a ``loket worker``, supervised together.

Started for real on a free port and a copy of the prepared SQLite file: the site answers, the
worker sends a mail that is due, a site process killed with SIGKILL is replaced, a killed worker
is restarted, and SIGTERM stops every process. A port in use is refused at once; processes
starting together make one secret key."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine import queue_mail
from engine.db import Database
from processes.bench_site import children as child_processes
from tests.smtp_support import Mailbox

ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _until(check: Callable[[], object], timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {check}")


@pytest.fixture
def env(prepared_sqlite: Path, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "loket.sqlite3"
    shutil.copy(prepared_sqlite, path)
    return dict(os.environ, DATABASE_URL=f"sqlite:///{path}", SECRET_KEY="test-serve", PYTHONPATH=str(ROOT))


def _serve(env: dict[str, str], port: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "web", "serve", "--port", str(port), *args], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture
def served(env: dict[str, str], mailbox: Mailbox) -> Iterator[tuple[subprocess.Popen[str], str]]:
    database = Database(env["DATABASE_URL"])
    with database.transaction() as session:  # a mail due now: the worker process sends it
        queue_mail(session, None, template="bevestiging", to="serve@example.org", lang="nl",
                   context={"titel": "Moestuin", "case_ref": "INI-1", "link": "", "loket_url": ""})
    database.dispose()
    port = _free_port()
    supervisor = _serve(env | {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port)}, port, "--workers", "2")
    try:
        yield supervisor, f"http://127.0.0.1:{port}/"
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()


def test_the_site_runs_in_several_processes_beside_a_worker_and_all_stop_together(
    served: tuple[subprocess.Popen[str], str], mailbox: Mailbox
) -> None:
    supervisor, url = served
    _until(lambda: _status(url) == 200)
    children = child_processes(supervisor.pid)
    [site] = [pid for pid, cmd in children.items() if "gunicorn" in cmd]
    [worker] = [pid for pid, cmd in children.items() if "web worker" in cmd]
    site_processes = set(child_processes(site))
    assert len(site_processes) == 2
    mailbox.wait_for("serve@example.org", "Uw initiatief is ontvangen")

    killed = min(site_processes)
    os.kill(killed, signal.SIGKILL)
    replaced = _until(lambda: len(now := set(child_processes(site)) - {killed}) == 2 and now)
    assert isinstance(replaced, set) and killed not in replaced
    assert _status(url) == 200

    os.kill(worker, signal.SIGKILL)
    restarted = _until(lambda: [pid for pid, cmd in child_processes(supervisor.pid).items()
                                if "web worker" in cmd and pid != worker])
    assert isinstance(restarted, list)

    supervisor.send_signal(signal.SIGTERM)
    output, _ = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 0, output
    for pid in {site, *site_processes, *replaced, *restarted}:
        assert not _alive(pid), f"{pid} still runs"
    assert "draait op " + url in output
    assert "worker stopte onverwacht (signaal SIGKILL)" in output
    assert "Gestopt." in output.splitlines()[-1]
    assert "development server" not in output


def test_a_port_in_use_is_refused_at_once(env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        supervisor = _serve(env, taken.getsockname()[1])
        output, _ = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 1
    assert "is niet te gebruiken" in output


def test_processes_starting_together_share_one_secret_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from web import _instance_secret

    monkeypatch.setattr(Path, "exists", lambda _path: False)  # each process sees no key yet: the race
    with ProcessPoolExecutor(4, mp_context=get_context("fork")) as pool:
        secrets = set(pool.map(_instance_secret, [tmp_path] * 12))
    assert len(secrets) == 1 and len(secrets.pop()) == 64
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
