"""The staff workspace: login, task lists, task pages, case file, KCC, register on behalf (issue 5).

Modules: ``auth`` (login, sessions, the ``requires`` decorator), ``password`` (change one's own
password), ``tasks``, ``dossier`` (the case file), ``kcc``, ``register``,
``incidents``, ``studio``
(the process owner's diagrams: versions in use, check and deploy), ``orgpages`` (the beheer
overview and a page per subject), ``orgadmin`` (the organisation forms), ``users`` (staff
accounts), ``sso_views`` (sign-on with the organisation's OpenID Connect provider; its app-wide
part in ``sso``) (views); ``userforms`` and ``orgforms`` (the account and organisation forms);
``wording`` (case data in words). Every view calls a use case of ``processes``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/medewerker", static_folder="static",
               static_url_path="/static")

from web.staff import (  # noqa: E402,F401 - registers the routes
    auth,
    common,
    compare,
    dossier,
    editor,
    form_editor,
    incidents,
    kcc,
    monitor,
    monitor_exports,
    monitor_report,
    moving,
    orgadmin,
    orgpages,
    password,
    privacy,
    register,
    replay,
    scenarios,
    sso_views,
    studio,
    studio_drafts,
    tasks,
    text_editor,
    users,
    waiting,
    wording,
)
