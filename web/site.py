"""Public pages that need no login."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from engine.models import ModelVersion
from web import engine_of

bp = Blueprint("site", __name__)


@bp.get("/")
def home() -> str:
    engine = engine_of(current_app)
    with engine.db.transaction() as session:
        processes = session.execute(
            select(ModelVersion.process_id, ModelVersion.name, ModelVersion.version_no)
            .order_by(ModelVersion.process_id, ModelVersion.version_no.desc())
        ).all()
    latest: dict[str, tuple[str | None, int]] = {}
    for process_id, name, version_no in processes:
        latest.setdefault(process_id, (name, version_no))
    return render_template("site/home.html", processes=latest)


@bp.get("/gezond")
def health() -> tuple[dict[str, str], int]:
    engine = engine_of(current_app)
    with engine.db.transaction() as session:
        session.execute(select(1))
    return {"status": "ok"}, 200
