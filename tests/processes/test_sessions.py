"""Login sessions on the server (processes.sessions), on SQLite and PostgreSQL: a session works
until it is ended or expires, each login has its own, only hashes are stored, and the worker's
housekeeping deletes the expired ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine import clock
from engine.service import Engine
from processes import sessions, users
from processes.accounts import set_password
from processes.demo.staff import load_staff
from processes.housekeeping import purge_portal_data
from processes.loket import Loket
from processes.portal_login import issue_login_link, use_login_link
from processes.tables.login_session import LoginSession
from processes.tables.staff import StaffUser
from tests.factories import loket_for
from tests.processes.factories import create_loket_engine
from tests.web.staff.support import BEHEER, INTAKE, KCC, PASSWORD, principal

LIFETIME = timedelta(hours=8)
ALICE = "alice@example.nl"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine, _mailer = create_loket_engine(database_url, year=clock.now().year)
    clock.set_time(None)
    with engine.db.transaction() as session:
        load_staff(session, password=PASSWORD)
    yield engine
    engine.db.dispose()


@pytest.fixture
def loket(engine: Engine) -> Loket:
    return loket_for(engine)


def staff_login(loket: Loket, email: str, lifetime: timedelta = LIFETIME) -> tuple[str, str]:
    """A new staff session: (Flask-Login's id, the cookie's session token)."""
    who = principal(loket.engine, email)
    return who.get_id(), sessions.start_staff_session(loket, who.id, clock.now() + lifetime)


def rows(engine: Engine) -> int:
    with engine.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(LoginSession)) or 0)


def test_a_staff_session_works_until_it_is_ended_and_each_login_is_its_own(loket: Loket) -> None:
    login_id, first = staff_login(loket, INTAKE)
    _, second = staff_login(loket, INTAKE)  # the same person on a second computer
    assert first != second
    found = sessions.staff_principal(loket, login_id, first)
    assert found is not None and found.email == INTAKE
    sessions.log_out(loket, [first])
    assert sessions.staff_principal(loket, login_id, first) is None
    assert sessions.staff_principal(loket, login_id, second) is not None, "logging out ends only that login"


def test_a_session_belongs_to_one_account(loket: Loket) -> None:
    intake_id, intake_token = staff_login(loket, INTAKE)
    kcc_id, kcc_token = staff_login(loket, KCC)
    assert sessions.staff_principal(loket, kcc_id, intake_token) is None
    assert sessions.staff_principal(loket, intake_id, kcc_token) is None
    assert sessions.staff_principal(loket, intake_id, None) is None
    assert sessions.staff_principal(loket, intake_id, "") is None
    assert sessions.staff_principal(loket, intake_id, intake_token + "x") is None
    with loket.transaction() as session:
        initiator = sessions.open_initiator_session(session, ALICE, clock.now() + LIFETIME)
    assert sessions.staff_principal(loket, intake_id, initiator) is None, "an initiator's session is no staff login"
    assert sessions.initiator_of(loket, intake_token) is None, "and a staff login is no initiator's session"


def test_only_the_hash_of_a_token_is_stored(loket: Loket, engine: Engine) -> None:
    _, token = staff_login(loket, INTAKE)
    with engine.db.reading() as session:
        [row] = session.scalars(select(LoginSession)).all()
    assert row.token_hash != token and len(row.token_hash) == 64 and token not in row.token_hash


def test_a_session_expires_on_the_server(loket: Loket) -> None:
    login_id, token = staff_login(loket, INTAKE, timedelta(hours=8))
    clock.set_time(clock.now() + timedelta(hours=7, minutes=59))
    assert sessions.staff_principal(loket, login_id, token) is not None
    clock.set_time(clock.now() + timedelta(minutes=2))
    assert sessions.staff_principal(loket, login_id, token) is None


def test_a_new_password_or_switching_an_account_off_ends_its_sessions(loket: Loket, engine: Engine) -> None:
    login_id, token = staff_login(loket, INTAKE)
    _, colleague = staff_login(loket, KCC)
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None
        set_password(session, user, "een-nieuw-wachtwoord")
    assert sessions.staff_principal(loket, login_id, token) is None
    assert rows(engine) == 1, "the account's session rows went; a colleague's stayed"
    kcc_id = principal(engine, KCC).get_id()
    users.set_active(loket, principal(engine, BEHEER), principal(engine, KCC).id, False)
    assert sessions.staff_principal(loket, kcc_id, colleague) is None
    assert rows(engine) == 0


def test_an_initiator_logs_in_with_a_link_and_out_again(loket: Loket, engine: Engine) -> None:
    with engine.db.transaction() as session:
        link = issue_login_link(session, ALICE, next_path="/mijn-initiatieven")
    assert link is not None
    login = use_login_link(loket, link.token, session_expires_at=clock.now() + LIFETIME)
    assert login is not None and login.email == ALICE and login.next_path == "/mijn-initiatieven"
    assert login.session_token and sessions.initiator_of(loket, login.session_token) == ALICE
    assert use_login_link(loket, link.token, session_expires_at=clock.now() + LIFETIME) is None, "a link works once"
    sessions.log_out(loket, [login.session_token])
    assert sessions.initiator_of(loket, login.session_token) is None
    assert rows(engine) == 0


def test_a_new_login_ends_the_earlier_session_of_the_browser(loket: Loket, engine: Engine) -> None:
    with engine.db.transaction() as session:
        first_link, second_link = issue_login_link(session, ALICE), issue_login_link(session, "bob@example.nl")
    assert first_link is not None and second_link is not None
    first = use_login_link(loket, first_link.token, session_expires_at=clock.now() + LIFETIME)
    assert first is not None and first.session_token
    second = use_login_link(loket, second_link.token, session_expires_at=clock.now() + LIFETIME,
                            ending=[first.session_token])
    assert second is not None and second.session_token not in (None, first.session_token)
    assert sessions.initiator_of(loket, first.session_token) is None
    assert sessions.initiator_of(loket, second.session_token) == "bob@example.nl"
    login_id, _ = staff_login(loket, INTAKE)
    token = sessions.start_staff_session(loket, principal(engine, INTAKE).id, clock.now() + LIFETIME,
                                         ending=[second.session_token, None, 42])
    assert sessions.initiator_of(loket, second.session_token) is None
    assert sessions.staff_principal(loket, login_id, token) is not None


def test_the_housekeeping_deletes_expired_sessions_only(loket: Loket, engine: Engine) -> None:
    staff_login(loket, INTAKE, timedelta(hours=1))
    _, lasting = staff_login(loket, KCC, timedelta(hours=8))
    with loket.transaction() as session:
        sessions.open_initiator_session(session, ALICE, clock.now() + timedelta(minutes=30))
    clock.set_time(clock.now() + timedelta(hours=2))
    purge_portal_data(loket)
    assert rows(engine) == 1
    assert sessions.staff_principal(loket, principal(engine, KCC).get_id(), lasting) is not None


def test_the_one_statement_login_check_reads_what_the_account_queries_read(loket: Loket, engine: Engine) -> None:
    """Roles, teams, guide identities and the teams a user leads: the same as principal_of and
    the monitor's lead_teams, for every demo account (guides and team leads among them)."""
    from dataclasses import replace

    from processes.demo.staff import ACCOUNTS
    from processes.monitoring.dashboard import lead_teams

    for _name, mailbox, _roles, _teams in ACCOUNTS:
        login_id, token = staff_login(loket, f"{mailbox}@gemeente.example")
        found = sessions.staff_principal(loket, login_id, token)
        expected = principal(engine, f"{mailbox}@gemeente.example")
        assert found is not None and found.lead_teams is not None
        with engine.db.reading() as session:
            assert found.lead_teams == lead_teams(session, expected)
        assert replace(found, lead_teams=None) == expected


def test_a_changed_role_or_team_counts_at_the_next_request(loket: Loket, engine: Engine) -> None:
    from processes.tables.organisation import Team
    from processes.tables.staff import StaffRole, TeamMembership

    login_id, token = staff_login(loket, KCC)
    before = sessions.staff_principal(loket, login_id, token)
    assert before is not None and "beheerder" not in before.roles and not before.lead_teams
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == KCC))
        assert user is not None
        session.add_all([StaffRole(user_id=user.id, role="beheerder"),
                         TeamMembership(user_id=user.id, team_code="team-groen")])
        team = session.get(Team, "team-groen")
        assert team is not None
        team.lead_email = KCC.upper()
    after = sessions.staff_principal(loket, login_id, token)
    assert after is not None
    assert "beheerder" in after.roles and "team-groen" in after.groups and after.lead_teams == {"team-groen"}
