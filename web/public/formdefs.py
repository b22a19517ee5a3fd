"""Three small portal forms (log in, save for later, a message) in the project's form format,
so every form is rendered and checked the same way. The start form and the forms of the tasks
come from the models (:class:`processes.loket.Loket`)."""

from __future__ import annotations

from forms import FormDefinition, parse_definition


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
