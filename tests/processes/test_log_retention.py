"""The access log's own retention term: rows older than the term go, younger ones stay; the term
is checked and its changes are in the organisation audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from engine import clock
from processes import log_retention
from processes.access import Principal
from processes.errors import OrganisationInvalid
from processes.housekeeping import apply_retention_policy
from processes.loket import Loket
from processes.tables.staff import KccAccess, StaffAudit, StaffUser
from web import create_app, loket_of


@pytest.fixture
def loket(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    found = loket_of(create_app({"TESTING": True, "DATABASE_URL": database_url,
                                 "MAIL_FOLDER": str(tmp_path / "mail")}))
    yield found
    found.engine.db.dispose()


def _staff(loket: Loket, email: str) -> StaffUser:
    with loket.transaction() as session:
        user = StaffUser(email=email, name=email, password_hash="x", session_token="t", created_at=clock.now())
        session.add(user)
        session.flush()
        session.expunge(user)
        return user


def _beheerder(loket: Loket) -> Principal:
    user = _staff(loket, "beheerder@gemeente.example")
    return Principal(user.id, user.email, user.name, "t", frozenset({"beheerder"}))


def _log_rows(loket: Loket, *ages_in_days: int) -> None:
    user = _staff(loket, "kcc@gemeente.example")
    with loket.transaction() as session:
        session.execute(insert(KccAccess), [
            {"user_id": user.id, "user_email": user.email, "action": "search", "query": f"{age} dagen",
             "at": clock.now() - timedelta(days=age)} for age in ages_in_days])


def _kept(loket: Loket) -> list[str]:
    with loket.reading() as session:
        return sorted(str(query) for query in session.scalars(select(KccAccess.query)))


def test_rows_older_than_the_term_go_and_younger_ones_stay(loket: Loket) -> None:
    _log_rows(loket, 10, 700, 760)
    assert log_retention.current_term(loket) == log_retention.LogTerm(24, stored=False)

    assert log_retention.purge_access_log(loket) == 1  # 760 days is more than 24 months
    assert _kept(loket) == ["10 dagen", "700 dagen"]

    log_retention.update_term(loket, _beheerder(loket), "6")
    assert apply_retention_policy(loket) == 0  # the worker's daily round purges the log too
    assert _kept(loket) == ["10 dagen"]


@pytest.mark.parametrize(("text", "problem"), [("5", "months_out_of_range"), ("121", "months_out_of_range"),
                                               ("", "months_missing"), ("12a", "months_invalid")])
def test_a_term_outside_the_limits_is_refused(loket: Loket, text: str, problem: str) -> None:
    with pytest.raises(OrganisationInvalid) as refused:
        log_retention.update_term(loket, _beheerder(loket), text)
    assert refused.value.problems == {"inzagelog": problem}
    assert log_retention.current_term(loket).stored is False


def test_a_change_is_in_the_organisation_audit(loket: Loket) -> None:
    beheerder = _beheerder(loket)
    log_retention.update_term(loket, beheerder, "36")
    log_retention.update_term(loket, beheerder, "36")  # no change: no entry
    with loket.reading() as session:
        entries = list(session.scalars(select(StaffAudit).where(StaffAudit.action == "retention_updated")))
    assert [(entry.user_email, entry.changes) for entry in entries] == [
        ("bewaartermijn:inzagelog", {"log_months": [24, 36]})]
    assert log_retention.current_term(loket) == log_retention.LogTerm(36, stored=True)
