"""Reading what a beheerder fills in on the organisation forms: names, e-mail addresses, years,
amounts (the way every amount field reads them), each problem as a form field and a reason code;
and logging what changed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy.orm import Session

from forms import ConversionError
from forms import parse_amount as read_amount
from processes import clock, staff_audit
from processes.access import Principal
from processes.errors import InvalidInput, OrganisationInvalid

MAX_NAME = 200
MAX_EMAIL = 254
MAX_CODE = 80
MAX_AMOUNT = Decimal("100000000")
"""The largest amount a budget or the fund can hold here (the column holds 12 digits)."""
YEARS_AHEAD = 5
"""Budgets and funds can be set up for this year and the next five."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FUND_NAME = "Initiatievenfonds"


def parse_amount(text: str) -> Decimal:
    """An amount in euro, read the way every amount field reads it (:func:`forms.parse_amount`:
    ``25.000,50``; ``25.000`` is twenty-five thousand), within what a budget can hold.
    InvalidInput (``bad_amount``) for anything else."""
    try:
        amount = read_amount(text)
    except ConversionError as exc:
        raise InvalidInput({"bedrag": "bad_amount"}) from exc
    if amount < 0 or amount > MAX_AMOUNT:
        raise InvalidInput({"bedrag": "bad_amount"})
    return amount


def amount(text: str | None, field: str, problems: dict[str, str]) -> Decimal | None:
    if not (text or "").strip():
        problems[field] = "amount_missing"
        return None
    try:
        return parse_amount(text or "")
    except InvalidInput:
        problems[field] = "bad_amount"
        return None


def year(text: str | None, problems: dict[str, str]) -> int | None:
    value = (text or "").strip()
    this_year = clock.now().year
    if not re.fullmatch(r"[0-9]{4}", value):
        problems["jaar"] = "year_invalid"
        return None
    year = int(value)
    if not this_year <= year <= this_year + YEARS_AHEAD:
        problems["jaar"] = "year_out_of_range"
        return None
    return year


def name(text: str | None, problems: dict[str, str], field: str = "naam") -> str:
    name = " ".join((text or "").split())
    if not name:
        problems[field] = "name_missing"
    elif len(name) > MAX_NAME:
        problems[field] = "name_too_long"
    return name


def email(text: str | None, problems: dict[str, str], field: str, *, required: bool) -> str:
    email = (text or "").strip().lower()
    if not email:
        if required:
            problems[field] = "email_missing"
    elif len(email) > MAX_EMAIL or not EMAIL.match(email):
        problems[field] = "email_invalid"
    return email


def record_changes(session: Session, actor: Principal, subject: str, event: str,
                    before: Mapping[str, object], after: Mapping[str, object]) -> None:
    """Log the fields that changed (``[old, new]`` each) in the staff audit, if any did."""
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        staff_audit.record_organisation(session, actor, subject, event, changes)


def raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise OrganisationInvalid(problems)
