"""Error messages for residents and staff: what is wrong and how to fix it, in Dutch (B1) and English.

A message is looked up by *kind* (``required``, ``maxLength``, ``postcode``, ...), most specific
first: the field's own ``messages`` in its definition, then ``kind.widget``, then
``kind.group`` (see :data:`GROUPS`), then ``kind``. When the limit is 1, a ``_1`` variant is tried
first ("minstens 1 bestand" instead of "minstens 1 bestanden").

Placeholders: ``{p}`` the field inside a sentence ("uw naam"), ``{P}`` the same with a capital
("Uw naam"), ``{label}`` the label, ``{limit}`` the number from the schema, ``{name}`` the key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from forms.definition import DEFAULT_LANG, Field
from forms.problems import fill

GROUPS: dict[str, str] = {
    "text": "input",
    "textarea": "input",
    "email": "input",
    "tel": "input",
    "postcode": "input",
    "number": "input",
    "money": "input",
    "date": "input",
    "hidden": "input",
    "select": "choice",
    "radio": "choice",
    "checkbox": "checkbox",
    "checkboxes": "multi",
    "file": "file",
}

MESSAGES: dict[str, dict[str, str]] = {
    "required.input": {"nl": "Vul {p} in.", "en": "Enter {p}."},
    "required.choice": {"nl": "Kies {p}.", "en": "Choose {p}."},
    "required.checkbox": {"nl": 'Zet een vinkje bij "{label}".', "en": 'Tick "{label}".'},
    "required.multi": {
        "nl": "Kies minstens één antwoord bij {p}.",
        "en": "Choose at least one answer for {p}.",
    },
    "required.file": {"nl": "Voeg {p} toe.", "en": "Add {p}."},
    "required.question": {"nl": 'Beantwoord de vraag "{label}".', "en": 'Answer the question "{label}".'},
    "number": {
        "nl": "{P} moet een getal zijn, zoals 12 of 2,5.",
        "en": "{P} must be a number, such as 12 or 2.5.",
    },
    "integer": {
        "nl": "{P} moet een heel getal zijn, zoals 12.",
        "en": "{P} must be a whole number, such as 12.",
    },
    "money": {
        "nl": "Vul {p} in met alleen cijfers, zoals 1250 of 1.250,50.",
        "en": "Enter {p} in numbers only, such as 1250 or 1,250.50.",
    },
    "money_decimals": {
        "nl": "Gebruik bij {p} niet meer dan 2 cijfers achter de komma.",
        "en": "Use no more than 2 digits after the decimal point for {p}.",
    },
    "date": {
        "nl": "Vul {p} in als een bestaande datum, zoals 31-12-2025.",
        "en": "Enter {p} as a real date, such as 31-12-2025.",
    },
    "boolean": {"nl": "Kies ja of nee bij {p}.", "en": "Choose yes or no for {p}."},
    "type": {"nl": "{P} heeft een verkeerde soort waarde.", "en": "{P} has the wrong kind of value."},
    "minimum": {"nl": "{P} moet {limit} of meer zijn.", "en": "{P} must be {limit} or more."},
    "maximum": {"nl": "{P} mag niet meer dan {limit} zijn.", "en": "{P} must be {limit} or less."},
    "exclusiveMinimum": {"nl": "{P} moet meer dan {limit} zijn.", "en": "{P} must be more than {limit}."},
    "exclusiveMaximum": {"nl": "{P} moet minder dan {limit} zijn.", "en": "{P} must be less than {limit}."},
    "multipleOf": {
        "nl": "{P} moet een veelvoud van {limit} zijn.",
        "en": "{P} must be a multiple of {limit}.",
    },
    "minLength": {
        "nl": "{P} moet minstens {limit} tekens lang zijn.",
        "en": "{P} must be at least {limit} characters long.",
    },
    "maxLength": {
        "nl": "{P} mag maximaal {limit} tekens lang zijn.",
        "en": "{P} must be {limit} characters or fewer.",
    },
    "pattern": {
        "nl": "{P} heeft niet de goede vorm. Kijk of u het goed hebt ingevuld.",
        "en": "{P} is not in the right format. Check what you entered.",
    },
    "format": {
        "nl": "{P} heeft niet de goede vorm. Kijk of u het goed hebt ingevuld.",
        "en": "{P} is not in the right format. Check what you entered.",
    },
    "email": {
        "nl": "Gebruik een geldig e-mailadres, zoals naam@voorbeeld.nl.",
        "en": "Use a valid email address, such as name@example.com.",
    },
    "postcode": {
        "nl": "Vul een geldige postcode in, zoals 3311 AB.",
        "en": "Enter a valid postcode, such as 3311 AB.",
    },
    "tel": {
        "nl": "Vul een geldig telefoonnummer in, zoals 078 123 45 67 of +31 6 12345678.",
        "en": "Enter a valid phone number, such as 078 123 45 67 or +31 6 12345678.",
    },
    "enum": {"nl": "Kies {p} uit de lijst.", "en": "Choose {p} from the list."},
    "enum.multi": {
        "nl": "Kies bij {p} alleen antwoorden uit de lijst.",
        "en": "Only choose answers from the list for {p}.",
    },
    "enum.checkbox": {"nl": 'Zet een vinkje bij "{label}".', "en": 'Tick "{label}".'},
    "const": {"nl": "{P} heeft niet de juiste waarde.", "en": "{P} does not have the right value."},
    "const.checkbox": {"nl": 'Zet een vinkje bij "{label}".', "en": 'Tick "{label}".'},
    "minItems": {
        "nl": "Kies bij {p} minstens {limit} antwoorden.",
        "en": "Choose at least {limit} answers for {p}.",
    },
    "minItems_1": {"nl": "Kies bij {p} minstens 1 antwoord.", "en": "Choose at least 1 answer for {p}."},
    "minItems.file": {
        "nl": "Voeg bij {p} minstens {limit} bestanden toe.",
        "en": "Add at least {limit} files for {p}.",
    },
    "minItems_1.file": {"nl": "Voeg bij {p} minstens 1 bestand toe.", "en": "Add at least 1 file for {p}."},
    "maxItems": {
        "nl": "Kies bij {p} niet meer dan {limit} antwoorden.",
        "en": "Choose no more than {limit} answers for {p}.",
    },
    "maxItems_1": {"nl": "Kies bij {p} maar 1 antwoord.", "en": "Choose only 1 answer for {p}."},
    "maxItems.file": {
        "nl": "Voeg bij {p} niet meer dan {limit} bestanden toe.",
        "en": "Add no more than {limit} files for {p}.",
    },
    "maxItems_1.file": {"nl": "Voeg bij {p} maar 1 bestand toe.", "en": "Add only 1 file for {p}."},
    "uniqueItems": {
        "nl": "Kies bij {p} elk antwoord maar één keer.",
        "en": "Choose each answer only once for {p}.",
    },
    "unknown": {
        "nl": 'Het veld "{name}" hoort niet bij dit formulier. Laat het weg.',
        "en": 'The field "{name}" does not belong to this form. Leave it out.',
    },
    "invalid": {"nl": "Controleer {p}.", "en": "Check {p}."},
    "form": {"nl": "Controleer de antwoorden op dit formulier.", "en": "Check the answers on this form."},
}

KINDS: frozenset[str] = frozenset(key.split(".")[0].removesuffix("_1") for key in MESSAGES) | {"required"}
"""Every error kind a field may give its own text for in ``"messages"``."""


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_number(value: Any, lang: str = DEFAULT_LANG, money: bool = False) -> str:
    """A number as people write it: ``2,5`` in Dutch; money with thousands: ``1.250,50``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    amount = Decimal(str(value)).normalize()
    whole = amount == amount.to_integral_value()
    if money:
        text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    else:
        text = f"{amount:.0f}" if whole else format(amount, "f")
    if lang == "en":
        return text
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _candidates(kind: str, field: Field, lang: str, limit: Any) -> list[str]:
    kinds = [f"{kind}_1", kind] if limit == 1 and not isinstance(limit, bool) else [kind]
    group = GROUPS.get(field.widget, "input")
    if kind == "required" and group != "checkbox" and field.is_question(lang):
        group = "question"
    return [key for base in kinds for key in (f"{base}.{field.widget}", f"{base}.{group}", base)]


def message_for(field: Field, kind: str, lang: str = DEFAULT_LANG, limit: Any = None) -> str:
    """The sentence for one error of ``kind`` on ``field``, in ``lang`` (Dutch when unknown)."""
    template = field.message(kind, lang)
    if not template:
        key = next((key for key in _candidates(kind, field, lang, limit) if key in MESSAGES), "invalid")
        texts = MESSAGES[key]
        template = texts.get(lang, texts[DEFAULT_LANG])
    phrase = field.phrase(lang)
    params = {
        "p": phrase,
        "P": _capitalize(phrase),
        "label": field.label(lang),
        "name": field.name,
        "limit": format_number(limit, lang, money=field.widget == "money") if limit is not None else "",
    }
    return fill(template, params)


def general_message(kind: str, lang: str = DEFAULT_LANG, **params: str) -> str:
    """A message not tied to a known field (``unknown``, ``form``)."""
    texts = MESSAGES[kind]
    return fill(texts.get(lang, texts[DEFAULT_LANG]), params)
