"""How long the access log of personal data is kept (AVG): who searched for initiatives and who
opened which case when (:mod:`processes.access_log`). The log holds personal data itself (staff
members' addresses, which initiative they looked at), so it too is kept no longer than needed:
long enough for the privacyfunctionaris to look into a complaint or a leak, then deleted. A
beheerder sets the term; the worker deletes older rows once a day, and ``loket privacy apply``
does it at once. Every change of the term is written to the organisation audit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from processes import clock, org_input
from processes.access import Principal
from processes.loket import reads, writes
from processes.retention import SUBJECT, months_before, parse_months
from processes.tables.privacy import LogRetention
from processes.tables.staff import KccAccess

NAME = "inzagelog"
"""The row's key, and the subject of its audit entries (``bewaartermijn:inzagelog``)."""
DEFAULT_MONTHS = 24
MIN_MONTHS = 6
"""Half a year at least: a complaint about who looked at an initiative can come months later."""
MAX_MONTHS = 120


@dataclass(frozen=True)
class LogTerm:
    months: int = DEFAULT_MONTHS
    stored: bool = False
    """False: nobody set it yet, the default applies."""


def term(session: Session) -> LogTerm:
    row = session.get(LogRetention, NAME)
    return LogTerm(row.months, True) if row is not None else LogTerm()


@reads
def current_term(session: Session) -> LogTerm:
    return term(session)


@writes
def update_term(session: Session, actor: Principal, months_text: str | None) -> LogTerm:
    """A new term in whole months (field ``inzagelog``); OrganisationInvalid when it is not
    a whole number from :data:`MIN_MONTHS` to :data:`MAX_MONTHS`."""
    problems: dict[str, str] = {}
    months = parse_months(months_text, NAME, problems, MIN_MONTHS, MAX_MONTHS)
    org_input.raise_problems(problems)
    assert months is not None
    before = term(session)
    row = session.get(LogRetention, NAME)
    if row is None:
        session.add(LogRetention(name=NAME, months=months))
    else:
        row.months = months
    session.flush()
    org_input.record_changes(session, actor, f"{SUBJECT}:{NAME}", "retention_updated",
                             {"log_months": before.months}, {"log_months": months})
    return LogTerm(months, True)


@writes
def purge_access_log(session: Session) -> int:
    """Delete the access log's rows older than the term; returns how many (the rows themselves
    are not kept anywhere)."""
    limit = months_before(clock.now(), term(session).months)
    result = session.execute(delete(KccAccess).where(KccAccess.at < limit))
    return int(getattr(result, "rowcount", 0) or 0)
