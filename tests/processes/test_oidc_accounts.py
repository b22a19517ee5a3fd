"""Who a signed-on person is in the loket (service level): claim mode creates and updates the
account from the claims (known roles and teams only), account mode uses the loket's own account;
switched-off accounts, persons without a role and unverified addresses are refused."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from engine.service import Engine
from processes import users
from processes.accounts import authenticate
from processes.errors import NotAllowedHere
from processes.oidc import accounts
from processes.oidc.accounts import Claimed, claimed
from processes.oidc.settings import ACCOUNTS, CLAIMS, settings_of
from processes.tables.staff import LoginAttempt, StaffAudit, StaffUser
from tests.factories import loket_for
from tests.web.staff.support import BEHEER, INTAKE, KCC, PASSWORD, principal

ANNA = Claimed(subject="anna", email="anna.smit@gemeente.example", name="Anna Smit",
               roles=("intake", "tovenaar"), teams=("initiatieventeam", "team-bestaat-niet"), email_verified=True)


def account(engine: Engine, email: str) -> StaffUser:
    with engine.db.transaction() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user is not None
        session.expunge(user)
        return user


def audit(engine: Engine, email: str) -> list[tuple[str, str, dict[str, object]]]:
    with engine.db.transaction() as session:
        rows = session.scalars(select(StaffAudit).where(StaffAudit.user_email == email).order_by(StaffAudit.id))
        return [(row.action, row.actor_email, row.changes) for row in rows]


def attempts(engine: Engine) -> list[tuple[str, str]]:
    with engine.db.transaction() as session:
        rows = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id))
        return [(row.email, row.outcome) for row in rows]


def test_claims_become_a_person() -> None:
    settings = settings_of({"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "c", "OIDC_CLIENT_SECRET": "s",
                            "OIDC_ROLES_CLAIM": "groepen", "OIDC_EMAIL_CLAIM": "upn"})
    assert settings is not None
    person = claimed({"sub": "x1", "upn": " Noor@Gemeente.Example ", "groepen": "kcc, intake beheerder",
                      "teams": ["team-groen", 7, ""], "email_verified": "yes"}, settings)
    assert person == Claimed(subject="x1", email="noor@gemeente.example", name="", roles=("kcc", "intake", "beheerder"),
                             teams=("team-groen",), email_verified=None)


def test_claim_mode_creates_an_external_account_with_the_known_roles_and_teams(
        engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="processes.oidc.accounts"):
        result = accounts.sign_in(loket_for(engine), ANNA, mode=CLAIMS, ip="10.0.0.1")
    assert result.outcome == accounts.OK and result.principal is not None
    assert result.principal.roles == {"intake"} and result.principal.groups == {"initiatieventeam"}
    assert result.principal.external and not result.principal.must_change_password
    assert "tovenaar" in caplog.text and "team-bestaat-niet" in caplog.text
    user = account(engine, ANNA.email)
    assert user.external and user.oidc_subject == "anna" and user.name == "Anna Smit" and user.last_login_at
    assert audit(engine, ANNA.email) == [("signed_on_created", ANNA.email, {
        "name": [None, "Anna Smit"], "roles": [[], ["intake"]], "teams": [[], ["initiatieventeam"]]})]
    assert attempts(engine)[-1] == (ANNA.email, "oidc_ok")
    # No local password works for it, and a beheerder cannot set one.
    assert authenticate(loket_for(engine), ANNA.email, accounts.NO_PASSWORD).principal is None
    with pytest.raises(NotAllowedHere):
        users.reset_password(loket_for(engine), principal(engine, BEHEER), user.id, "tijdelijk-Zonnebloem-42")


def test_claim_mode_updates_the_account_at_every_sign_in(engine: Engine) -> None:
    loket = loket_for(engine)
    accounts.sign_in(loket, ANNA, mode=CLAIMS)
    moved = Claimed(subject="anna", email="anna.smit@nieuw.example", name="Anna Smit-de Boer", roles=("kcc",),
                    teams=(), email_verified=True)
    result = accounts.sign_in(loket, moved, mode=CLAIMS)
    assert result.principal is not None and result.principal.roles == {"kcc"} and not result.principal.groups
    # Found by subject: the same account, with the address tasks and the audit know it by.
    assert result.principal.email == ANNA.email
    assert audit(engine, ANNA.email)[-1] == ("signed_on_updated", ANNA.email, {
        "name": ["Anna Smit", "Anna Smit-de Boer"], "roles": [["intake"], ["kcc"]],
        "teams": [["initiatieventeam"], []]})
    accounts.sign_in(loket, moved, mode=CLAIMS)
    assert len(audit(engine, ANNA.email)) == 2  # nothing changed, nothing written


def test_claim_mode_takes_over_a_local_account_with_the_same_address(engine: Engine) -> None:
    kim = Claimed(subject="kim", email=KCC, name="Kim Jansen", roles=("kcc", "intake"), teams=(), email_verified=True)
    assert authenticate(loket_for(engine), KCC, PASSWORD).principal is not None
    result = accounts.sign_in(loket_for(engine), kim, mode=CLAIMS)
    assert result.principal is not None and result.principal.roles == {"kcc", "intake"}
    assert account(engine, KCC).external
    assert audit(engine, KCC)[-1][0] == "signed_on_updated"
    # From now on its roles come from the provider: the local password stops working.
    assert authenticate(loket_for(engine), KCC, PASSWORD).principal is None


def test_claim_mode_refusals(engine: Engine) -> None:
    loket = loket_for(engine)
    no_role = Claimed(subject="z", email="zonder.rol@gemeente.example", name="Z", roles=("tovenaar",),
                      email_verified=True)
    assert accounts.sign_in(loket, no_role, mode=CLAIMS) == accounts.SignInResult(accounts.NO_ROLE)
    unverified = Claimed(subject="u", email="u@gemeente.example", name="U", roles=("kcc",), email_verified=False)
    assert accounts.sign_in(loket, unverified, mode=CLAIMS).outcome == accounts.UNKNOWN
    with engine.db.transaction() as session:
        assert session.scalar(select(StaffUser).where(StaffUser.email.in_(["zonder.rol@gemeente.example",
                                                                          "u@gemeente.example"]))) is None
    # An address of an account that belongs to another subject of the provider.
    accounts.sign_in(loket, ANNA, mode=CLAIMS)
    impostor = Claimed(subject="iemand-anders", email=ANNA.email, name="A", roles=("beheerder",), email_verified=True)
    assert accounts.sign_in(loket, impostor, mode=CLAIMS).outcome == accounts.CONFLICT
    # A switched-off account stays off.
    anna = account(engine, ANNA.email)
    users.set_active(loket, principal(engine, BEHEER), anna.id, False)
    assert accounts.sign_in(loket, ANNA, mode=CLAIMS).outcome == accounts.INACTIVE
    assert not account(engine, ANNA.email).active
    assert [outcome for _, outcome in attempts(engine)][-5:] == [
        "oidc_norole", "oidc_unknown", "oidc_ok", "oidc_conflict", "oidc_inactive"]


def test_account_mode_uses_the_loket_s_own_account(engine: Engine) -> None:
    loket = loket_for(engine)
    ilse = Claimed(subject="ilse", email=INTAKE, name="Ilse", roles=("beheerder",), teams=("team-groen",),
                   email_verified=True)
    result = accounts.sign_in(loket, ilse, mode=ACCOUNTS)
    assert result.principal is not None
    # The roles and teams of the loket, not of the claims; nothing about the account changes.
    assert result.principal.roles == {"intake"} and result.principal.groups == {"initiatieventeam"}
    user = account(engine, INTAKE)
    assert not user.external and user.oidc_subject is None and user.name == "Ilse de Wit"
    assert audit(engine, INTAKE) == []
    assert authenticate(loket, INTAKE, PASSWORD).principal is not None
    nobody = Claimed(subject="o", email="onbekend@gemeente.example", name="O", email_verified=True)
    assert accounts.sign_in(loket, nobody, mode=ACCOUNTS).outcome == accounts.UNKNOWN
    unverified = Claimed(subject="ilse", email=INTAKE, name="Ilse", email_verified=False)
    assert accounts.sign_in(loket, unverified, mode=ACCOUNTS).outcome == accounts.UNKNOWN
    users.set_active(loket, principal(engine, BEHEER), user.id, False)
    assert accounts.sign_in(loket, ilse, mode=ACCOUNTS).outcome == accounts.INACTIVE
