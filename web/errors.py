"""Every error a user can meet gets a page in plain language, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine.errors import ConcurrentUpdate, NotFound, TaskAlreadyCompleted

log = logging.getLogger(__name__)


def _page(status: int, title: str, text: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, title=title, text=text), status


def register(app: Flask) -> None:
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
