"""``loket serve`` (the site and a worker, as in production), ``loket run`` (the development
server with a worker thread) and ``loket jobs purge``."""

from __future__ import annotations

import os
import signal
import sys
import threading
from datetime import timedelta
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from processes.housekeeping import purge_old_jobs, work
from web import loket_of
from web.supervisor import Child, Supervisor, answers, listen, runs_a_while


def default_workers() -> int:
    return max(2, min(4, os.cpu_count() or 2))


def job_retention_of(app: Flask) -> timedelta:
    """How long done jobs are kept (JOB_RETENTION_DAYS, at least one day)."""
    return timedelta(days=max(1, int(app.config["JOB_RETENTION_DAYS"])))


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT: the worker finishes its job and stops."""
    stop = threading.Event()

    def handler(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def _local(host: str) -> str:
    """Where the supervisor asks the site whether it answers."""
    if host in ("", "0.0.0.0"):  # noqa: S104 - only compared
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int, show_default="5000 of PORT")
@click.option("--workers", type=click.IntRange(1, 32), default=default_workers, show_default="2 tot 4",
              help="Aantal processen van de website.")
def serve_command(host: str, port: int, workers: int) -> None:
    """Start de website (gunicorn, meerdere processen) en een worker, samen bewaakt; stop met Ctrl+C."""
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        raise click.ClickException("gunicorn ontbreekt: draai `make install`.") from None
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"Poort {port} op {host} is niet te gebruiken ({os.strerror(exc.errno or 0)}). "
                                   "Kies een andere met --port of PORT=….") from None
    fd = sock.fileno()
    site = Child("site", [sys.executable, "-m", "gunicorn", "--config", "python:web.gunicorn_conf",
                          "--bind", f"fd://{fd}", "--workers", str(workers), "web:create_app()"],
                 ready=answers(f"http://{_local(host)}:{port}/gezond"), pass_fds=(fd,))
    worker = Child("worker", [sys.executable, "-m", "web", "worker"], ready=runs_a_while)
    address = f"http://{_local(host) if host in ('', '0.0.0.0', '::') else host}:{port}/"  # noqa: S104
    supervisor = Supervisor([site, worker], env=dict(os.environ, PYTHONUNBUFFERED="1", PORT=str(port)),
                            announce=f"Het Initiatievenloket draait op {address} (stoppen: Ctrl+C).")
    try:
        code = supervisor.run()
    finally:
        sock.close()
    sys.exit(code)


@click.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int)
@click.option("--worker/--no-worker", default=True, help="Start ook een worker voor timers en mail.")
@with_appcontext
def run_command(host: str, port: int, worker: bool) -> None:
    """Start de ontwikkelserver (en een worker-thread); `loket serve` is voor gebruik."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if worker:
        thread = threading.Thread(target=work, args=(loket_of(app), f"web-{os.getpid()}"),
                                  kwargs={"job_retention": job_retention_of(app)}, daemon=True)
        thread.start()
    click.echo(f"Initiatievenloket draait op http://{host}:{port}/")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@click.group("jobs")
def jobs_group() -> None:
    """Jobs van de worker: timers, servicetaken en uitgaande mail."""


@jobs_group.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Bewaar afgeronde jobs zo veel dagen (standaard JOB_RETENTION_DAYS, 30).")
@with_appcontext
def jobs_purge(days: int | None) -> None:
    """Verwijder afgeronde jobs ouder dan de bewaartermijn (open en mislukte jobs blijven; de worker doet dit ook)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    retention = timedelta(days=days) if days else job_retention_of(app)
    removed = purge_old_jobs(loket_of(app), retention, until_done=True)
    click.echo(f"{removed} afgeronde job(s) verwijderd die ouder waren dan {retention.days} dagen.")


COMMANDS = (run_command, serve_command, jobs_group)
