"""``loket demo`` loads a realistic set once, through the real diagrams."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from engine.tables import OpenTask, ProcessInstance
from processes.demo.cases import load_demo
from processes.loket import Loket
from web import engine_of


def test_demo_loads_cases_in_many_states_once(loket: Loket, app: Flask) -> None:
    engine = engine_of(app)
    assert load_demo(loket) is True
    with engine.db.transaction() as session:
        count = session.scalar(select(func.count()).select_from(ProcessInstance))
        groups = Counter(session.scalars(select(OpenTask.candidate_group)).all())
        incidents = session.scalar(select(func.count()).where(ProcessInstance.has_incident.is_(True)))
    assert count == 24
    assert incidents == 0
    assert {"initiatieventeam", "team-groen", "initiatiefnemer"} <= set(groups)
    assert any(group.startswith("regiegroep-") for group in groups)

    assert load_demo(loket) is False
    with engine.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 24


def test_demo_refuses_a_database_with_real_initiatives(loket: Loket, app: Flask) -> None:
    from processes.tables.staff import StaffUser

    engine = engine_of(app)
    from tests.processes.factories import intake_data

    engine.start("initiatief", intake_data(email="echt@example.nl"), actor="echt@example.nl")
    said: list[str] = []
    assert load_demo(loket, report=said.append) is False
    assert "echte initiatieven" in said[0]
    with engine.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(StaffUser)) == 0
