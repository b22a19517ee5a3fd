"""The public side: landing page data, start form, confirmation and "Mijn initiatieven" (issue 4).

Routes live in :mod:`web.public.views_form` (the start form) and
:mod:`web.public.views_portal` (login and "Mijn initiatieven"); the services they call
(:mod:`processes.intake`, :mod:`processes.portal`, ...) are plain functions over the engine
and a session, tested without HTTP."""

from __future__ import annotations

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

bp = Blueprint("public", __name__)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    from flask import Flask

    from web import loket_of
    from web.public.links import install_mail_globals

    app = state.app
    assert isinstance(app, Flask)
    install_mail_globals(app, loket_of(app))


def _register_views() -> None:
    from web.public import display, views_data, views_form, views_portal  # noqa: F401 - registers the routes

    display.register(bp)


_register_views()
