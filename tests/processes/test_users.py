"""Managing staff accounts (service level): create, change, deactivate, one-time passwords, the
beheerder's own account, password rules, changing one's own password, and the audit of it all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import select

from engine.service import Engine
from processes import users
from processes.access import Principal
from processes.accounts import authenticate, load_principal
from processes.errors import AccountInvalid, NotAllowedHere, UnknownAccount
from processes.loket import Loket
from processes.passwords import change_own_password, password_problem
from processes.tables.staff import StaffAudit, StaffUser
from tests.factories import loket_for
from tests.web.staff.support import BEHEER, GUIDE, INTAKE, OOST, PASSWORD, assessed_case, principal

ONE_TIME = "tijdelijk-Zonnebloem-42"
NEW = "mijn eigen lange zin 7"


@pytest.fixture
def admin(engine: Engine) -> Principal:
    return principal(engine, BEHEER)


def form(name: str = "Noor Haddad", email: str = "Noor.Haddad@Gemeente.Example", roles: Sequence[str] = ("regiegroep",),
         teams: Sequence[str] = (), district: str = "west") -> users.AccountForm:
    return users.AccountForm.of(name, email, roles, teams, district)


def create(engine: Engine, admin: Principal, account: users.AccountForm | None = None,
           password: str = ONE_TIME) -> int:
    return users.create_account(loket_for(engine), admin, account or form(), password).id


def problems_of(engine: Engine, call: Callable[[Loket], object]) -> dict[str, str]:
    with pytest.raises(AccountInvalid) as caught:
        call(loket_for(engine))
    return caught.value.problems


def user_row(engine: Engine, user_id: int) -> tuple[str, bool, bool, list[str], list[str]]:
    with engine.db.transaction() as session:
        user = session.get(StaffUser, user_id)
        assert user is not None
        return (user.name, user.active, user.must_change_password, sorted(r.role for r in user.roles),
                sorted(m.team_code for m in user.memberships))


def audit(engine: Engine, user_id: int) -> list[tuple[str, str, dict[str, object]]]:
    with engine.db.transaction() as session:
        rows = session.scalars(select(StaffAudit).where(StaffAudit.user_id == user_id).order_by(StaffAudit.id))
        return [(row.action, row.actor_email, row.changes) for row in rows]


def login(engine: Engine, email: str, password: str) -> str:
    return authenticate(loket_for(engine), email, password).outcome


# creating --------------------------------------------------------------------------------------
def test_a_new_regiegroep_member_joins_the_regiegroep_of_the_district(engine: Engine, admin: Principal) -> None:
    user_id = create(engine, admin)
    assert user_row(engine, user_id) == ("Noor Haddad", True, True, ["regiegroep"], ["regiegroep-west"])
    assert login(engine, "noor.haddad@gemeente.example", ONE_TIME) == "ok"
    with engine.db.transaction() as session:
        member = session.get(StaffUser, user_id)
        assert member is not None
        found = users.form_of(member, users.organisation(session))
    assert (found.district, found.teams, found.roles) == ("west", (), ("regiegroep",))
    assert audit(engine, user_id) == [("created", BEHEER, {"name": [None, "Noor Haddad"], "roles": [[], ["regiegroep"]],
                                                           "teams": [[], ["regiegroep-west"]]})]


def test_the_new_user_must_change_the_one_time_password(loket: Loket, engine: Engine, admin: Principal) -> None:
    user_id = create(engine, admin)
    result = authenticate(loket, "noor.haddad@gemeente.example", ONE_TIME)
    assert result.principal is not None and result.principal.must_change_password
    renewed = change_own_password(loket, result.principal, ONE_TIME, NEW, NEW)
    assert not renewed.must_change_password and renewed.session_token != result.principal.session_token
    assert login(engine, "noor.haddad@gemeente.example", ONE_TIME) == "wrong"
    assert login(engine, "noor.haddad@gemeente.example", NEW) == "ok"
    assert [action for action, *_ in audit(engine, user_id)] == ["created", "password_changed"]
    assert audit(engine, user_id)[-1][1] == "noor.haddad@gemeente.example"


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"name": " "}, {"name": "name_missing"}),
    ({"name": "x" * 201}, {"name": "name_too_long"}),
    ({"email": ""}, {"email": "email_missing"}),
    ({"email": "geen-adres"}, {"email": "email_invalid"}),
    ({"email": INTAKE.upper()}, {"email": "email_taken"}),
    ({"roles": []}, {"roles": "roles_missing", "district": "district_without_role"}),
    ({"roles": ["superuser"]}, {"roles": "roles_unknown", "district": "district_without_role"}),
    ({"roles": ["kcc"], "district": ""}, {}),
    ({"roles": ["kcc"]}, {"district": "district_without_role"}),
    ({"district": ""}, {"district": "district_missing"}),
    ({"district": "noord"}, {"district": "district_unknown"}),
    ({"roles": ["specialist"], "district": "", "teams": ["team-vastgoed", "regiegroep-oost"]},
     {"teams": "teams_unknown"}),
])
def test_account_problems_are_all_reported_and_nothing_is_stored(engine: Engine, admin: Principal,
                                                                  overrides: dict[str, Any],
                                                                  expected: dict[str, str]) -> None:
    with engine.db.transaction() as session:
        before = len(session.scalars(select(StaffUser)).all())
    if not expected:
        create(engine, admin, form(**overrides))
        return
    assert problems_of(engine, lambda s: users.create_account(s, admin, form(**overrides), ONE_TIME)) == expected
    with engine.db.transaction() as session:
        assert len(session.scalars(select(StaffUser)).all()) == before
        assert session.scalars(select(StaffAudit)).all() == []


@pytest.mark.parametrize(("password", "code"), [
    ("", "password_missing"),
    ("kort-1", "password_short"),
    ("x" * 201, "password_long"),
    ("aaaaaaaaaaaaaaaa", "password_simple"),
    ("123456789012345", "password_simple"),
    ("Wachtwoord2025!", "password_simple"),
    ("!!welkom123456", "password_simple"),
    ("haddad-is-de-beste", "password_personal"),
    ("ik-ben-noor-uit-west", "password_personal"),
    ("NOORHADDAD-2025", "password_personal"),
])
def test_password_rules(password: str, code: str) -> None:
    assert password_problem(password, email="noor.haddad@gemeente.example", name="Noor Haddad") == code


def test_good_passwords_pass_the_rules() -> None:
    for password in ("paarse olifant danst", "Fiets-Regen-Koffie-9", "correct horse battery staple"):
        assert password_problem(password, email="noor.haddad@gemeente.example", name="Noor Haddad") is None


def test_the_one_time_password_follows_the_rules(engine: Engine, admin: Principal) -> None:
    assert problems_of(engine, lambda s: users.create_account(s, admin, form(), "kort")) == {
        "password": "password_short"}


# changing --------------------------------------------------------------------------------------
def test_roles_teams_and_district_change_and_the_audit_says_what_changed(
    loket: Loket, engine: Engine, admin: Principal,
) -> None:
    user_id = create(engine, admin)
    changed = form(name="Noor el Haddad", roles=["regiegroep", "kcc"], district="oost", teams=["kcc"])
    users.update_account(loket, admin, user_id, changed)
    assert user_row(engine, user_id) == ("Noor el Haddad", True, True, ["kcc", "regiegroep"],
                                         ["kcc", "regiegroep-oost"])
    assert audit(engine, user_id)[-1] == ("updated", BEHEER, {
        "name": ["Noor Haddad", "Noor el Haddad"], "roles": [["regiegroep"], ["kcc", "regiegroep"]],
        "teams": [["regiegroep-west"], ["kcc", "regiegroep-oost"]]})
    # Saving the same again changes nothing and logs nothing.
    users.update_account(loket, admin, user_id, changed)
    assert len(audit(engine, user_id)) == 2


def test_the_email_address_does_not_change(engine: Engine, admin: Principal) -> None:
    user_id = create(engine, admin)
    user = users.update_account(loket_for(engine), admin, user_id, form(email="ander@gemeente.example"))
    assert user.email == "noor.haddad@gemeente.example"


def test_a_role_change_counts_at_the_next_request(loket: Loket, engine: Engine, admin: Principal) -> None:
    who = principal(engine, OOST)
    users.update_account(loket, admin, who.id, form(name="Bram Verhoeven", roles=["kcc"], district=""))
    again = load_principal(loket, who.get_id())
    assert again is not None and again.roles == {"kcc"} and again.groups == frozenset()


def test_a_beheerder_keeps_their_own_beheerder_role(loket: Loket, engine: Engine, admin: Principal) -> None:
    mine = form(name="Ria van Leeuwen", roles=["kcc"], district="")
    assert problems_of(engine, lambda s: users.update_account(s, admin, admin.id, mine)) == {
        "roles": "own_admin_role"}
    users.update_account(loket, admin, admin.id, form(name="Ria van Leeuwen", roles=["beheerder", "kcc"],
                                                        district=""))
    assert user_row(engine, admin.id)[3] == ["beheerder", "kcc"]


def test_unknown_accounts(engine: Engine, admin: Principal) -> None:
    with pytest.raises(UnknownAccount):
        users.update_account(loket_for(engine), admin, 99999, form())
    with pytest.raises(UnknownAccount):
        users.set_active(loket_for(engine), admin, 99999, False)


# switching off and on -----------------------------------------------------------------------
def test_deactivating_ends_the_sessions_and_reactivating_lets_them_log_in(
    loket: Loket, engine: Engine, admin: Principal,
) -> None:
    who = principal(engine, INTAKE)
    users.set_active(loket, admin, who.id, False)
    assert login(engine, INTAKE, PASSWORD) == "inactive"
    assert load_principal(loket_for(engine), who.get_id()) is None
    users.set_active(loket_for(engine), admin, who.id, False)  # again: no second audit row
    users.set_active(loket, admin, who.id, True)
    assert login(engine, INTAKE, PASSWORD) == "ok"
    assert [action for action, *_ in audit(engine, who.id)] == ["deactivated", "reactivated"]


def test_a_beheerder_cannot_switch_off_or_reset_their_own_account(engine: Engine, admin: Principal) -> None:
    with pytest.raises(NotAllowedHere, match="deactivate_self"):
        users.set_active(loket_for(engine), admin, admin.id, False)
    with pytest.raises(NotAllowedHere, match="reset_self"):
        users.reset_password(loket_for(engine), admin, admin.id, ONE_TIME)
    assert user_row(engine, admin.id)[1] is True
    assert audit(engine, admin.id) == []


def test_the_open_tasks_of_a_user_are_counted(engine: Engine) -> None:
    case = assessed_case(engine)  # the advice task is assigned to the guide; the assessments were the teams'
    assert len(case.tasks()) == 1
    with engine.db.transaction() as session:
        guide = session.scalar(select(StaffUser).where(StaffUser.email == GUIDE))
        intake = session.scalar(select(StaffUser).where(StaffUser.email == INTAKE))
        assert guide is not None and intake is not None
        assert users.open_task_count(session, guide) == 1
        assert users.open_task_count(session, intake) == 0


# one-time passwords -------------------------------------------------------------------------
def test_a_reset_sets_a_one_time_password_ends_sessions_and_lifts_the_throttle(loket: Loket, engine: Engine,
                                                                               admin: Principal) -> None:
    who = principal(engine, INTAKE)
    for _ in range(5):
        login(engine, INTAKE, "fout")
    assert login(engine, INTAKE, PASSWORD) == "throttled"
    users.reset_password(loket_for(engine), admin, who.id, ONE_TIME)
    assert load_principal(loket_for(engine), who.get_id()) is None
    assert login(engine, INTAKE, PASSWORD) == "wrong"
    result = authenticate(loket, INTAKE, ONE_TIME)
    assert result.principal is not None and result.principal.must_change_password
    assert audit(engine, who.id) == [("password_reset", BEHEER, {})]


def test_a_weak_one_time_password_is_refused(engine: Engine, admin: Principal) -> None:
    who = principal(engine, INTAKE)
    assert problems_of(engine, lambda s: users.reset_password(s, admin, who.id, "ilse.dewit-2025")) == {
        "password": "password_personal"}
    assert login(engine, INTAKE, PASSWORD) == "ok"


# changing one's own password ------------------------------------------------------------------
@pytest.mark.parametrize(("current", "new", "repeat", "expected"), [
    ("fout-wachtwoord", NEW, NEW, {"current": "password_wrong"}),
    ("", NEW, NEW, {"current": "current_missing"}),
    (PASSWORD, "kort", "kort", {"new": "password_short"}),
    (PASSWORD, PASSWORD, PASSWORD, {"new": "password_same"}),
    (PASSWORD, NEW, NEW + "x", {"repeat": "password_mismatch"}),
    ("fout-wachtwoord", "kort", "", {"current": "password_wrong", "new": "password_short"}),
])
def test_changing_ones_own_password_checks_everything(engine: Engine, current: str, new: str, repeat: str,
                                                      expected: dict[str, str]) -> None:
    who = principal(engine, INTAKE)
    assert problems_of(engine, lambda s: change_own_password(s, who, current, new, repeat)) == expected
    assert login(engine, INTAKE, PASSWORD) == "ok"
    assert audit(engine, who.id) == []
