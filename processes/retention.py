"""The retention policy (AVG) a beheerder sets per category: how many months after an
initiative is closed the contents of its attachments are deleted, and how many months after
closing the initiator's personal data are replaced (:mod:`processes.anonymise` applies it).

A category without a stored policy keeps :data:`DEFAULTS`. An initiative closed before it got
a category follows the shortest terms of the three. Every change is written to the
organisation audit (``staff_audit``) in the same transaction.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from processes import org_input
from processes.access import Principal
from processes.errors import NotFound
from processes.loket import reads, writes
from processes.tables.privacy import RetentionPolicy
from processes.tables.staff import StaffAudit
from processes.vocabulary import CATEGORIES

DEFAULT_ANONYMISE_MONTHS = 24
DEFAULT_ATTACHMENTS_MONTHS = 12
MIN_MONTHS = 1
MAX_MONTHS = 120
"""At least a month (the initiator reads the decision first), at most ten years."""
SUBJECT = "bewaartermijn"
"""The organisation audit's subject kind (``bewaartermijn:<category>``)."""


@dataclass(frozen=True)
class Policy:
    category: str
    anonymise_months: int = DEFAULT_ANONYMISE_MONTHS
    attachments_months: int = DEFAULT_ATTACHMENTS_MONTHS
    stored: bool = False
    """False: nobody set this category yet, the defaults apply."""


DEFAULTS = {category: Policy(category) for category in CATEGORIES}


def policies(session: Session) -> dict[str, Policy]:
    """The policy of every category (the defaults where none is stored), in category order."""
    stored = {row.category: row for row in session.scalars(select(RetentionPolicy)).all()}
    found = {}
    for category in CATEGORIES:
        row = stored.get(category)
        found[category] = (Policy(category, row.anonymise_months, row.attachments_months, True)
                           if row is not None else DEFAULTS[category])
    return found


def uncategorised(found: Mapping[str, Policy]) -> Policy:
    """The terms of an initiative closed before it got a category: the shortest of all."""
    return Policy("", min(policy.anonymise_months for policy in found.values()),
                  min(policy.attachments_months for policy in found.values()))


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` months earlier (the last day of a shorter month)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@reads
def current_policies(session: Session) -> dict[str, Policy]:
    """What the privacy page and the beheer page show."""
    return policies(session)


def parse_months(text: str | None, field: str, problems: dict[str, str], least: int = MIN_MONTHS,
                 most: int = MAX_MONTHS) -> int | None:
    """A whole number of months from ``least`` to ``most``; None with the problem in ``problems``."""
    value = (text or "").strip()
    if not value:
        problems[field] = "months_missing"
        return None
    if not value.isdigit() or len(value) > 4:
        problems[field] = "months_invalid"
        return None
    months = int(value)
    if not least <= months <= most:
        problems[field] = "months_out_of_range"
        return None
    return months


@writes
def update_policy(session: Session, actor: Principal, category: str, anonymise_text: str | None,
                  attachments_text: str | None) -> Policy:
    """New terms for a category (fields ``anonimiseren`` and ``bijlagen``, in whole months). The
    attachments cannot be kept longer than the personal data: anonymising deletes them too."""
    if category not in CATEGORIES:
        raise NotFound(category)
    problems: dict[str, str] = {}
    anonymise = parse_months(anonymise_text, "anonimiseren", problems)
    attachments = parse_months(attachments_text, "bijlagen", problems)
    if anonymise is not None and attachments is not None and attachments > anonymise:
        problems["bijlagen"] = "attachments_after_anonymise"
    org_input.raise_problems(problems)
    assert anonymise is not None and attachments is not None
    before = policies(session)[category]
    row = session.get(RetentionPolicy, category)
    if row is None:
        row = RetentionPolicy(category=category, anonymise_months=anonymise, attachments_months=attachments)
        session.add(row)
    row.anonymise_months, row.attachments_months = anonymise, attachments
    session.flush()
    org_input.record_changes(
        session, actor, f"{SUBJECT}:{category}", "retention_updated",
        {"anonymise_months": before.anonymise_months, "attachments_months": before.attachments_months},
        {"anonymise_months": anonymise, "attachments_months": attachments})
    return Policy(category, anonymise, attachments, True)


@reads
def policy_history(session: Session, limit: int = 20) -> list[StaffAudit]:
    """The newest changes of the retention policy first."""
    query = (select(StaffAudit).where(StaffAudit.action == "retention_updated")
             .order_by(StaffAudit.id.desc()).limit(limit))
    return list(session.scalars(query).all())

