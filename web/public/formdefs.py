"""The form definitions the portal uses: the diagrams' forms from ``forms/definitions`` and
three small portal forms (login, save for later, message) defined here in the same format,
so every form is rendered and checked the same way."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import FormDefinition, FormRegistry, parse_definition
from processes import FORMS_DIR
from processes.organisation import District

INTAKE_FORM = "intake"
DISTRICT_FIELD = "wijk"


@lru_cache(maxsize=1)
def registry() -> FormRegistry:
    return FormRegistry(FORMS_DIR)


def definition(form_id: str) -> FormDefinition:
    return registry().get(form_id)


def intake_definition(db: Session) -> FormDefinition:
    """The start form with each district under the name the organisation gives it now: a
    beheerder can rename a district, and the form's own labels are the names it was made with.
    A renamed district is a name, not a word: it reads the same in every language."""
    form = definition(INTAKE_FORM)
    if DISTRICT_FIELD not in form.fields:  # a form without the question: nothing to name
        return form
    known = {option.value: option.label("nl") for option in form.fields[DISTRICT_FIELD].options}
    renamed = {code: {"nl": name, "en": name}
               for code, name in db.execute(select(District.code, District.name))
               if code in known and name != known[code]}
    return form.with_option_labels(DISTRICT_FIELD, renamed) if renamed else form


def _email_form(form_id: str, help_nl: str, help_en: str) -> FormDefinition:
    return parse_definition({
        "id": form_id,
        "title": {"nl": form_id, "en": form_id},
        "schema": {"type": "object", "properties": {"email": {"type": "string", "maxLength": 254}},
                   "required": ["email"]},
        "fields": {"email": {
            "label": {"nl": "Uw e-mailadres", "en": "Your e-mail address"},
            "phrase": {"nl": "uw e-mailadres", "en": "your e-mail address"},
            "help": {"nl": help_nl, "en": help_en},
            "widget": "email", "autocomplete": "email",
        }},
    })


LOGIN_FORM = _email_form(
    "inloggen",
    "Het e-mailadres waarmee u uw initiatief aanmeldde. We sturen u een link om in te loggen.",
    "The e-mail address you used to register your initiative. We send you a link to log in.",
)
SAVE_FORM = _email_form(
    "opslaan",
    "We sturen u een link waarmee u later verder kunt gaan. De link werkt 30 dagen.",
    "We send you a link to continue later. The link works for 30 days.",
)
MESSAGE_FORM = parse_definition({
    "id": "bericht",
    "title": {"nl": "Bericht", "en": "Message"},
    "schema": {"type": "object", "properties": {"bericht": {"type": "string", "maxLength": 5000}},
               "required": ["bericht"]},
    "fields": {"bericht": {
        "label": {"nl": "Uw bericht", "en": "Your message"},
        "phrase": {"nl": "uw bericht", "en": "your message"},
        "help": {"nl": "Schrijf geen gegevens van anderen in uw bericht.",
                 "en": "Do not write other people's personal data in your message."},
        "widget": "textarea",
    }},
})
