"""Every error a user can meet gets a page in plain language, never a traceback."""

from __future__ import annotations

import logging
import re
from decimal import InvalidOperation

import psycopg
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

from processes.errors import ConcurrentUpdate, NotFound, StartUnavailable, TaskAlreadyCompleted
from web.i18n import gettext as _

log = logging.getLogger(__name__)


def _page(status: int, title: str, text: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, title=title, text=text), status


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidCharacters(BadRequest):
    """Input with control characters (such as NUL) that no field may hold."""


def reject_control_characters() -> None:
    """Refuse a request whose parameters hold invisible control characters before any view
    stores them (PostgreSQL cannot even store NUL in text)."""
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data",
    ):
        sources.append(request.form)
    for source in sources:
        for key, values in source.lists():
            if _CONTROL.search(key) or any(_CONTROL.search(value) for value in values):
                raise InvalidCharacters()


def register(app: Flask) -> None:
    app.before_request(reject_control_characters)

    @app.errorhandler(InvalidCharacters)
    def invalid_characters(_error: InvalidCharacters) -> tuple[str, int]:
        return _page(400, _("Uw invoer bevat een teken dat we niet kunnen verwerken"),
                     _("Er staat een onzichtbaar teken in wat u invulde. Typ de tekst opnieuw "
                       "(niet plakken) en probeer het nog een keer."))

    @app.errorhandler(OverflowError)
    @app.errorhandler(InvalidOperation)
    @app.errorhandler(DataError)
    @app.errorhandler(psycopg.DataError)
    def unusable_value(_error: Exception) -> tuple[str, int]:
        # A number or text the database cannot hold: the request was wrong, not the site.
        return _page(400, _("Er ging iets mis met uw verzoek"), _("Controleer wat u invulde en probeer het opnieuw."))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error: CSRFError) -> tuple[str, int]:
        return _page(400, _("Het formulier is verlopen"),
                     _("Ga terug, laad de pagina opnieuw en verstuur het formulier nog een keer."))

    @app.errorhandler(TaskAlreadyCompleted)
    def task_done(error: TaskAlreadyCompleted) -> tuple[str, int]:
        return _page(409, _("Deze taak is al afgehandeld"), str(error))

    @app.errorhandler(ConcurrentUpdate)
    def concurrent(_error: ConcurrentUpdate) -> tuple[str, int]:
        return _page(409, _("Iemand anders was u voor"),
                     _("Het initiatief is intussen gewijzigd. "
                       "Laad de pagina opnieuw en kijk of uw actie nog nodig is."))

    @app.errorhandler(StartUnavailable)
    def start_unavailable(_error: StartUnavailable) -> tuple[str, int]:
        log.error("no initiative can be started: the initiative process is not deployed or names no start form")
        return _page(503, _("Aanmelden kan nu niet"),
                     _("Er kan op dit moment geen initiatief worden aangemeld. Probeer het later opnieuw."))

    @app.errorhandler(NotFound)
    def not_found_domain(_error: NotFound) -> tuple[str, int]:
        return _page(404, _("Niet gevonden"), _("Deze pagina bestaat niet (meer)."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        titles = {
            400: (_("Er ging iets mis met uw verzoek"), _("Controleer wat u invulde en probeer het opnieuw.")),
            403: (_("Geen toegang"), _("U mag deze pagina niet bekijken. Log in met een account dat dat wel mag.")),
            404: (_("Niet gevonden"), _("Deze pagina bestaat niet (meer). Controleer het adres.")),
            405: (_("Dat kan zo niet"), _("Gebruik de knoppen op de pagina.")),
            413: (_("Het bestand is te groot"), _("Kies een kleiner bestand en probeer het opnieuw.")),
            429: (_("Even geduld"), _("U probeerde het te vaak achter elkaar. Wacht een paar minuten.")),
        }
        title, text = titles.get(status, (_("Er ging iets mis"), _("Probeer het later opnieuw.")))
        return _page(status, title, text)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unexpected error", exc_info=error)
        return _page(500, _("Er ging iets mis"),
                     _("Er ging bij ons iets mis. Er is niets opgeslagen. Probeer het later opnieuw."))
