"""How the portal writes dates, norms and categories, in the visitor's language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint

from processes.amounts import euro_text
from processes.dates import long_date
from processes.procedure import Norm
from processes.rules import Condition, Value
from web.i18n import current_lang, lazy_gettext, ngettext
from web.i18n import gettext as _
from web.public.auth import current_initiator

CATEGORY_LABELS = {
    "eenvoudig": lazy_gettext("Eenvoudig (groen)"),
    "wijkwens": lazy_gettext("Wijkwens"),
    "complex": lazy_gettext("Complex initiatief"),
}
OUTCOME_LABELS = {
    "toegekend": lazy_gettext("Toegekend"),
    "afgewezen": lazy_gettext("Afgewezen"),
    "doorverwezen": lazy_gettext("Doorverwezen naar een andere regeling"),
    "ingetrokken": lazy_gettext("Afgesloten, omdat we geen antwoord kregen"),
}


def local_date(moment: datetime | date | None) -> str:
    """``4 december 2026`` or, on the English site, ``4 December 2026`` (as the mails write it)."""
    if moment is None:
        return ""
    return long_date(moment, current_lang())


def norm_text(norm: Norm | None) -> str:
    if norm is None:
        return ""
    n = norm.amount
    texts = {
        "werkdagen": ngettext("%(num)d werkdag", "%(num)d werkdagen", n),
        "dagen": ngettext("%(num)d dag", "%(num)d dagen", n),
        "weken": ngettext("%(num)d week", "%(num)d weken", n),
        "maanden": ngettext("%(num)d maand", "%(num)d maanden", n),
        "jaren": ngettext("%(num)d jaar", "%(num)d jaar", n),
        "uren": ngettext("%(num)d uur", "%(num)d uur", n),
        "minuten": ngettext("%(num)d minuut", "%(num)d minuten", n),
    }
    return texts.get(norm.unit, f"{n} {norm.unit}")


def category_label(code: str | None) -> str:
    if not code:
        return ""
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code


def outcome_label(code: str | None) -> str:
    if not code:
        return ""
    label = OUTCOME_LABELS.get(code)
    return str(label) if label is not None else code


def within(norm: Norm | None) -> str:
    return _("binnen %(norm)s", norm=norm_text(norm)) if norm is not None else ""


def _value_words(value: Value) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    return value


def condition_label(condition: Condition) -> str:
    """The question a rule's condition is about (``Aantal keuzes bij …`` for a count of answers)."""
    if condition.counts:
        return _("Aantal keuzes bij “%(label)s”", label=condition.label)
    return condition.label


def condition_value(condition: Condition) -> str:
    """What the condition asks of the answer, in words; the cell as written when it has none."""
    meaning = condition.meaning
    if meaning is None:
        return condition.text
    words = [_value_words(value) for value in meaning.values]
    if meaning.kind == "any_of":
        return _(" of ").join(words)
    one = words[0]
    phrases = {"ge": _("%(value)s of meer", value=one), "le": _("%(value)s of minder", value=one),
               "gt": _("meer dan %(value)s", value=one), "lt": _("minder dan %(value)s", value=one),
               "ne": _("niet %(value)s", value=one)}
    return phrases.get(meaning.kind, one)


def euro(amount: float | int) -> str:
    """An amount in the visitor's language (the same formatter as the mails)."""
    return euro_text(amount, current_lang())


def register(bp: Blueprint) -> None:
    bp.add_app_template_filter(local_date, "local_date")
    bp.add_app_template_filter(norm_text, "norm_text")
    bp.add_app_template_filter(within, "within")
    bp.add_app_template_filter(category_label, "category_label")
    bp.add_app_template_filter(outcome_label, "outcome_label")
    bp.add_app_template_filter(euro, "euro")
    bp.add_app_template_filter(condition_label, "condition_label")
    bp.add_app_template_filter(condition_value, "condition_value")
    bp.add_app_template_global(current_initiator, "portal_user")
