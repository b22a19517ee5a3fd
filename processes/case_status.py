"""What the case data and audit trail say about where an initiative stands, in terms the
initiator reads: the status history, the contact person, the category and why, the outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine import AuditEvent


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


@dataclass(frozen=True)
class Outcome:
    """The decision on the initiative, as the handling step wrote it (``uitkomst`` and its
    ``uitkomst_toelichting``: the agreements, or the reason for a rejection)."""

    result: str
    explanation: str | None


def outcome_of(data: Mapping[str, Any]) -> Outcome | None:
    result = data.get("uitkomst")
    if not result:
        return None
    explanation = data.get("uitkomst_toelichting")
    return Outcome(str(result), str(explanation) if explanation else None)
