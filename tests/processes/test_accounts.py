"""Accounts: argon2 hashes, login, the login throttle (no account lock, no enumeration), session tokens,
identities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from processes import accounts
from processes.accounts import (
    authenticate,
    create_user,
    hash_password,
    load_principal,
    set_password,
)
from processes.loket import Loket
from processes.tables.staff import LoginAttempt, StaffUser
from processes.throttle import MAX_PER_ADDRESS_IP, MAX_PER_IP, WINDOW
from tests.factories import loket_for
from tests.web.staff.support import GUIDE, INTAKE, PASSWORD


def attempts(engine: Engine, email: str) -> list[str]:
    with engine.db.transaction() as session:
        query = select(LoginAttempt.outcome).where(LoginAttempt.email == email).order_by(LoginAttempt.id)
        return list(session.scalars(query).all())


def login(engine: Engine, email: str, password: str, ip: str = "127.0.0.1") -> str:
    return authenticate(loket_for(engine), email, password, ip=ip).outcome


def test_passwords_are_stored_as_argon2_hashes(engine: Engine) -> None:
    with engine.db.transaction() as session:
        user = create_user(session, email=" Nieuw@Gemeente.Example ", name="Nieuw", roles=["kcc"],
                           password="een-lang-wachtwoord")
        assert user.email == "nieuw@gemeente.example"
        assert user.password_hash.startswith("$argon2id$")
        assert "een-lang-wachtwoord" not in user.password_hash
    assert login(engine, "NIEUW@gemeente.example", "een-lang-wachtwoord") == "ok"


def test_hashes_use_the_owasp_argon2id_settings_and_older_ones_are_redone_at_login(engine: Engine) -> None:
    assert hash_password("een-lang-wachtwoord").startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    older = PasswordHasher().hash("een-lang-wachtwoord")  # the library default the loket used before
    assert not older.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    with engine.db.transaction() as session:
        user = create_user(session, email="ouder@gemeente.example", name="Ouder", roles=["kcc"],
                           password="een-lang-wachtwoord")
        user.password_hash = older
    assert login(engine, "ouder@gemeente.example", "een-lang-wachtwoord") == "ok"
    with engine.db.transaction() as session:
        query = select(StaffUser.password_hash).where(StaffUser.email == "ouder@gemeente.example")
        redone = session.scalars(query).one()
    assert redone.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert login(engine, "ouder@gemeente.example", "een-lang-wachtwoord") == "ok"


def test_short_passwords_and_unknown_roles_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError):
        hash_password("kort")
    with engine.db.transaction() as session, pytest.raises(ValueError, match="unknown roles"):
        create_user(session, email="x@gemeente.example", name="X", roles=["superuser"], password="lang-genoeg-123")


def test_login_gives_the_principal_with_roles_groups_and_guide_identity(loket: Loket, engine: Engine) -> None:
    result = authenticate(loket, GUIDE, PASSWORD)
    assert result.outcome == "ok" and result.principal is not None
    who = result.principal
    assert who.roles == {"begeleider"}
    assert who.identities == {GUIDE, "pieter jansen"}
    intake = authenticate(loket, INTAKE, PASSWORD).principal
    assert intake is not None and intake.groups == {"initiatieventeam"}


def test_unknown_address_and_wrong_password_give_the_same_answer(engine: Engine) -> None:
    assert login(engine, "niemand@gemeente.example", PASSWORD) == "wrong"
    assert login(engine, INTAKE, "fout-wachtwoord") == "wrong"
    assert attempts(engine, "niemand@gemeente.example") == ["wrong"]
    assert attempts(engine, INTAKE) == ["wrong"]


def test_five_failures_from_one_computer_slow_that_computer_down(engine: Engine) -> None:
    outcomes = [login(engine, INTAKE, f"fout-{n}") for n in range(MAX_PER_ADDRESS_IP + 1)]
    assert outcomes == ["wrong"] * MAX_PER_ADDRESS_IP + ["throttled"]
    # While throttled even the right password is not checked, from this computer.
    assert login(engine, INTAKE, PASSWORD) == "throttled"
    clock.set_time(clock.now() + WINDOW - timedelta(seconds=5))
    assert login(engine, INTAKE, PASSWORD) == "throttled"
    clock.set_time(clock.now() + timedelta(seconds=10))
    assert login(engine, INTAKE, PASSWORD) == "ok"
    assert attempts(engine, INTAKE)[-3:] == ["throttled", "throttled", "ok"]


def test_nobody_can_lock_someone_else_out(engine: Engine) -> None:
    """An attacker elsewhere guessing Ilse's password only slows down the attacker."""
    for n in range(3 * MAX_PER_ADDRESS_IP):
        login(engine, INTAKE, f"fout-{n}", ip="203.0.113.66")
    assert login(engine, INTAKE, PASSWORD, ip="203.0.113.66") == "throttled"
    assert login(engine, INTAKE, PASSWORD, ip="10.1.2.3") == "ok"
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None and user.locked_until is None


def test_one_computer_trying_many_addresses_is_slowed_down(engine: Engine) -> None:
    for n in range(MAX_PER_IP):
        assert login(engine, f"iemand{n}@gemeente.example", "Welkom01!", ip="198.51.100.7") == "wrong"
    assert login(engine, INTAKE, PASSWORD, ip="198.51.100.7") == "throttled"
    assert login(engine, INTAKE, PASSWORD, ip="198.51.100.8") == "ok"
    clock.set_time(clock.now() + WINDOW + timedelta(seconds=1))
    assert login(engine, INTAKE, PASSWORD, ip="198.51.100.7") == "ok"


def test_unknown_addresses_are_throttled_exactly_like_known_ones(engine: Engine) -> None:
    unknown = "niemand@gemeente.example"
    assert [login(engine, unknown, f"fout-{n}") for n in range(MAX_PER_ADDRESS_IP + 2)] == \
        [login(engine, INTAKE, f"fout-{n}") for n in range(MAX_PER_ADDRESS_IP + 2)] == \
        ["wrong"] * MAX_PER_ADDRESS_IP + ["throttled"] * 2


def test_known_and_unknown_addresses_cost_one_password_check_each(engine: Engine,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same work (one argon2 verification), so the time says nothing about the address."""
    checked: list[str] = []
    real = accounts._verify

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "_verify", counting)
    assert login(engine, "niemand@gemeente.example", "fout-wachtwoord") == "wrong"
    assert login(engine, INTAKE, "fout-wachtwoord") == "wrong"
    assert len(checked) == 2
    assert checked[0].startswith("$argon2id$") and checked[0].split("$")[:4] == checked[1].split("$")[:4]


def test_a_success_resets_the_failure_count(engine: Engine) -> None:
    for _ in range(MAX_PER_ADDRESS_IP - 1):
        assert login(engine, INTAKE, "fout") == "wrong"
    assert login(engine, INTAKE, PASSWORD) == "ok"
    for _ in range(MAX_PER_ADDRESS_IP):
        assert login(engine, INTAKE, "fout") == "wrong"
    assert login(engine, INTAKE, "fout") == "throttled"


def test_waiting_always_helps_because_throttled_attempts_do_not_count(engine: Engine) -> None:
    for _ in range(MAX_PER_ADDRESS_IP):
        login(engine, INTAKE, "fout")
    for _ in range(10):
        clock.set_time(clock.now() + timedelta(minutes=1))
        assert login(engine, INTAKE, PASSWORD) == "throttled"
    clock.set_time(clock.now() + WINDOW - timedelta(minutes=9))
    assert login(engine, INTAKE, PASSWORD) == "ok"


def test_a_new_password_lifts_the_throttle(engine: Engine) -> None:
    for _ in range(MAX_PER_ADDRESS_IP):
        login(engine, INTAKE, "fout")
    assert login(engine, INTAKE, PASSWORD) == "throttled"
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None
        set_password(session, user, "een-nieuw-wachtwoord")
    assert login(engine, INTAKE, "een-nieuw-wachtwoord") == "ok"


def test_inactive_accounts_cannot_log_in_and_lose_their_sessions(loket: Loket, engine: Engine) -> None:
    result = authenticate(loket, INTAKE, PASSWORD)
    assert result.principal is not None
    session_id = result.principal.get_id()
    with engine.db.transaction() as session:
        assert load_principal(loket_for(engine), session_id) is not None
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None
        user.active = False
    assert login(engine, INTAKE, PASSWORD) == "inactive"
    assert load_principal(loket_for(engine), session_id) is None


def test_a_new_password_ends_every_session(engine: Engine) -> None:
    with engine.db.transaction() as session:
        result = authenticate(loket_for(engine), INTAKE, PASSWORD)
        assert result.principal is not None
        session_id = result.principal.get_id()
        user = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert user is not None
        set_password(session, user, "een-nieuw-wachtwoord")
    assert load_principal(loket_for(engine), session_id) is None
    assert login(engine, INTAKE, "een-nieuw-wachtwoord") == "ok"


@pytest.mark.parametrize("session_id", ["", "staff:x:y", "staff:1", "public:1:abc", "staff:999:abc"])
def test_malformed_or_foreign_session_ids_load_nobody(engine: Engine, session_id: str) -> None:
    assert load_principal(loket_for(engine), session_id) is None
