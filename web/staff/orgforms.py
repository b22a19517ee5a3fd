"""The forms of the beheer pages: one small form per district, team, guide, budget and fund, plus
the forms to add a district, a team, a guide, a new year's budgets and a new year's fund, each with
its fields as the shared form macros render them; and the problem codes of the organisation
service in words.

Every form has a ``key`` that is unique on its page; its fields' html ids start with it, so the
error summary can link to the right field when the page comes back with a problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask import url_for
from werkzeug.datastructures import MultiDict

from forms import format_number
from processes import clock
from processes.org_input import MAX_EMAIL, MAX_NAME, YEARS_AHEAD
from processes.organisation import BudgetYear, GuideRow
from processes.tables.organisation import District, DistrictBudget, Fund, Team
from processes.vocabulary import EXPERTISE, TEAM_SETTINGS
from web.formview import FieldView, OptionView
from web.i18n import gettext as _
from web.i18n import ngettext
from web.staff.wording import Wording

NEW_GUIDE = "nieuwe-begeleider"
NEW_DISTRICT = "nieuwe-wijk"
NEW_TEAM = "nieuw-team"
NEW_BUDGETS = "nieuwe-budgetten"
NEW_FUND = "nieuw-fonds"


def problem_text(code: str) -> str:
    texts = {
        "name_missing": _("Vul de naam in."),
        "name_too_long": _("De naam is te lang. Gebruik hoogstens 200 tekens."),
        "district_name_taken": _("Er is al een wijk met deze naam. Kies een andere naam."),
        "code_invalid": _("Gebruik 2 tot 39 kleine letters, cijfers of streepjes, en begin met een letter, "
                          "bijvoorbeeld noord."),
        "code_taken": _("Deze code is al in gebruik. Kies een andere code."),
        "email_missing": _("Vul het e-mailadres in."),
        "email_invalid": _("Vul een goed e-mailadres in, bijvoorbeeld naam@gemeente.nl."),
        "guide_email_taken": _("Er is al een begeleider met dit e-mailadres. Zoek hem op in de lijst."),
        "expertise_unknown": _("Kies kennisgebieden uit de lijst."),
        "district_unknown": _("Kies een wijk uit de lijst."),
        "amount_missing": _("Vul een bedrag in euro in, bijvoorbeeld 25.000."),
        "bad_amount": _("Vul een bedrag in euro in, bijvoorbeeld 25.000."),
        "below_reserved": _("Het budget kan niet lager zijn dan wat al is gereserveerd."),
        "below_granted": _("Het fonds kan niet lager zijn dan wat al is toegekend."),
        "year_invalid": _("Vul een jaar in met 4 cijfers, bijvoorbeeld %(year)d.", year=clock.now().year + 1),
        "year_out_of_range": _("Kies dit jaar of een van de %(num)d jaren daarna.", num=YEARS_AHEAD),
        "budget_year_exists": _("Voor dit jaar zijn er al budgetten. U kunt ze hierboven aanpassen."),
        "fund_year_exists": _("Voor dit jaar is er al een fonds. U kunt het hierboven aanpassen."),
        "notify_unknown": _("Kies hoe het team e-mail krijgt over nieuw werk."),
    }
    return texts.get(code, _("Controleer wat u invulde en probeer het opnieuw."))


def amount_example() -> str:
    return _("Bedragen in euro, bijvoorbeeld 25.000 of 25.000,50.")


@dataclass(frozen=True)
class Failed:
    """The form that came back with problems: what was posted and the problem per field."""

    key: str
    posted: MultiDict[str, str]
    problems: Mapping[str, str]


@dataclass(frozen=True)
class OrgForm:
    key: str
    action: str
    title: str
    fields: list[FieldView]
    button: str
    note: str = ""
    context: str = ""
    """Read after the button by screen readers, when the page has many buttons with the same text."""


@dataclass
class Builder:
    """Builds the forms; ``failed`` shows the posted values and problems in its own form."""

    words: Wording
    failed: Failed | None = None
    key: str = field(default="", init=False)

    def start(self, key: str) -> Builder:
        self.key = key
        return self

    def _mine(self) -> bool:
        return self.failed is not None and self.failed.key == self.key

    def _value(self, name: str, current: str) -> str:
        return self.failed.posted.get(name, "") if self._mine() and self.failed else current

    def _chosen(self, name: str, current: Sequence[str]) -> list[str]:
        return self.failed.posted.getlist(name) if self._mine() and self.failed else list(current)

    def _error(self, name: str) -> str:
        if self._mine() and self.failed and name in self.failed.problems:
            return problem_text(self.failed.problems[name])
        return ""

    def text(self, name: str, label: str, current: str = "", *, help_text: str = "", required: bool = True,
             input_type: str | None = None, inputmode: str | None = None, max_length: int | None = None) -> FieldView:
        return FieldView(name=name, html_id=f"{self.key}-{name}", widget="text", label=label, help=help_text,
                         condition="", required=required, value=self._value(name, current),
                         error=self._error(name), options=[], input_type=input_type, inputmode=inputmode,
                         autocomplete="off", max_length=max_length)

    def money(self, name: str, label: str, current: Decimal | None = None, *, help_text: str = "") -> FieldView:
        shown = format_number(current, "nl", money=True) if current is not None else ""
        return self.text(name, label, shown, help_text=help_text, inputmode="decimal", max_length=30)

    def choices(self, name: str, label: str, widget: str, options: list[tuple[str, str]], current: Sequence[str],
                *, help_text: str = "") -> FieldView:
        chosen = set(self._chosen(name, current))
        views = [OptionView(value, text, value in chosen) for value, text in options]
        return FieldView(name=name, html_id=f"{self.key}-{name}", widget=widget, label=label, help=help_text,
                         condition="", required=False, value="", error=self._error(name), options=views,
                         input_type=None, inputmode=None, autocomplete=None, max_length=None)

    def yes_no(self, name: str, label: str, current: bool, *, help_text: str = "") -> FieldView:
        """A Ja/Nee question posted as ``on`` (Ja) or ``uit`` (Nee)."""
        chosen = self.failed.posted.get(name, "") if self._mine() and self.failed else ("on" if current else "uit")
        options = [OptionView("on", _("Ja"), chosen == "on"), OptionView("uit", _("Nee"), chosen != "on")]
        return FieldView(name=name, html_id=f"{self.key}-{name}", widget="radio", label=label, help=help_text,
                         condition="", required=True, value="", error=self._error(name), options=options,
                         input_type=None, inputmode=None, autocomplete=None, max_length=None)


# the forms -----------------------------------------------------------------------------------
def _district_names(b: Builder, name: str, name_en: str) -> list[FieldView]:
    return [
        b.text("naam", _("Naam van de wijk"), name, max_length=MAX_NAME,
               help_text=_("Inwoners zien deze naam op het aanmeldformulier en bij hun initiatief.")),
        b.text("naam_en", _("Naam op de Engelse pagina's"), name_en, required=False, max_length=MAX_NAME,
               help_text=_("Laat leeg als de naam in het Engels hetzelfde is.")),
    ]


def district_form(b: Builder, district: District) -> OrgForm:
    b.start(f"wijk-{district.code}")
    team = b.words.team(f"regiegroep-{district.code}")
    note = _("Code %(code)s · regiegroep %(team)s", code=district.code, team=team)
    fields = _district_names(b, district.name, district.name_en or "")
    fields.append(b.yes_no("actief", _("Staat deze wijk op het aanmeldformulier?"), district.active,
                           help_text=_("Kies Nee als de wijk niet meer bestaat. Lopende initiatieven blijven.")))
    return OrgForm(b.key, url_for("staff.admin_district", code=district.code), district.name, fields, _("Opslaan"),
                   note, district.name)


def new_district_form(b: Builder) -> OrgForm:
    b.start(NEW_DISTRICT)
    fields = [b.text("code", _("Code van de wijk"), "", max_length=39,
                     help_text=_("Kleine letters, bijvoorbeeld noord. De modellen en de gegevens van initiatieven "
                                 "gebruiken de code; u kunt hem later niet veranderen."))]
    fields += _district_names(b, "", "")
    fields.append(b.money("bedrag", _("Budget voor wijkwensen dit jaar (in euro)"), help_text=amount_example()))
    return OrgForm(b.key, url_for("staff.admin_district_create"), _("Wijk toevoegen"), fields, _("Wijk toevoegen"),
                   _("De wijk krijgt meteen een regiegroep en een budget, en staat meteen op het aanmeldformulier. "
                     "Wijkwensen uit de wijk gaan naar de regiegroep; kies bij Gebruikers wie erin zit."))


def _team_fields(b: Builder, name: str, lead: str) -> list[FieldView]:
    return [
        b.text("naam", _("Naam van het team"), name, max_length=MAX_NAME),
        b.text("teamleider", _("E-mailadres van de teamleider"), lead, required=False,
               input_type="email", max_length=MAX_EMAIL,
               help_text=_("De teamleider krijgt een e-mail als een taak van dit team te laat is.")),
    ]


def team_form(b: Builder, team: Team) -> OrgForm:
    b.start(f"team-{team.code}")
    fields = _team_fields(b, team.name, team.lead_email or "")
    fields.append(b.yes_no("actief", _("Is dit team in gebruik?"), team.active,
                           help_text=_("Een team dat niet in gebruik is, kan in de modellen niet als kandidaatgroep "
                                       "worden gekozen.")))
    fields.append(b.choices("meldingen", _("E-mail over nieuw werk in de werkvoorraad"), "radio",
                            notify_options(), [team.notify],
                            help_text=_("Een medewerker die zelf een taak krijgt, krijgt daarover altijd een e-mail.")))
    fields.append(b.text("meldingen_email", _("Gedeeld e-mailadres van het team"),
                         team.notify_email or "", required=False, input_type="email", max_length=MAX_EMAIL,
                         help_text=_("Leeg: elk lid van het team krijgt de e-mails over nieuw werk.")))
    return OrgForm(b.key, url_for("staff.admin_team", code=team.code), team.name, fields, _("Opslaan"),
                   _("Code %(code)s", code=team.code), team.name)


def notify_options() -> list[tuple[str, str]]:
    texts = {"each": _("Bij elke nieuwe taak een e-mail"), "daily": _("Eén keer per dag een overzicht"),
             "none": _("Geen e-mail")}
    return [(code, texts[code]) for code in TEAM_SETTINGS]


def new_team_form(b: Builder) -> OrgForm:
    b.start(NEW_TEAM)
    fields = [b.text("code", _("Code van het team"), "", max_length=39,
                     help_text=_("Kleine letters, bijvoorbeeld team-sport. De procesbeheerder kiest het team in de "
                                 "modellen met deze code."))]
    return OrgForm(b.key, url_for("staff.admin_team_create"), _("Team toevoegen"), fields + _team_fields(b, "", ""),
                   _("Team toevoegen"))


def _guide_fields(b: Builder, *, name: str, district: str | None, expertise: Sequence[str], active: bool,
                  districts: list[District]) -> list[FieldView]:
    return [
        b.text("naam", _("Naam"), name, max_length=MAX_NAME),
        b.choices("wijk", _("Wijk"), "select", [(d.code, d.name) for d in districts], [district or ""],
                  help_text=_("Kies geen wijk als de begeleider voor de hele stad werkt.")),
        b.choices("kennis", _("Kennis van"), "checkboxes", [(code, b.words.expertise(code)) for code in EXPERTISE],
                  expertise),
        b.yes_no("actief", _("Krijgt deze begeleider nieuwe initiatieven?"), active,
                 help_text=_("Kies Nee bij verlof of vertrek. Lopende initiatieven blijven bij de begeleider.")),
    ]


def guide_form(b: Builder, row: GuideRow, districts: list[District]) -> OrgForm:
    guide = row.guide
    b.start(f"begeleider-{guide.id}")
    note = guide.email + " · " + ngettext("%(num)d lopend initiatief", "%(num)d lopende initiatieven", row.load)
    fields = _guide_fields(b, name=guide.name, district=guide.district_code, expertise=guide.expertise_list,
                           active=guide.active, districts=districts)
    return OrgForm(b.key, url_for("staff.admin_guide", guide_id=guide.id), guide.name, fields, _("Opslaan"), note,
                   guide.name)


def new_guide_form(b: Builder, districts: list[District]) -> OrgForm:
    b.start(NEW_GUIDE)
    fields = _guide_fields(b, name="", district=None, expertise=(), active=True, districts=districts)
    fields.insert(1, b.text("email", _("E-mailadres"), "", input_type="email", max_length=MAX_EMAIL,
                            help_text=_("Het e-mailadres van het werk. Taken van de begeleider staan op dit adres. "
                                        "U kunt het later niet veranderen.")))
    return OrgForm(b.key, url_for("staff.admin_guide_create"), _("Begeleider toevoegen"), fields,
                   _("Begeleider toevoegen"))


def budget_form(b: Builder, budget: DistrictBudget) -> OrgForm:
    b.start(f"budget-{budget.id}")
    district = b.words.district(budget.district_code)
    note = _("Gereserveerd: %(reserved)s; over: %(remaining)s", reserved=b.words.money(budget.reserved),
             remaining=b.words.money(budget.remaining))
    title = _("Wijkwensen %(district)s %(year)d", district=district, year=budget.year)
    return OrgForm(b.key, url_for("staff.admin_budget", budget_id=budget.id), title,
                   [b.money("bedrag", _("Jaarbudget (in euro)"), budget.amount)], _("Opslaan"), note, title)


def new_budgets_form(b: Builder, districts: list[District]) -> OrgForm:
    b.start(NEW_BUDGETS)
    fields = [b.text("jaar", _("Jaar"), "", inputmode="numeric", max_length=4,
                     help_text=_("Bijvoorbeeld %(year)d.", year=clock.now().year + 1))]
    fields += [b.money(f"bedrag-{d.code}", _("Budget voor wijkwensen in %(district)s (in euro)", district=d.name))
               for d in districts]
    return OrgForm(b.key, url_for("staff.admin_budgets_create"), _("Budgetten voor een nieuw jaar"), fields,
                   _("Budgetten toevoegen"), amount_example())


def fund_form(b: Builder, fund: Fund) -> OrgForm:
    b.start(f"fonds-{fund.id}")
    note = _("Toegekend: %(granted)s; over: %(remaining)s", granted=b.words.money(fund.granted),
             remaining=b.words.money(fund.remaining))
    title = f"{fund.name} {fund.year}"
    return OrgForm(b.key, url_for("staff.admin_fund", fund_id=fund.id), title,
                   [b.money("totaal", _("Totaal (in euro)"), fund.total)], _("Opslaan"), note, title)


def new_fund_form(b: Builder) -> OrgForm:
    b.start(NEW_FUND)
    return OrgForm(b.key, url_for("staff.admin_fund_create"), _("Initiatievenfonds voor een nieuw jaar"), [
        b.text("jaar", _("Jaar"), "", inputmode="numeric", max_length=4,
               help_text=_("Bijvoorbeeld %(year)d.", year=clock.now().year + 1)),
        b.money("totaal", _("Totaal (in euro)"), help_text=amount_example()),
    ], _("Fonds toevoegen"))


@dataclass(frozen=True)
class YearForms:
    year: int
    forms: list[OrgForm]


def budget_year_forms(b: Builder, years: list[BudgetYear]) -> list[YearForms]:
    return [YearForms(year.year, [budget_form(b, budget) for budget in year.budgets]) for year in years]


def problems_of(forms: Iterable[OrgForm]) -> list[FieldView]:
    """The fields with a problem, for the error summary."""
    return [field for form in forms for field in form.fields if field.error]
