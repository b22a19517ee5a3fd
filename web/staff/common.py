"""What the staff views share: the application, error pages, labels and date filters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import abort, render_template
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from processes.errors import AccessDenied, Refused, TaskAlreadyCompleted, TaskGone
from processes.loket import Loket
from processes.vocabulary import CATEGORIES
from web import current_loket
from web.i18n import gettext as _
from web.i18n import labels_per_request
from web.staff import bp

LOCAL = ZoneInfo("Europe/Amsterdam")

MAX_ID = 2_147_483_647
"""The largest id the database holds (a 32-bit ``integer`` column on PostgreSQL)."""
ID = "dbid"
"""The URL converter of every id in a route (``f"/x/<{ID}:x_id>"``): anything but 1 … MAX_ID is a 404."""
_DIGITS = re.compile(r"[0-9]{1,10}")


class IdConverter(IntegerConverter):
    """Like ``int``, but at most ten ASCII digits and at most :data:`MAX_ID`, so the URL router
    itself refuses a number no id column can hold (a 404 for every method, not a database error)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault(ID, IdConverter)


bp.record_once(_register_converter)  # runs before the routes of the modules importing ID are added


def form_id(value: str | None) -> int | None:
    """The database id a form field holds, or None when it is no id at all (empty, not a number,
    zero, or larger than any id can be), so a view can answer with a field error."""
    text = (value or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def loket() -> Loket:
    """The application every staff view hands its use case."""
    return current_loket()


def file_response(content: bytes | Iterable[bytes] | None, mimetype: str, *,
                  download_name: str | None = None) -> Response:
    """``content`` as the response (404 when there is none; pieces are sent as they are read);
    with ``download_name`` as an attachment."""
    if content is None:
        abort(404)
    response = Response(content, mimetype=mimetype)
    if download_name is not None:
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name, safe='')}"
    return response


def error_page(status: int, title: str, text: str) -> tuple[str, int]:
    return render_template("staff/message.html", status=status, title=title, text=text), status


@bp.errorhandler(AccessDenied)
def access_denied(_error: AccessDenied) -> tuple[str, int]:
    return error_page(403, _("Geen toegang"),
                      _("Deze taak of dit initiatief hoort niet bij uw team. Vraag een collega van het team."))


@bp.errorhandler(403)
def forbidden(_error: Exception) -> tuple[str, int]:
    return error_page(403, _("Geen toegang"),
                      _("Uw rol geeft geen toegang tot deze pagina. Vraag de beheerder als u dit wel nodig heeft."))


@bp.errorhandler(TaskGone)
def task_gone(_error: TaskGone) -> tuple[str, int]:
    return error_page(404, _("Deze taak is er niet meer"),
                      _("De taak is niet meer open, bijvoorbeeld omdat het initiatief is ingetrokken."))


@bp.errorhandler(TaskAlreadyCompleted)
def task_already_completed(error: TaskAlreadyCompleted) -> tuple[str, int]:
    return render_template("staff/conflict.html", error=error), 409


@bp.errorhandler(Refused)
def refused(error: Refused) -> tuple[str, int]:
    return error_page(400, _("Dat kan zo niet"), reason_text(error.code))


def reason_text(code: str) -> str:
    texts = {
        "unknown_colleague": _("Deze collega bestaat niet of is niet actief."),
        "colleague_not_in_team": _("Deze collega zit niet in het team van deze taak."),
        "empty_question": _("Schrijf eerst uw vraag aan de initiatiefnemer."),
        "no_question_on_form": _("Bij deze taak kunt u geen aanvulling vragen."),
        "unknown_channel": _("Kies hoe het contact was."),
        "empty_summary": _("Schrijf kort op waar het contact over ging."),
        "summary_too_long": _("De samenvatting is te lang. Gebruik hoogstens 4000 tekens."),
        "unknown_guide": _("Kies een actieve begeleider."),
        "too_many_files": _("U kunt hoogstens 5 bestanden toevoegen."),
        "no_guide_yet": _("Dit initiatief heeft nog geen begeleider. Die kiest het initiatieventeam in de taak "
                          "Begeleider kiezen."),
        "same_guide": _("Deze begeleider is al gekoppeld."),
        "deactivate_self": _("U kunt uw eigen account niet uitzetten. Vraag een andere beheerder om dat te doen."),
        "reset_self": _("Uw eigen wachtwoord wijzigt u met de link Wachtwoord wijzigen bovenaan de pagina."),
        "reset_external": _("Dit account logt in met het organisatie-account. Het wachtwoord daarvan regelt de "
                            "organisatie, niet het loket."),
    }
    return texts.get(code, _("Controleer wat u invulde en probeer het opnieuw."))


def category_names() -> dict[str, str]:
    """The three categories of the Dordrecht letter."""
    names = {"eenvoudig": _("Eenvoudig (groen)"), "wijkwens": _("Wijkwens"), "complex": _("Complex initiatief")}
    return {code: names.get(code, code) for code in CATEGORIES}


@labels_per_request
def category_labels() -> dict[str, str]:
    """The processes a task can belong to: intake, a category, or the aanvulling path."""
    return {"initiatief": _("Intake"), **category_names(), "aanvulling": _("Aanvulling")}


@labels_per_request
def channel_labels() -> dict[str, str]:
    return {"telefoon": _("Telefoon"), "balie": _("Balie"), "email": _("E-mail"), "brief": _("Brief"),
            "online": _("Online")}


@labels_per_request
def audit_labels() -> dict[str, str]:
    return {
        "started": _("Ingediend"),
        "task_completed": _("Taak afgerond"),
        "status": _("Status gewijzigd"),
        "message": _("Bericht van de initiatiefnemer verwerkt"),
        "service": _("Automatische stap"),
        "timer": _("Termijn verstreken"),
        "overdue": _("Servicenorm verlopen"),
        "completed": _("Afgesloten"),
        "cancelled": _("Stopgezet"),
        "incident_retry": _("Storing opnieuw geprobeerd"),
        "incident": _("Storing: het proces liep vast"),
        "incident_resumed": _("Verder gegaan na een storing"),
        "task_claimed": _("Taak opgepakt"),
        "task_released": _("Taak vrijgegeven"),
        "task_handed_over": _("Taak overgedragen"),
        "guide_reassigned": _("Andere begeleider gekoppeld"),
        "contact_moment": _("Contactmoment vastgelegd"),
        "staff_message": _("Bericht aan de initiatiefnemer"),
        "privacy_attachments_removed": _("Bijlagen verwijderd (bewaartermijn)"),
        "privacy_anonymised": _("Persoonsgegevens verwijderd (bewaartermijn)"),
    }


@labels_per_request
def role_labels() -> dict[str, str]:
    return {
        "intake": _("Initiatieventeam (intake)"),
        "begeleider": _("Begeleider"),
        "team-groen": _("Team Groen"),
        "regiegroep": _("Regiegroep"),
        "fondsbeheerder": _("Fondsbeheerder"),
        "specialist": _("Vakspecialist"),
        "kcc": _("Klantcontactcentrum"),
        "procesbeheerder": _("Procesbeheerder"),
        "beheerder": _("Beheerder"),
        "privacyfunctionaris": _("Privacyfunctionaris"),
    }


@bp.app_template_filter("staff_datetime")
def staff_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(LOCAL).strftime("%d-%m-%Y %H:%M")


@bp.app_template_filter("staff_date")
def staff_date(value: datetime | None) -> str:
    if value is None:
        return "–"
    return value.astimezone(LOCAL).strftime("%d-%m-%Y")


@bp.context_processor
def staff_labels() -> dict[str, object]:
    return {"category_labels": category_labels, "channel_labels": channel_labels, "audit_labels": audit_labels,
            "role_labels": role_labels}
