"""Flask app factory: blueprints per area, the application (:class:`processes.loket.Loket`) in
``app.extensions``. The factory and the CLI wire the engine; views reach it only through a use case."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app

from engine import Engine, FolderMailer, Mailer, SmtpMailer, default_database_url
from processes import MODELS_DIR
from processes.loket import Loket, build_loket
from processes.oidc.settings import from_environment as oidc_environment

BENCH_DATABASE = "/loket_load_"
"""How the load benches name their throw-away databases (:mod:`processes.bench_site`)."""


def _bench_site() -> bool:
    """Whether this is the site ``loket bench load``/``chaos`` started: ``LOKET_BENCH_UNLIMITED=1``
    and one of their throw-away databases (all simulated users share one address, so the rate
    limits would measure themselves). A real site that has the switch set by mistake keeps its
    limits."""
    return (os.environ.get("LOKET_BENCH_UNLIMITED") == "1"
            and BENCH_DATABASE in os.environ.get("DATABASE_URL", ""))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=default_database_url(Path(app.instance_path)),
        SECRET_KEY=os.environ.get("SECRET_KEY") or _instance_secret(Path(app.instance_path)),
        SMTP_HOST=os.environ.get("SMTP_HOST"),
        SMTP_PORT=int(os.environ.get("SMTP_PORT", "25")),
        MAIL_FROM=os.environ.get("MAIL_FROM", "initiatievenloket@gemeente.example"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_TRANSLATION_DIRECTORIES=";".join(
            str(Path(__file__).parent / folder / "translations") for folder in (".", "public", "staff")
        ),
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_ENABLED=not _bench_site(),
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The start form is limited per initiative being written (its draft) and, far higher,
        # per address: a library computer or a neighbourhood evening behind one address can fill
        # in many initiatives, while one address flooding the form is still stopped.
        START_FORM_STEPS_PER_DRAFT="30/minute",
        START_FORM_STEPS_PER_ADDRESS="300/minute",
        START_FORM_SENDS_PER_DRAFT="10/minute",
        START_FORM_SENDS_PER_ADDRESS="100/minute",
        # Links in mails; without a setting, the address `make run` serves on.
        PUBLIC_URL=os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}",
        # Done jobs (fired timers, sent mail) are deleted after this many days.
        JOB_RETENTION_DAYS=int(os.environ.get("JOB_RETENTION_DAYS", "30")),
    )
    app.config.from_mapping(oidc_environment(os.environ))  # staff sign-on: processes.oidc.settings
    if test_config:
        app.config.update(test_config)
    if os.environ.get("PROXY_FIX") == "1":
        # Behind one reverse proxy: trust its X-Forwarded-For/-Proto so rate limits and the
        # login throttle see the real client address.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.extensions["loket"] = build_loket(app.config["DATABASE_URL"],
                                          mailer=build_mailer(app.config, Path(app.instance_path)),
                                          models_dir=Path(app.config.get("MODELS_DIR") or MODELS_DIR))
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_extensions(app: Flask) -> None:
    from web import errors
    from web.extensions import babel, csrf, limiter, login_manager
    from web.i18n import current_lang, file_size, install_cached_translations, select_locale

    babel.init_app(app, locale_selector=select_locale)
    install_cached_translations(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    app.jinja_env.globals["current_lang"] = current_lang
    app.jinja_env.filters["file_size"] = file_size
    errors.register(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        )
        return response


def _register_blueprints(app: Flask) -> None:
    from web import i18n, public, site, staff

    app.register_blueprint(site.bp)
    app.register_blueprint(i18n.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(staff.bp)


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept outside the repository. Made at most once, also when the
    site's processes start together: written aside, then linked into place (which fails if
    another process was first, and then its secret is read)."""
    path = instance / "secret_key"
    if not path.exists():
        draft = instance / f"secret_key.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def build_mailer(config: Any, instance: Path) -> Mailer:
    if config.get("SMTP_HOST"):
        return SmtpMailer(config["SMTP_HOST"], int(config["SMTP_PORT"]), config["MAIL_FROM"])
    folder = Path(config["MAIL_FOLDER"]) if config.get("MAIL_FOLDER") else instance / "mail"
    return FolderMailer(folder, sender=config["MAIL_FROM"])


def loket_of(app: Flask) -> Loket:
    loket: Loket = app.extensions["loket"]
    return loket


def current_loket() -> Loket:
    """The application of the app handling this request: what every view hands its use case."""
    return loket_of(current_app)


def engine_of(app: Flask) -> Engine:
    """The engine (for the CLI and the tests; views go through a use case)."""
    return loket_of(app).engine
