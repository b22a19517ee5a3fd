"""What the beheer page shows: one small form per district, team, guide, budget and fund, plus the
forms to add a guide, a new year's budgets and a new year's fund, each with its fields as the
shared form macros render them; the problem codes of the organisation service in words; and the
organisation audit in words.

Every form has a ``key`` that is unique on the page; its fields' html ids start with it, so the
error summary can link to the right field when the page comes back with a problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from forms import format_number
from processes import clock
from processes.organisation import EXPERTISE, MAX_EMAIL, MAX_NAME, YEARS_AHEAD, BudgetYear, GuideRow
from processes.tables.organisation import District, DistrictBudget, Fund, Team
from processes.tables.staff import StaffAudit
from web.formview import FieldView, OptionView
from web.staff.wording import Wording

NEW_GUIDE = "nieuwe-begeleider"
NEW_BUDGETS = "nieuwe-budgetten"
NEW_FUND = "nieuw-fonds"


def problem_text(code: str) -> str:
    texts = {
        "name_missing": _("Vul de naam in."),
        "name_too_long": _("De naam is te lang. Gebruik hoogstens 200 tekens."),
        "district_name_taken": _("Er is al een wijk met deze naam. Kies een andere naam."),
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
def district_form(b: Builder, district: District) -> OrgForm:
    b.start(f"wijk-{district.code}")
    return OrgForm(b.key, url_for("staff.admin_district", code=district.code), district.name,
                   [b.text("naam", _("Naam van de wijk"), district.name, max_length=MAX_NAME,
                           help_text=_("Inwoners zien deze naam op het aanmeldformulier en bij hun initiatief."))],
                   _("Opslaan"), context=district.name)


def team_form(b: Builder, team: Team) -> OrgForm:
    b.start(f"team-{team.code}")
    return OrgForm(b.key, url_for("staff.admin_team", code=team.code), team.name, [
        b.text("naam", _("Naam van het team"), team.name, max_length=MAX_NAME),
        b.text("teamleider", _("E-mailadres van de teamleider"), team.lead_email or "", required=False,
               input_type="email", max_length=MAX_EMAIL,
               help_text=_("De teamleider krijgt een e-mail als een taak van dit team te laat is.")),
    ], _("Opslaan"), context=team.name)


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
    budgets: list[OrgForm]
    fund: OrgForm | None


@dataclass(frozen=True)
class AdminForms:
    """Every form of the beheer page."""

    districts: list[OrgForm]
    teams: list[OrgForm]
    guides: list[OrgForm]
    new_guide: OrgForm
    years: list[YearForms]
    new_budgets: OrgForm
    new_fund: OrgForm

    @property
    def problems(self) -> list[FieldView]:
        """The fields with a problem, for the error summary."""
        yearly = [form for year in self.years for form in [*year.budgets, year.fund] if form is not None]
        every = [*self.districts, *self.teams, *self.guides, self.new_guide, *yearly, self.new_budgets, self.new_fund]
        return [field for form in every for field in form.fields if field.error]


def admin_forms(b: Builder, *, districts: list[District], teams: list[Team], guides: list[GuideRow],
                years: list[BudgetYear]) -> AdminForms:
    return AdminForms(
        districts=[district_form(b, district) for district in districts],
        teams=[team_form(b, team) for team in teams],
        guides=[guide_form(b, row, districts) for row in guides],
        new_guide=new_guide_form(b, districts),
        years=year_forms(b, years),
        new_budgets=new_budgets_form(b, districts),
        new_fund=new_fund_form(b),
    )


# the organisation audit in words -------------------------------------------------------------
def action_labels() -> dict[str, str]:
    return {
        "district_updated": _("Wijk gewijzigd"),
        "team_updated": _("Team gewijzigd"),
        "guide_created": _("Begeleider toegevoegd"),
        "guide_updated": _("Begeleider gewijzigd"),
        "budget_created": _("Budget toegevoegd"),
        "budget_updated": _("Budget gewijzigd"),
        "fund_created": _("Fonds toegevoegd"),
        "fund_updated": _("Fonds gewijzigd"),
    }


def change_labels() -> dict[str, str]:
    return {"name": _("Naam"), "lead_email": _("Teamleider"), "district": _("Wijk"), "expertise": _("Kennis van"),
            "active": _("Actief"), "amount": _("Bedrag"), "total": _("Totaal")}


@dataclass(frozen=True)
class OrgAuditLine:
    entry: StaffAudit
    action: str
    subject: str
    details: list[str]


def subject_text(words: Wording, subject: str) -> str:
    kind, _sep, key = subject.partition(":")
    if kind == "wijk":
        return words.district(key)
    if kind == "team":
        return words.team(key)
    if kind == "begeleider":
        return words.person(key)
    if kind == "budget":
        district, _sep, year = key.partition(":")
        return _("Wijkwensen %(district)s %(year)s", district=words.district(district), year=year)
    if kind == "fonds":
        return _("Initiatievenfonds %(year)s", year=key)
    return subject


def _shown(words: Wording, key: str, value: Any) -> str:
    if value is None or value == [] or value == "":
        return "–"
    if key == "district":
        return words.district(value)
    if key == "expertise" and isinstance(value, list):
        return ", ".join(words.expertise(str(code)) for code in value)
    if key in ("amount", "total"):
        return words.money(Decimal(str(value)))
    if isinstance(value, bool):
        return words.value("actief", value)
    return str(value)


def audit_lines(words: Wording, entries: list[StaffAudit]) -> list[OrgAuditLine]:
    labels, what = action_labels(), change_labels()
    lines = []
    for entry in entries:
        details = [
            _("%(what)s: %(before)s → %(after)s", what=what.get(key, key), before=_shown(words, key, change[0]),
              after=_shown(words, key, change[1]))
            for key, change in (entry.changes or {}).items()
            if isinstance(change, list) and len(change) == 2
        ]
        lines.append(OrgAuditLine(entry, labels.get(entry.action, entry.action), subject_text(words, entry.user_email),
                                  details))
    return lines


def year_forms(b: Builder, years: list[BudgetYear]) -> list[YearForms]:
    return [YearForms(year.year, [budget_form(b, budget) for budget in year.budgets],
                      fund_form(b, year.fund) if year.fund is not None else None) for year in years]
