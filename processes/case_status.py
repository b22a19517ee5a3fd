"""What the case data and audit trail say about where an initiative stands, in terms the
initiator reads: the status history, the contact person, the category and why, the outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine import AuditEvent
from processes.amounts import euro_text


@dataclass(frozen=True)
class StatusEntry:
    at: datetime
    text: str
    text_en: str | None

    def in_language(self, lang: str) -> str:
        return (self.text_en or self.text) if lang == "en" else self.text


def status_history(audit: list[AuditEvent]) -> list[StatusEntry]:
    """The status texts the case went through, from its audit trail."""
    entries = []
    for event in audit:
        detail = event.detail or {}
        if event.kind == "status" and detail.get("text"):
            text_en = detail.get("text_en")
            entries.append(StatusEntry(event.at, str(detail["text"]), str(text_en) if text_en else None))
    return entries


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None


def contact_of(data: Mapping[str, Any]) -> Contact | None:
    """The guide (begeleider) once one is coupled (``assign_guide`` in processes/handlers/guides.py)."""
    info = data.get("begeleider_info")
    if isinstance(info, dict) and info.get("assigned") and info.get("naam"):
        return Contact(str(info["naam"]), str(info["email"]) if info.get("email") else None)
    return None


@dataclass(frozen=True)
class CategoryReason:
    category: str
    proposed: str | None
    rule: str | None
    explanation: str | None
    confirmed: bool = False
    explanation_en: str | None = None
    """The same explanation in English, when the decision table gives one (``categorie_uitleg_en``)."""

    def explanation_in(self, lang: str) -> tuple[str | None, str]:
        """The explanation in ``lang`` if there is one (else in Dutch), and the language it is in."""
        if lang == "en" and self.explanation_en:
            return self.explanation_en, "en"
        return self.explanation, "nl"

    @property
    def changed_by_staff(self) -> bool:
        return self.proposed is not None and self.proposed != self.category


def category_of(data: Mapping[str, Any]) -> CategoryReason | None:
    """The category and why: the decision table's rule (``categorie_regel``, ``categorie_uitleg``)."""
    proposed = data.get("categorie_voorstel")
    category = data.get("categorie") or proposed
    if not category:
        return None
    rule, explanation = data.get("categorie_regel"), data.get("categorie_uitleg")
    english = data.get("categorie_uitleg_en")
    return CategoryReason(str(category), str(proposed) if proposed else None, str(rule) if rule else None,
                          str(explanation) if explanation else None, confirmed=bool(data.get("categorie")),
                          explanation_en=str(english) if english else None)


REROUTED = "andere_categorie"
"""What a handling step writes in ``uitkomst`` when the initiative goes to another category:
no decision yet (``initiatief.bpmn`` routes it again)."""


@dataclass(frozen=True)
class Outcome:
    """The decision on the initiative with its content, as the handling steps of the diagrams
    wrote it in the case data (their "… vastleggen" scripts): ``uitkomst`` and

    - ``besluit_bedrag`` (the amount granted) beside ``gevraagd_bedrag`` (what was asked),
    - ``besluit_reden`` (why this amount, why rejected, where to go instead),
    - ``besluit_advies``, ``besluit_voorwaarden`` (a list: conditions from the assessments),
      ``besluit_afspraken`` (the agreements),
    - ``besluit_volgende_stap`` / ``besluit_volgende_stap_en`` (what happens now: payment,
      accounting afterwards, whom to contact), written in the diagram so a process owner changes it.

    ``explanation`` (``uitkomst_toelichting``) is the one-line summary older model versions wrote."""

    result: str
    explanation: str | None
    amount: float | None = None
    requested: float | None = None
    reason: str | None = None
    advice: str | None = None
    conditions: tuple[str, ...] = ()
    agreements: str | None = None
    next_step: str | None = None
    next_step_en: str | None = None

    @property
    def has_content(self) -> bool:
        """Whether the model version wrote the decision's content (else only ``explanation``)."""
        return any((self.amount is not None, self.reason, self.advice, self.conditions, self.agreements,
                    self.next_step))

    @property
    def partly_granted(self) -> bool:
        return self.amount is not None and self.requested is not None and self.amount < self.requested

    def next_step_in(self, lang: str) -> tuple[str | None, str]:
        """The next step in ``lang`` if the diagram gives one (else in Dutch), and its language."""
        if lang == "en" and self.next_step_en:
            return self.next_step_en, "en"
        return self.next_step, "nl"


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _texts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return tuple(text for text in (_text(item) for item in items) if text)


def outcome_of(data: Mapping[str, Any]) -> Outcome | None:
    result = data.get("uitkomst")
    if not result or result == REROUTED:
        return None
    granted = _amount(data.get("besluit_bedrag")) if result == "toegekend" else None
    return Outcome(
        str(result), _text(data.get("uitkomst_toelichting")),
        amount=granted, requested=_amount(data.get("gevraagd_bedrag")) if granted is not None else None,
        reason=_text(data.get("besluit_reden")), advice=_text(data.get("besluit_advies")),
        conditions=_texts(data.get("besluit_voorwaarden")), agreements=_text(data.get("besluit_afspraken")),
        next_step=_text(data.get("besluit_volgende_stap")), next_step_en=_text(data.get("besluit_volgende_stap_en")),
    )


DECISION_VALUES = ("besluit", "besluit_bedrag", "besluit_gevraagd", "besluit_reden", "besluit_advies",
                   "besluit_voorwaarden", "besluit_afspraken", "volgende_stap")
"""What a mail text gets about the decision (empty strings before there is one): the result,
the amounts in the initiator's language, the texts staff wrote, the conditions one per line
(``- …``) and the next step in the initiator's language."""


def decision_values(data: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The decision's content as the values of a mail text in ``lang`` (see DECISION_VALUES)."""
    outcome = outcome_of(data)
    if outcome is None:
        return dict.fromkeys(DECISION_VALUES, "")
    next_step, _ = outcome.next_step_in(lang)
    return {
        "besluit": outcome.result,
        "besluit_bedrag": euro_text(outcome.amount, lang) if outcome.amount is not None else "",
        "besluit_gevraagd": euro_text(outcome.requested, lang) if outcome.partly_granted and outcome.requested else "",
        "besluit_reden": outcome.reason or ("" if outcome.has_content else outcome.explanation or ""),
        "besluit_advies": outcome.advice or "",
        "besluit_voorwaarden": "\n".join(f"- {condition}" for condition in outcome.conditions),
        "besluit_afspraken": outcome.agreements or "",
        "volgende_stap": next_step or "",
    }
