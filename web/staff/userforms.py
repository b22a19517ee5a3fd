"""What the account pages show: the fields of the account and password forms (as the shared form
macros render them), the sentence for each problem code, and the account audit in words."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from processes.access import ROLES
from processes.passwords import MAX_LENGTH, MIN_LENGTH
from processes.tables.staff import StaffAudit
from processes.users import AccountForm, Organisation
from web.formview import FieldView, OptionView
from web.i18n import gettext as _
from web.staff.common import role_labels

ACCOUNT_FIELDS = {"name": "naam", "email": "email", "roles": "rollen", "teams": "teams", "district": "wijk",
                  "password": "wachtwoord"}
"""Service field -> form field of the account forms."""
CHANGE_FIELDS = {"current": "huidig_wachtwoord", "new": "nieuw_wachtwoord", "repeat": "herhaal_wachtwoord"}
"""Service field -> form field of the change-password form."""


def problem_text(code: str) -> str:
    texts = {
        "name_missing": _("Vul de naam in."),
        "name_too_long": _("De naam is te lang. Gebruik hoogstens 200 tekens."),
        "email_missing": _("Vul het e-mailadres in."),
        "email_invalid": _("Vul een goed e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        "email_taken": _("Er is al een account met dit e-mailadres. Zoek het op in de lijst met gebruikers."),
        "roles_missing": _("Kies minstens één rol."),
        "roles_unknown": _("Kies rollen uit de lijst."),
        "teams_unknown": _("Kies teams uit de lijst."),
        "district_missing": _("Kies de wijk van de regiegroep. Dat is nodig bij de rol Regiegroep."),
        "district_unknown": _("Kies een wijk uit de lijst."),
        "district_without_role": _("Kies alleen een wijk als de gebruiker de rol Regiegroep heeft."),
        "own_admin_role": _("U kunt uw eigen rol Beheerder niet weghalen. Vraag een andere beheerder om dat te doen."),
        "password_missing": _("Vul een wachtwoord in."),
        "password_short": _("Het wachtwoord is te kort. Gebruik minstens %(num)d tekens.", num=MIN_LENGTH),
        "password_long": _("Het wachtwoord is te lang. Gebruik hoogstens %(num)d tekens.", num=MAX_LENGTH),
        "password_simple": _("Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld een korte zin of een paar "
                             "losse woorden."),
        "password_personal": _("Gebruik geen naam of e-mailadres in het wachtwoord."),
        "password_same": _("Het nieuwe wachtwoord is hetzelfde als het oude. Kies een ander wachtwoord."),
        "password_mismatch": _("De twee nieuwe wachtwoorden zijn niet hetzelfde. Typ het nieuwe wachtwoord twee keer "
                               "precies gelijk."),
        "password_wrong": _("Uw huidige wachtwoord klopt niet."),
        "current_missing": _("Vul uw huidige wachtwoord in."),
    }
    return texts.get(code, _("Controleer wat u invulde en probeer het opnieuw."))


def field_errors(problems: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    """Form field -> message, from the service's field -> code."""
    return {names.get(key, key): problem_text(code) for key, code in problems.items()}


def password_help() -> str:
    return _("Minstens %(num)d tekens. Een korte zin of een paar losse woorden is makkelijk te onthouden en moeilijk "
             "te raden. Gebruik geen naam of e-mailadres.", num=MIN_LENGTH)


def text_field(name: str, label: str, *, value: str = "", error: str = "", help_text: str = "",
               required: bool = True, input_type: str | None = None, autocomplete: str | None = None,
               max_length: int | None = None) -> FieldView:
    return FieldView(name=name, html_id=f"veld-{name}", widget="text", label=label, help=help_text, condition="",
                     required=required, value=value, error=error, options=[], input_type=input_type, inputmode=None,
                     autocomplete=autocomplete, max_length=max_length)


def choice_field(name: str, label: str, widget: str, options: list[tuple[str, str]], chosen: Collection[str], *,
                 error: str = "", help_text: str = "", condition: str = "", required: bool = False) -> FieldView:
    views = [OptionView(value, text, value in chosen) for value, text in options]
    return FieldView(name=name, html_id=f"veld-{name}", widget=widget, label=label, help=help_text,
                     condition=condition, required=required, value="", error=error, options=views, input_type=None,
                     inputmode=None, autocomplete=None, max_length=None)


def account_fields(form: AccountForm, org: Organisation, errors: Mapping[str, str], *, new: bool) -> list[FieldView]:
    """The fields of the new-account form (``new``) or of the account's details form."""
    labels = role_labels()
    fields = [text_field("naam", _("Naam"), value=form.name, error=errors.get("naam", ""), autocomplete="off",
                         max_length=200)]
    if new:
        fields.append(text_field("email", _("E-mailadres"), value=form.email, error=errors.get("email", ""),
                                 help_text=_("Het e-mailadres van het werk. Hiermee logt de gebruiker in. U kunt het "
                                             "later niet meer veranderen."),
                                 input_type="email", autocomplete="off", max_length=254))
    fields += [
        choice_field("rollen", _("Rollen"), "checkboxes", [(role, labels.get(role, role)) for role in ROLES],
                     form.roles, error=errors.get("rollen", ""), required=True,
                     help_text=_("De rol bepaalt welke onderdelen van de werkplek de gebruiker ziet.")),
        choice_field("teams", _("Teams"), "checkboxes", [(team.code, team.name) for team in org.teams], form.teams,
                     error=errors.get("teams", ""),
                     help_text=_("Van de werkvoorraad van deze teams kan de gebruiker taken oppakken.")),
        choice_field("wijk", _("Wijk van de regiegroep"), "select",
                     [(district.code, district.name) for district in org.districts], [form.district],
                     error=errors.get("wijk", ""), condition=_("Alleen nodig bij de rol Regiegroep.")),
    ]
    if new:
        fields.append(one_time_password_field(errors.get("wachtwoord", "")))
    return fields


def one_time_password_field(error: str = "") -> FieldView:
    return text_field("wachtwoord", _("Tijdelijk wachtwoord"), error=error, autocomplete="off", max_length=MAX_LENGTH,
                      help_text=password_help() + " " + _("Geef het wachtwoord persoonlijk of telefonisch door. Bij de "
                                                          "eerste keer inloggen kiest de gebruiker zelf een nieuw "
                                                          "wachtwoord."))


def change_fields(errors: Mapping[str, str]) -> list[FieldView]:
    return [
        text_field("huidig_wachtwoord", _("Huidig wachtwoord"), error=errors.get("huidig_wachtwoord", ""),
                   input_type="password", autocomplete="current-password", max_length=1000),
        text_field("nieuw_wachtwoord", _("Nieuw wachtwoord"), error=errors.get("nieuw_wachtwoord", ""),
                   help_text=password_help(), input_type="password", autocomplete="new-password",
                   max_length=MAX_LENGTH),
        text_field("herhaal_wachtwoord", _("Nieuw wachtwoord nog een keer"), error=errors.get("herhaal_wachtwoord", ""),
                   input_type="password", autocomplete="new-password", max_length=MAX_LENGTH),
    ]


# the account audit in words ------------------------------------------------------------------
def action_labels() -> dict[str, str]:
    return {
        "created": _("Account aangemaakt"),
        "updated": _("Gegevens gewijzigd"),
        "deactivated": _("Account uitgezet"),
        "reactivated": _("Account weer aangezet"),
        "password_reset": _("Tijdelijk wachtwoord ingesteld"),
        "password_changed": _("Wachtwoord gewijzigd"),
        "signed_on_created": _("Account aangemaakt bij inloggen met organisatie-account"),
        "signed_on_updated": _("Gegevens bijgewerkt bij inloggen met organisatie-account"),
    }


@dataclass(frozen=True)
class AuditLine:
    entry: StaffAudit
    action: str
    details: list[str]


def _shown(key: str, value: Any, teams: Mapping[str, str]) -> str:
    if value is None or value == []:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if not isinstance(value, list):
        return str(value)
    names = role_labels() if key == "roles" else teams
    return ", ".join(names.get(str(item), str(item)) for item in value)


def audit_lines(entries: list[StaffAudit], teams: Mapping[str, str]) -> list[AuditLine]:
    """Each audit row with its action and its changes in words ("Rollen: KCC → KCC, Beheerder")."""
    labels = action_labels()
    what = {"name": _("Naam"), "roles": _("Rollen"), "teams": _("Teams"), "external": _("Organisatie-account")}
    lines = []
    for entry in entries:
        details = [
            _("%(what)s: %(before)s → %(after)s", what=what.get(key, key), before=_shown(key, change[0], teams),
              after=_shown(key, change[1], teams))
            for key, change in (entry.changes or {}).items()
            if isinstance(change, list) and len(change) == 2
        ]
        lines.append(AuditLine(entry, labels.get(entry.action, entry.action), details))
    return lines
