"""What in a case is personal data, and how it is replaced by :data:`MARKER` (AVG retention).

Personal are the initiator's contact details (:data:`CONTACT_FIELDS`) and every free text: a
field that a form of the case's own bundle asks as text (``text``, ``textarea``, ``email``,
``tel``, ``postcode``), and the texts the diagrams copy from such answers into the decision
(:data:`ALWAYS_PERSONAL`). Copies elsewhere (a mail's context, the audit trail, an actor) are
found by their value: every string equal to a personal value of the case is replaced too.

The figures stay, so the monitoring still counts the case: answers chosen from a list, amounts,
dates, yes/no answers and :data:`FIGURES` (category, district, outcome …) are never touched,
whatever their value. The :class:`Scrubber` remembers which kinds of data it removed (for the
audit entry), never the data itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from forms import FormDefinition

MARKER = "[verwijderd]"
"""What replaces a personal value."""
FREE_TEXT_WIDGETS = frozenset({"text", "textarea", "email", "tel", "postcode"})
CONTACT_FIELDS = {"naam": "name", "email": "email", "telefoon": "phone", "adres": "address", "postcode": "address",
                  "organisatie": "organisation"}
"""The start form's contact details and the kind of data each is (the audit entry names kinds)."""
FREE_TEXT = "free_text"
ALWAYS_PERSONAL = frozenset({*CONTACT_FIELDS, "titel", "title", "omschrijving", "uitkomst_toelichting",
                             "besluit_reden", "besluit_advies", "besluit_voorwaarden", "besluit_afspraken", "reason",
                             "reden"})
"""Personal whatever the forms say: the contact details, the title and description, the
decision's texts the diagrams copy from what staff wrote, and why a case was stopped."""
FIGURES = frozenset({"categorie", "categorie_voorstel", "categorie_regel", "categorie_vorige", "categorie_gekozen",
                     "categorie_akkoord", "categorie_overschreven", "wijk", "uitkomst", "besluit", "fonds_besluit",
                     "besluit_bedrag", "gevraagd_bedrag", "toegekend_bedrag", "fonds_bedrag", "soort_initiatiefnemer",
                     "soort_initiatief", "reikwijdte", "disciplines", "kanaal", "taal", "begeleider",
                     "begeleider_info", "tevredenheid_score", "case_ref", "element", "process", "seconds", "message"})
"""Kept whatever their value: what the monitoring counts, and the guide (a colleague, not the
initiator)."""
MIN_VALUE = 3
"""Shorter values are not looked for elsewhere ("ja" is no personal data)."""


@dataclass(frozen=True)
class FieldRules:
    """Which keys of the case data are personal and which are kept (from the case's forms)."""

    personal: frozenset[str]
    kept: frozenset[str]

    @classmethod
    def of(cls, forms: Iterable[FormDefinition]) -> FieldRules:
        personal, kept = set(ALWAYS_PERSONAL), set(FIGURES)
        for form in forms:
            for item in form.fields.values():
                (personal if item.widget in FREE_TEXT_WIDGETS else kept).add(item.name)
        return cls(frozenset(personal - FIGURES), frozenset(kept - personal))


def kind_of(key: str) -> str:
    return CONTACT_FIELDS.get(key, FREE_TEXT)


@dataclass
class Scrubber:
    """Replaces personal data in JSON values (call it on a value). :meth:`learn` first: the
    personal values to look for elsewhere. ``kinds`` and ``fields`` say what it replaced."""

    rules: FieldRules
    values: dict[str, str] = field(default_factory=dict)
    """A personal value (stripped, lower case) → its kind."""
    kinds: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)

    def learn(self, value: Any, key: str | None = None) -> None:
        """Remember the personal values in ``value`` (its strings under personal keys)."""
        if isinstance(value, dict):
            for name, item in value.items():
                if name not in self.rules.kept:  # the guide's name and address are a colleague's
                    self.learn(item, name if name in self.rules.personal else key)
        elif isinstance(value, list):
            for item in value:
                self.learn(item, key)
        elif isinstance(value, str) and key is not None:
            self.remember(value, kind_of(key))

    def remember(self, value: str | None, kind: str) -> None:
        text = (value or "").strip().lower()
        if len(text) >= MIN_VALUE and text != MARKER:
            self.values.setdefault(text, kind)

    def __call__(self, value: Any) -> Any:
        return self._walk(value, None)

    def _walk(self, value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return {name: self._item(name, item) for name, item in value.items()}
        if isinstance(value, list):
            return [self._walk(item, key) for item in value]
        if isinstance(value, str):
            kind = self.values.get(value.strip().lower())
            if kind is not None:
                self._removed(kind, key)
                return MARKER
        return value

    def _item(self, key: str, value: Any) -> Any:
        if key in self.rules.kept:
            return value
        if key in self.rules.personal:
            return self._blank(value, key)
        return self._walk(value, key)

    def _blank(self, value: Any, key: str) -> Any:
        """Every text in ``value`` replaced (numbers, yes/no and empty values stay)."""
        if isinstance(value, dict):
            return {name: self._blank(item, key) for name, item in value.items()}
        if isinstance(value, list):
            return [self._blank(item, key) for item in value]
        if isinstance(value, str) and value.strip() and value != MARKER:
            self._removed(kind_of(key), key)
            return MARKER
        return value

    def _removed(self, kind: str, key: str | None) -> None:
        self.kinds.add(kind)
        if key is not None and key in self.rules.personal:
            self.fields.add(key)
