"""The staff workspace: login, task lists, task pages, case file, KCC, register on behalf (issue 5).

Modules: ``auth`` (login, sessions, the ``requires`` decorator), ``tasks``, ``casefile``,
``kcc``, ``register``, ``admin`` (views); ``services/`` (no Flask); ``models`` (tables);
``demo`` (demo accounts).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/medewerker", static_folder="static",
               static_url_path="/static")

from web.staff import admin, auth, casefile, common, kcc, register, tasks  # noqa: E402,F401 - registers the routes
