"""The organisation audit of the beheer page in words: who changed which district, team, guide,
budget or fund, and how."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from processes.tables.staff import StaffAudit
from web.i18n import gettext as _
from web.staff.wording import Wording


def action_labels() -> dict[str, str]:
    return {
        "district_created": _("Wijk toegevoegd"),
        "district_updated": _("Wijk gewijzigd"),
        "team_created": _("Team toegevoegd"),
        "team_updated": _("Team gewijzigd"),
        "guide_created": _("Begeleider toegevoegd"),
        "guide_updated": _("Begeleider gewijzigd"),
        "budget_created": _("Budget toegevoegd"),
        "budget_updated": _("Budget gewijzigd"),
        "fund_created": _("Fonds toegevoegd"),
        "fund_updated": _("Fonds gewijzigd"),
    }


def change_labels() -> dict[str, str]:
    return {"name": _("Naam"), "name_en": _("Naam in het Engels"), "lead_email": _("Teamleider"),
            "district": _("Wijk"), "expertise": _("Kennis van"), "active": _("Actief"), "amount": _("Bedrag"),
            "total": _("Totaal"), "team": _("Team"), "notify": _("E-mail over nieuw werk"),
            "notify_email": _("Gedeeld e-mailadres")}


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
