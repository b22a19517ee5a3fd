"""Case data in words (B1) for the staff pages: the question a form asks instead of the field name,
the label of a choice instead of its code, district, team and guide names, Ja/Nee, amounts in euro.
Purely technical data (what a service task returned, reservations, texts prepared for mails) is
left out.

The words come from every form definition (``forms.FormRegistry``), so a new task with a new form
needs no code here; data the diagrams set themselves (the category, the budget check, the outcome)
has its words below. :func:`words` gives the lookup of the current request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask import g

from forms import Field, FormDefinition, format_number
from processes.names import Names, organisation_names
from web.formview import answer_text
from web.i18n import current_lang, labels_per_request
from web.i18n import gettext as _
from web.staff import bp
from web.staff.common import category_names, loket

HIDDEN = frozenset({"begeleider_info", "budget_reservering", "fonds_reservering", "vrijgave", "begeleiding_afgesloten",
                    "taal", "assigned", "reserved", "load"})
"""Technical keys: what a service task returned for the diagram, or shown elsewhere on the page."""
HIDDEN_SUFFIXES = ("_resultaat", "_tekst", "_id")
"""Mail results, texts prepared for a mail, and ids."""
CATEGORY_KEYS = frozenset({"categorie", "categorie_voorstel", "categorie_gekozen", "categorie_vorige",
                           "categorie_nieuw"})
DECISION_KEYS = frozenset({"besluit", "fonds_besluit", "uitkomst"})
DISTRICT_KEYS = frozenset({"wijk", "district"})
GUIDE_KEYS = frozenset({"begeleider", "begeleider_email"})
TEAM_KEYS = frozenset({"team"})
MONEY_KEYS = frozenset({"budget_gereserveerd", "budget_resterend", "amount", "remaining", "released", "besluit_bedrag"})
PERSON_KEYS = frozenset({"naam", "email"})
ESCALATION = "escalatie_"
EXPERTISE_FIELD = "benodigde_expertise"
"""The form field whose choices name the guides' fields of knowledge."""


@labels_per_request
def decision_names() -> dict[str, str]:
    return {"toegekend": _("Toegekend"), "afgewezen": _("Afgewezen"), "doorverwezen": _("Doorverwezen"),
            "ingetrokken": _("Ingetrokken"), "andere_categorie": _("Toch een andere categorie")}


@labels_per_request
def data_labels() -> dict[str, str]:
    """Labels of data that no form asks for: the diagrams and handlers set it."""
    return {
        "categorie": _("Categorie"),
        "categorie_voorstel": _("Voorgestelde categorie"),
        "categorie_regel": _("Regel van de beslistabel"),
        "categorie_uitleg": _("Uitleg bij de categorie"),
        "categorie_overschreven": _("Andere categorie gekozen dan voorgesteld"),
        "categorie_vorige": _("Vorige categorie"),
        "begeleider": _("Begeleider"),
        "begeleider_voorstel": _("Voorgestelde begeleider"),
        "budget_toereikend": _("Genoeg budget in de wijk"),
        "budget_gereserveerd": _("Gereserveerd op het wijkbudget"),
        "budget_resterend": _("Nog te verdelen in het wijkbudget"),
        "budget_melding": _("Melding over het budget"),
        "uitkomst": _("Uitkomst"),
        "uitkomst_toelichting": _("Toelichting bij de uitkomst"),
        "besluit_bedrag": _("Toegekend bedrag"),
        "besluit_reden": _("Reden bij het besluit"),
        "besluit_advies": _("Advies bij het besluit"),
        "besluit_voorwaarden": _("Voorwaarden bij het besluit"),
        "besluit_afspraken": _("Afspraken bij het besluit"),
        "besluit_volgende_stap": _("Volgende stap voor de initiatiefnemer"),
        "besluit_volgende_stap_en": _("Volgende stap voor de initiatiefnemer (Engels)"),
        "masterclass_aangeboden": _("Masterclass sociaal ondernemen aangeboden"),
        "aanvulling_ingetrokken": _("Ingetrokken omdat er geen aanvulling kwam"),
        "aanvulling": _("Aanvulling van de initiatiefnemer"),
        "naam": _("Naam"),
        "email": _("E-mailadres"),
        "reden": _("Reden"),
        "district": _("Wijk"),
        "team": _("Team"),
        "year": _("Jaar"),
        "amount": _("Bedrag"),
        "remaining": _("Over"),
        "released": _("Vrijgegeven"),
        "notified": _("Teamleider gewaarschuwd"),
        "sent": _("E-mail verstuurd"),
    }


def humanise(key: str) -> str:
    """A readable label for a key nobody gave words to yet: ``nieuw_veld`` → "Nieuw veld"."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def is_hidden(key: str) -> bool:
    return key in HIDDEN or key.endswith(HIDDEN_SUFFIXES) or key == "id"


JUDGEMENT_SUFFIX = "_oordeel"
"""A form asking a field ``…_oordeel`` is an assessment (toets): the case file shows each apart."""


OUTCOME_KEY = "uitkomst"
AMOUNT_KEYS = ("fonds_bedrag", "toegekend_bedrag")
"""Where the diagrams' forms put the amount granted (the fund's, a wijkwens's)."""


@dataclass(frozen=True)
class Decision:
    outcome: str
    amount: str | None
    explanation: str | None


@dataclass(frozen=True)
class Assessment:
    form_id: str
    title: str
    rows: list[tuple[str, str]]


@dataclass
class Wording:
    """Field name → form field (for its label and options), and the organisation's names."""

    lang: str
    fields: dict[str, Field] = field(default_factory=dict)
    options: dict[str, dict[Any, str]] = field(default_factory=dict)
    form_titles: dict[str, str] = field(default_factory=dict)
    field_forms: dict[str, str] = field(default_factory=dict)
    """Field name → the id of the form that asks it (the first one, as for its label)."""
    form_fields: dict[str, list[str]] = field(default_factory=dict)
    """Form id → the fields it asks, in its order."""
    label_uses: dict[str, int] = field(default_factory=dict)
    """How many fields share each label: a shared label ("Uw oordeel") is shown with its form's title."""
    districts: dict[str, str] = field(default_factory=dict)
    teams: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    """Lower-case e-mail address → name, of guides and staff accounts."""

    # names ---------------------------------------------------------------------------------
    def district(self, code: Any) -> str:
        return self.districts.get(str(code), str(code)) if code else "–"

    def category(self, code: Any) -> str:
        return category_names().get(str(code), str(code)) if code else "–"

    def team(self, code: Any) -> str:
        return self.teams.get(str(code), str(code)) if code else "–"

    def person(self, email: Any) -> str:
        """A guide's or colleague's name with the address, for an e-mail address."""
        if not email:
            return "–"
        name = self.people.get(str(email).strip().lower())
        return f"{name} ({email})" if name else str(email)

    def expertise(self, code: str) -> str:
        """A guide's field of knowledge, as the intake meeting's form names it."""
        return self.option(EXPERTISE_FIELD, code)

    def option(self, key: str, value: Any) -> str:
        return self.options.get(key, {}).get(value, str(value))

    def money(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return str(value)
        return "€ " + format_number(value, self.lang, money=True)

    # labels and values ---------------------------------------------------------------------
    def label(self, key: str) -> str:
        if key.startswith(ESCALATION):
            task = key.removeprefix(ESCALATION)
            return _("Termijn verlopen: %(task)s", task=self.form_titles.get(task) or humanise(task))
        if key in self.fields and key not in data_labels():
            label = self.fields[key].label(self.lang)
            form = self.form_titles.get(self.field_forms.get(key, ""))
            return f"{form} – {label}" if form and self.label_uses.get(label, 0) > 1 else label
        return data_labels().get(key) or humanise(key)

    def decision(self, data: Mapping[str, Any]) -> Decision | None:
        """The outcome of a case (``uitkomst``) in words, with the amount granted, if any."""
        outcome = data.get(OUTCOME_KEY)
        if not outcome:
            return None
        amount = next((data[key] for key in AMOUNT_KEYS
                       if isinstance(data.get(key), int | float | Decimal) and not isinstance(data.get(key), bool)),
                      None) if outcome == "toegekend" else None
        explanation = data.get("uitkomst_toelichting")
        return Decision(self.value(OUTCOME_KEY, outcome), self.money(amount) if amount is not None else None,
                        str(explanation) if explanation else None)

    def assessments(self, data: Mapping[str, Any]) -> list[Assessment]:
        """The assessments done on a case, one per form with a judgement (a field ``…_oordeel``)
        the case data holds, each with its answers under the form's own (short) labels, in the
        order the process set them."""
        order = {key: index for index, key in enumerate(data)}
        found = []
        for form_id, names in self.form_fields.items():
            if not any(name.endswith(JUDGEMENT_SUFFIX) and data.get(name) not in (None, "") for name in names):
                continue
            rows = [(self.fields[name].label(self.lang), self.value(name, data[name])) for name in names
                    if name in data and not is_hidden(name) and data[name] not in (None, "", [])
                    and self.field_forms.get(name) == form_id]
            found.append(Assessment(form_id, self.form_titles.get(form_id, form_id), rows))
        return sorted(found, key=lambda item: min((order.get(name, len(order)) for name in
                                                   self.form_fields.get(item.form_id, [])), default=len(order)))

    def value(self, key: str, value: Any) -> str:  # noqa: C901 - one branch per kind of value
        if value is None or value == "" or value == []:
            return "–"
        if key.startswith(ESCALATION) and isinstance(value, Mapping):
            return self._escalation(value)
        if isinstance(value, bool) and value in self.options.get(key, {}):
            return self.option(key, value)  # "Ja, dit is de goede categorie"
        if isinstance(value, bool):
            return ("Yes" if value else "No") if self.lang == "en" else ("Ja" if value else "Nee")
        if key in CATEGORY_KEYS:
            return self.category(value)
        if key in DECISION_KEYS:
            return decision_names().get(str(value)) or self.option(key, value)
        if key in DISTRICT_KEYS:
            return self.district(value)
        if key in TEAM_KEYS:
            return self.team(value)
        if key in GUIDE_KEYS:
            return self.person(value)
        if key in MONEY_KEYS:
            return self.money(value)
        if isinstance(value, Mapping):
            return self.mapping(value)
        form_field = self.fields.get(key)
        if form_field is not None:
            return self._answer(form_field, key, value)
        if isinstance(value, list):
            return ", ".join(self.value(key, item) for item in value)
        return str(value)

    def _answer(self, form_field: Field, key: str, value: Any) -> str:
        if form_field.widget == "date" and isinstance(value, str):
            try:
                return date.fromisoformat(value).strftime("%d-%m-%Y")
            except ValueError:
                return value
        if isinstance(value, list) and form_field.widget != "file":
            return ", ".join(self.option(key, item) for item in value)
        if form_field.options:
            return self.option(key, value)
        return answer_text(form_field, value, self.lang)

    def mapping(self, value: Mapping[str, Any]) -> str:
        """A dict the diagram keeps (a suggested guide, an answer): who it is about first, then
        its other readable parts."""
        parts = []
        if value.get("naam") or value.get("email"):
            name, email = value.get("naam"), value.get("email")
            parts.append(f"{name} ({email})" if name and email else str(name or email))
        parts += [f"{self.label(key)}: {self.value(key, item)}" for key, item in value.items()
                  if key not in PERSON_KEYS and not is_hidden(key) and item not in (None, "", [])]
        return "; ".join(parts) or "–"

    def _escalation(self, value: Mapping[str, Any]) -> str:
        team = self.team(value.get("team"))
        if value.get("notified"):
            return _("De teamleider van %(team)s is gewaarschuwd.", team=team)
        return _("%(team)s heeft geen teamleider; niemand is gewaarschuwd.", team=team)

    def rows(self, data: Mapping[str, Any], *, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(label, value) for every shown key of ``data``, in the order the process set them."""
        left_out = frozenset(skip)
        return [(self.label(key), self.value(key, value)) for key, value in data.items()
                if key not in left_out and not is_hidden(key)]

    def change(self, key: str, change: Any) -> tuple[str, str] | None:
        """An audit change (``{"old": …, "new": …}`` or a bare value) as (label, "old → new")."""
        if is_hidden(key):
            return None
        if isinstance(change, Mapping) and "new" in change:
            new = self.value(key, change.get("new"))
            old = change.get("old")
            return self.label(key), new if old in (None, "", []) else f"{self.value(key, old)} → {new}"
        return self.label(key), self.value(key, change)


def build(names: Names, definitions: list[FormDefinition], lang: str, first_form: str) -> Wording:
    """``first_form``: the form whose labels win when several ask for the same field."""
    words = Wording(lang=lang, districts=names.districts, teams=names.teams, people=names.people)
    for definition in sorted(definitions, key=lambda definition: definition.id != first_form):
        _add_form(words, definition)
    return words


def _add_form(words: Wording, definition: FormDefinition) -> None:
    words.form_titles.setdefault(definition.id, definition.title(words.lang))
    words.form_fields.setdefault(definition.id, list(definition.fields))
    for name, form_field in definition.fields.items():
        if name not in words.fields:
            label = form_field.label(words.lang)
            words.label_uses[label] = words.label_uses.get(label, 0) + 1
            words.field_forms[name] = definition.id
        words.fields.setdefault(name, form_field)
        labels = words.options.setdefault(name, {})
        for option in form_field.options:
            labels.setdefault(option.value, option.label(words.lang))


def words() -> Wording:
    """The lookup of this request (built once per request and language, in a unit of work of its own)."""
    lang = current_lang()
    found = g.get("staff_wording")
    if isinstance(found, Wording) and found.lang == lang:
        return found
    forms, first_form = loket().models_in_use()
    found = build(organisation_names(loket()), forms.definitions(), lang, first_form or "")
    g.staff_wording = found
    return found


@bp.context_processor
def staff_wording() -> dict[str, Any]:
    return {"words": words}
