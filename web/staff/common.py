"""What the staff views share: the engine and form registry, error pages, labels and date filters."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import gettext as _

from engine.errors import TaskAlreadyCompleted
from engine.service import Engine
from forms import FormRegistry
from processes import FORMS_DIR
from web import engine_of
from web.staff import bp
from web.staff.services.errors import AccessDenied, NotAllowedHere, TaskGone

LOCAL = ZoneInfo("Europe/Amsterdam")
_REGISTRY = FormRegistry(FORMS_DIR)


def engine() -> Engine:
    return engine_of(current_app)


def registry() -> FormRegistry:
    """The app's form registry (the one the engine validates with)."""
    found = getattr(engine().forms, "registry", None)
    return found if isinstance(found, FormRegistry) else _REGISTRY


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


@bp.errorhandler(NotAllowedHere)
def not_allowed_here(error: NotAllowedHere) -> tuple[str, int]:
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
        "no_guide_yet": _("Dit initiatief heeft nog geen begeleider. Die kiest het initiatieventeam in de taak "
                          "Begeleider kiezen."),
        "same_guide": _("Deze begeleider is al gekoppeld."),
        "unknown_expertise": _("Kies kennisgebieden uit de lijst."),
        "unknown_district": _("Kies een wijk uit de lijst."),
        "bad_amount": _("Vul een bedrag in euro in, bijvoorbeeld 25.000."),
        "unknown_budget": _("Dit budget bestaat niet."),
        "below_reserved": _("Het budget kan niet lager zijn dan wat al is gereserveerd."),
        "deactivate_self": _("U kunt uw eigen account niet uitzetten. Vraag een andere beheerder om dat te doen."),
        "reset_self": _("Uw eigen wachtwoord wijzigt u met de link Wachtwoord wijzigen bovenaan de pagina."),
    }
    return texts.get(code, _("Controleer wat u invulde en probeer het opnieuw."))


def category_labels() -> dict[str, str]:
    return {
        "initiatief": _("Intake"),
        "eenvoudig": _("Eenvoudig (groen)"),
        "wijkwens": _("Wijkwens"),
        "complex": _("Complex"),
        "aanvulling": _("Aanvulling"),
    }


def channel_labels() -> dict[str, str]:
    return {"telefoon": _("Telefoon"), "balie": _("Balie"), "email": _("E-mail"), "brief": _("Brief"),
            "online": _("Online")}


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
        "task_claimed": _("Taak opgepakt"),
        "task_released": _("Taak vrijgegeven"),
        "task_handed_over": _("Taak overgedragen"),
        "guide_reassigned": _("Andere begeleider gekoppeld"),
        "contact_moment": _("Contactmoment vastgelegd"),
        "staff_message": _("Bericht aan de initiatiefnemer"),
    }


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
