"""Flask app factory: blueprints per area, the engine in ``app.extensions``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from engine.db import Database, default_database_url
from engine.mail import FolderMailer, Mailer, SmtpMailer
from engine.service import Engine
from processes import FORMS_DIR, MAIL_TEMPLATES_DIR, handlers
from web.forms_adapter import FormsAdapter


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
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["loket_engine"] = build_engine(app.config, Path(app.instance_path))

    from web import site

    app.register_blueprint(site.bp)
    return app


def _instance_secret(instance: Path) -> str:
    """A per-installation secret kept outside the repository."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def build_mailer(config: Any, instance: Path) -> Mailer:
    if config.get("SMTP_HOST"):
        return SmtpMailer(config["SMTP_HOST"], int(config["SMTP_PORT"]), config["MAIL_FROM"])
    return FolderMailer(instance / "mail", sender=config["MAIL_FROM"])


def build_engine(config: Any, instance: Path) -> Engine:
    forms = FormsAdapter(FORMS_DIR)
    return Engine(
        Database(config["DATABASE_URL"]),
        handlers=handlers,
        forms=forms,
        check_task_data=forms.errors,
        mailer=build_mailer(config, instance),
        mail_templates=MAIL_TEMPLATES_DIR,
    )


def engine_of(app: Flask) -> Engine:
    engine: Engine = app.extensions["loket_engine"]
    return engine
