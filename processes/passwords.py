"""Password rules, and changing one's own password (also the forced change after a reset).

The rules follow the usual advice for passwords people type (NIST SP 800-63B): long rather
than complicated, no composition rules, but not a well-known or easily guessed one and not
the user's own name or e-mail address. Each broken rule has a code; the views turn codes into
plain Dutch (or English) sentences.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from processes import staff_audit
from processes.access import Principal
from processes.accounts import MIN_PASSWORD_LENGTH, principal_of, set_password, verify_password
from processes.errors import AccountInvalid
from processes.loket import writes
from processes.tables.staff import StaffUser

MIN_LENGTH = MIN_PASSWORD_LENGTH
MAX_LENGTH = 200
MIN_DISTINCT = 5
"""A password of 12 characters needs at least this many different characters."""
PERSONAL_PART = 4
"""Parts of the name or e-mail address this long or longer may not be in the password."""

COMMON_WORDS = frozenset({
    "wachtwoord", "password", "passw0rd", "welkom", "welcome", "gemeente", "qwerty", "azerty", "qwertyuiop",
    "letmein", "admin", "administrator", "beheerder", "medewerker", "initiatief", "initiatieven", "loket",
    "initiatievenloket", "geheim", "secret", "zomer", "winter", "lente", "herfst", "voorjaar", "najaar",
    "abcdefghijkl", "iloveyou", "ikhouvanjou", "changeme", "veranderen", "wijzigen", "nieuwwachtwoord",
    "tijdelijk", "monkey", "dragon", "football", "voetbal", "sunshine", "princess", "trustno1",
})
_TRAILING = re.compile(r"[\d\W_]+$")
_LEADING = re.compile(r"^[\d\W_]+")


def _too_simple(lowered: str) -> bool:
    """Digits only, too few different characters, or a well-known word with digits or signs around it."""
    if lowered.isdigit() or len(set(lowered)) < MIN_DISTINCT:
        return True
    core = _LEADING.sub("", _TRAILING.sub("", lowered))
    return lowered in COMMON_WORDS or core in COMMON_WORDS or core.replace(" ", "") in COMMON_WORDS


def _personal_parts(email: str, name: str) -> set[str]:
    local = email.split("@", 1)[0].lower()
    parts = set(re.split(r"[\s.\-_+]+", local)) | set(re.split(r"[\s.\-']+", name.lower()))
    parts.add(local.replace(".", ""))
    return {part for part in parts if len(part) >= PERSONAL_PART}


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The code of the first rule ``password`` breaks, or None when it is acceptable."""
    if not password:
        return "password_missing"
    if len(password) < MIN_LENGTH:
        return "password_short"
    if len(password) > MAX_LENGTH:
        return "password_long"
    lowered = password.lower()
    if _too_simple(lowered):
        return "password_simple"
    if any(part in lowered for part in _personal_parts(email, name)):
        return "password_personal"
    return None


def _change_problems(user: StaffUser, current: str, new: str, repeat: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    current_ok = verify_password(user, current)
    if not current_ok:
        problems["current"] = "password_wrong" if current else "current_missing"
    problem = password_problem(new, email=user.email, name=user.name)
    if problem is not None:
        problems["new"] = problem
    elif current_ok and new == current:
        problems["new"] = "password_same"
    elif repeat != new:
        problems["repeat"] = "password_mismatch"
    return problems


@writes
def change_own_password(session: Session, principal: Principal, current: str, new: str, repeat: str) -> Principal:
    """Set the user's own new password (after checking the current one) and lift "must change".

    Every other session of the account ends; returns the Principal of the new session.
    Raises AccountInvalid (fields ``current``, ``new``, ``repeat``) when the form has problems."""
    user = session.get(StaffUser, principal.id)
    if user is None or not user.active:
        raise AccountInvalid({"current": "password_wrong"})
    problems = _change_problems(user, current, new, repeat)
    if problems:
        raise AccountInvalid(problems)
    set_password(session, user, new, must_change=False)
    staff_audit.record(session, principal, user, "password_changed")
    return principal_of(session, user)
