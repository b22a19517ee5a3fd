"""``loket demo`` loads a realistic set once, through the real diagrams."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from engine.models import OpenTask, ProcessInstance
from web import engine_of
from web.demo import load_demo


def test_demo_loads_cases_in_many_states_once(app: Flask) -> None:
    engine = engine_of(app)
    assert load_demo(engine) is True
    with engine.db.transaction() as session:
        count = session.scalar(select(func.count()).select_from(ProcessInstance))
        groups = Counter(session.scalars(select(OpenTask.candidate_group)).all())
        incidents = session.scalar(select(func.count()).where(ProcessInstance.has_incident.is_(True)))
    assert count == 24
    assert incidents == 0
    assert {"initiatieventeam", "team-groen", "initiatiefnemer"} <= set(groups)
    assert any(group.startswith("regiegroep-") for group in groups)

    assert load_demo(engine) is False
    with engine.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 24
