"""Registering on behalf of a caller, and the demo accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db import Database
from engine.service import Engine
from engine.tables import AuditEvent, Job
from processes.accounts import authenticate
from processes.demo.staff import ACCOUNTS, DEMO_PASSWORD, demo_password, load_staff
from processes.errors import InvalidInput
from processes.intake import SubmissionRejected, register_on_behalf
from processes.loket import Loket, build_loket
from processes.tables.staff import StaffUser
from tests.processes.factories import intake_data
from tests.web.staff.support import KCC


def test_register_on_behalf_records_channel_and_employee(loket: Loket, engine: Engine) -> None:
    data = intake_data(kanaal="online", email="beller@example.nl", titel="Buurtbankje")
    info = register_on_behalf(loket, data, channel="telefoon", actor=KCC)
    assert info.data["kanaal"] == "telefoon"
    assert info.case_ref.startswith("INI-")
    with engine.db.transaction() as session:
        started = session.scalar(select(AuditEvent).where(AuditEvent.instance_id == info.id,
                                                          AuditEvent.kind == "started"))
        assert started is not None and started.actor == KCC
        mails = session.scalars(select(Job).where(Job.instance_id == info.id, Job.kind == "mail")).all()
    templates = {mail.payload["template"] for mail in mails}
    assert "bevestiging" in templates
    assert {mail.payload["to"] for mail in mails} == {"beller@example.nl"}


def test_register_on_behalf_refuses_other_channels_and_bad_answers(loket: Loket, engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="unknown_channel"):
        register_on_behalf(loket, intake_data(), channel="online", actor=KCC)
    with pytest.raises(SubmissionRejected) as caught:
        register_on_behalf(loket, intake_data(email=""), channel="balie", actor=KCC)
    assert [error.field for error in caught.value.errors] == ["email"]


def test_demo_accounts_cover_every_role_and_load_once(tmp_path: object, prepared_sqlite: object) -> None:
    import shutil
    from pathlib import Path

    path = Path(str(tmp_path)) / "demo.sqlite3"
    shutil.copy(str(prepared_sqlite), path)
    database = Database(f"sqlite:///{path}")
    with database.transaction() as session:
        first = load_staff(session)
    with database.transaction() as session:
        second = load_staff(session)
        users = session.scalars(select(StaffUser)).all()
        roles = {role.role for user in users for role in user.roles}
        groups = {m.team_code for user in users for m in user.memberships}
    database.dispose()
    loket = build_loket(f"sqlite:///{path}")
    result = authenticate(loket, "ilse.dewit@gemeente.example", DEMO_PASSWORD)
    loket.engine.db.dispose()
    assert len(first.added) == len(ACCOUNTS) == len(users) and second.added == []
    assert roles == {"intake", "begeleider", "team-groen", "regiegroep", "fondsbeheerder", "specialist", "kcc",
                     "procesbeheerder", "beheerder", "privacyfunctionaris"}
    assert {"initiatieventeam", "team-groen", "regiegroep-oost", "regiegroep-west", "regiegroep-centrum",
            "fondsbeheer", "team-vergunningen", "team-vastgoed", "team-subsidies", "team-participatie"} == groups
    assert result.outcome == "ok"
    assert DEMO_PASSWORD in first.describe() and "ilse.dewit@gemeente.example" in first.describe()
    assert second.describe() == "Demo-accounts medewerkers waren er al."


def test_the_demo_password_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo_password() == DEMO_PASSWORD
    monkeypatch.setenv("LOKET_DEMO_PASSWORD", "eigen-demo-wachtwoord")
    assert demo_password() == "eigen-demo-wachtwoord"
