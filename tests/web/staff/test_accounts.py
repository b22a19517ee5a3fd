"""Accounts: argon2 hashes, login, the lock-out after five failures, session tokens, identities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from tests.web.staff.support import GUIDE, INTAKE, PASSWORD
from web.staff.models import LoginAttempt, StaffUser
from web.staff.services.accounts import (
    LOCK_TIME,
    MAX_FAILURES,
    authenticate,
    create_user,
    hash_password,
    load_principal,
    set_password,
)


def attempts(engine: Engine, email: str) -> list[str]:
    with engine.db.transaction() as session:
        query = select(LoginAttempt.outcome).where(LoginAttempt.email == email).order_by(LoginAttempt.id)
        return list(session.scalars(query).all())


def login(engine: Engine, email: str, password: str) -> str:
    with engine.db.transaction() as session:
        return authenticate(session, email, password, ip="127.0.0.1").outcome


def test_passwords_are_stored_as_argon2_hashes(engine: Engine) -> None:
    with engine.db.transaction() as session:
        user = create_user(session, email=" Nieuw@Gemeente.Example ", name="Nieuw", roles=["kcc"],
                           password="een-lang-wachtwoord")
        assert user.email == "nieuw@gemeente.example"
        assert user.password_hash.startswith("$argon2id$")
        assert "een-lang-wachtwoord" not in user.password_hash
    assert login(engine, "NIEUW@gemeente.example", "een-lang-wachtwoord") == "ok"


def test_short_passwords_and_unknown_roles_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError):
        hash_password("kort")
    with engine.db.transaction() as session, pytest.raises(ValueError, match="unknown roles"):
        create_user(session, email="x@gemeente.example", name="X", roles=["superuser"], password="lang-genoeg-123")


def test_login_gives_the_principal_with_roles_groups_and_guide_identity(engine: Engine) -> None:
    with engine.db.transaction() as session:
        result = authenticate(session, GUIDE, PASSWORD)
    assert result.outcome == "ok" and result.principal is not None
    who = result.principal
    assert who.roles == {"begeleider"}
    assert who.identities == {GUIDE, "pieter jansen"}
    with engine.db.transaction() as session:
        intake = authenticate(session, INTAKE, PASSWORD).principal
    assert intake is not None and intake.groups == {"initiatieventeam"}


def test_unknown_address_and_wrong_password_give_the_same_answer(engine: Engine) -> None:
    assert login(engine, "niemand@gemeente.example", PASSWORD) == "wrong"
    assert login(engine, INTAKE, "fout-wachtwoord") == "wrong"
    assert attempts(engine, "niemand@gemeente.example") == ["wrong"]
    assert attempts(engine, INTAKE) == ["wrong"]


def test_five_failures_lock_the_account_for_fifteen_minutes(engine: Engine) -> None:
    outcomes = [login(engine, INTAKE, f"fout-{n}") for n in range(MAX_FAILURES)]
    assert outcomes == ["wrong"] * (MAX_FAILURES - 1) + ["locked"]
    # Even the right password does not help while locked, and is not checked.
    assert login(engine, INTAKE, PASSWORD) == "locked"
    clock.set_time(clock.now() + LOCK_TIME - timedelta(seconds=5))
    assert login(engine, INTAKE, PASSWORD) == "locked"
    clock.set_time(clock.now() + timedelta(seconds=10))
    assert login(engine, INTAKE, PASSWORD) == "ok"
    assert attempts(engine, INTAKE)[-3:] == ["locked", "locked", "ok"]
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None and user.failed_logins == 0 and user.locked_until is None


def test_a_success_resets_the_failure_count(engine: Engine) -> None:
    for _ in range(MAX_FAILURES - 1):
        assert login(engine, INTAKE, "fout") == "wrong"
    assert login(engine, INTAKE, PASSWORD) == "ok"
    for _ in range(MAX_FAILURES - 1):
        assert login(engine, INTAKE, "fout") == "wrong"


def test_after_a_lock_expires_the_count_starts_again(engine: Engine) -> None:
    for _ in range(MAX_FAILURES):
        login(engine, INTAKE, "fout")
    clock.set_time(clock.now() + LOCK_TIME + timedelta(seconds=1))
    assert login(engine, INTAKE, "fout") == "wrong"


def test_inactive_accounts_cannot_log_in_and_lose_their_sessions(engine: Engine) -> None:
    with engine.db.transaction() as session:
        result = authenticate(session, INTAKE, PASSWORD)
    assert result.principal is not None
    session_id = result.principal.get_id()
    with engine.db.transaction() as session:
        assert load_principal(session, session_id) is not None
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None
        user.active = False
    assert login(engine, INTAKE, PASSWORD) == "inactive"
    with engine.db.transaction() as session:
        assert load_principal(session, session_id) is None


def test_a_new_password_ends_every_session(engine: Engine) -> None:
    with engine.db.transaction() as session:
        result = authenticate(session, INTAKE, PASSWORD)
        assert result.principal is not None
        session_id = result.principal.get_id()
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None
        set_password(session, user, "een-nieuw-wachtwoord")
    with engine.db.transaction() as session:
        assert load_principal(session, session_id) is None
    assert login(engine, INTAKE, "een-nieuw-wachtwoord") == "ok"


@pytest.mark.parametrize("session_id", ["", "staff:x:y", "staff:1", "public:1:abc", "staff:999:abc"])
def test_malformed_or_foreign_session_ids_load_nobody(engine: Engine, session_id: str) -> None:
    with engine.db.transaction() as session:
        assert load_principal(session, session_id) is None
