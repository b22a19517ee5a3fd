"""``Engine.start(within=...)``: work that belongs to starting a case shares its transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.service import InstanceInfo
from engine.tables import AuditEvent, Job, OpenTask, ProcessInstance
from tests.factories import create_deployed_engine

DATA = {"team": "groen", "titel": "Geveltuin", "email": "a@example.nl"}


def _count(engine: object, model: type) -> int:
    with engine.db.transaction() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_what_the_hook_writes_is_committed_with_the_case(database_url: str) -> None:
    engine = create_deployed_engine(database_url, "simple.bpmn")
    seen: list[InstanceInfo] = []

    def hook(session: Session, info: InstanceInfo) -> None:
        seen.append(info)
        session.add(AuditEvent(instance_id=info.id, at=info_time(), actor="hook", kind="note", detail={}))

    info = engine.start("eenvoudig_test", DATA, actor="burger", within=hook)
    assert seen and seen[0].case_ref == info.case_ref
    assert [e.kind for e in engine.audit_trail(info.id)].count("note") == 1


def test_a_failing_hook_stores_nothing_at_all(database_url: str) -> None:
    engine = create_deployed_engine(database_url, "simple.bpmn")

    def hook(session: Session, info: InstanceInfo) -> None:
        session.add(AuditEvent(instance_id=info.id, at=info_time(), actor="hook", kind="note", detail={}))
        raise RuntimeError("linking failed")

    with pytest.raises(RuntimeError, match="linking failed"):
        engine.start("eenvoudig_test", DATA, actor="burger", within=hook)
    for model in (ProcessInstance, OpenTask, AuditEvent, Job):
        assert _count(engine, model) == 0, model.__name__
    # and the engine still works afterwards
    assert engine.start("eenvoudig_test", DATA, actor="burger").state == "running"


def info_time():  # type: ignore[no-untyped-def]
    from engine import clock

    return clock.now()
