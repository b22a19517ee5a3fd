"""Claim, release and hand over: a guarded update of the task projection with an audit event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import set_task_assignee
from engine.errors import ConcurrentUpdate, TaskAlreadyCompleted
from engine.service import Engine
from engine.tables import AuditEvent, OpenTask
from processes import assignment
from processes.errors import AccessDenied, InvalidInput, NotAllowedHere, TaskGone
from processes.loket import Loket
from processes.tables.staff import StaffUser
from tests.web.staff.support import (
    ACCEPT,
    GROEN,
    GUIDE,
    INTAKE,
    INTAKE_2,
    KCC,
    assessed_case,
    principal,
    start,
)


def events(engine: Engine, instance_id: int, kind: str) -> list[AuditEvent]:
    with engine.db.transaction() as session:
        query = select(AuditEvent).where(AuditEvent.instance_id == instance_id, AuditEvent.kind == kind)
        return list(session.scalars(query.order_by(AuditEvent.id)).all())


def assignee(engine: Engine, task_id: str) -> str | None:
    with engine.db.transaction() as session:
        return session.scalar(select(OpenTask.assignee).where(OpenTask.task_id == task_id))


def user_id(engine: Engine, email: str) -> int:
    with engine.db.transaction() as session:
        found = session.scalar(select(StaffUser.id).where(StaffUser.email == email))
        assert found is not None
        return found


def test_claim_and_release_write_the_assignee_and_an_audit_event(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task = case.task("categorie_bevestigen")
    assignment.claim(loket, principal(engine, INTAKE), task.task_id)
    assert assignee(engine, task.task_id) == INTAKE
    claimed = events(engine, case.id, "task_claimed")
    assert [(e.actor, e.task_id, e.detail) for e in claimed] == [
        (INTAKE, task.task_id, {"van": None, "naar": INTAKE})]
    assignment.release(loket, principal(engine, INTAKE), task.task_id)
    assert assignee(engine, task.task_id) is None
    assert events(engine, case.id, "task_released")[0].detail == {"van": INTAKE, "naar": None}


def test_claiming_twice_changes_nothing(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task = case.task("categorie_bevestigen")
    for _ in range(2):
        assignment.claim(loket, principal(engine, INTAKE), task.task_id)
    assert len(events(engine, case.id, "task_claimed")) == 1


def test_a_colleague_can_take_over_and_the_trail_shows_it(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task = case.task("categorie_bevestigen")
    assignment.claim(loket, principal(engine, INTAKE), task.task_id)
    assignment.claim(loket, principal(engine, INTAKE_2), task.task_id)
    assert assignee(engine, task.task_id) == INTAKE_2
    assert events(engine, case.id, "task_claimed")[-1].detail == {"van": INTAKE, "naar": INTAKE_2}


def test_a_stale_claim_is_refused_not_overwritten(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    with engine.db.transaction() as session:
        seen = assignment.open_task(session, task_id)  # what this user saw: a free task
    assignment.claim(loket, principal(engine, INTAKE_2), task_id)
    with engine.db.transaction() as session, pytest.raises(ConcurrentUpdate):
        set_task_assignee(session, seen, INTAKE, actor=INTAKE, kind="task_claimed")
    assert assignee(engine, task_id) == INTAKE_2


def test_hand_over_only_to_an_active_colleague_of_the_team(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task = case.task("categorie_bevestigen")
    name = assignment.hand_over(loket, principal(engine, INTAKE), task.task_id, user_id(engine, INTAKE_2))
    assert name == "Karim Bouzid"
    assert assignee(engine, task.task_id) == INTAKE_2
    assert events(engine, case.id, "task_handed_over")[0].detail == {"van": None, "naar": INTAKE_2,
                                                                     "naam": "Karim Bouzid"}
    for email in (GROEN, KCC):
        with pytest.raises(NotAllowedHere, match="colleague_not_in_team"):
            assignment.hand_over(loket, principal(engine, INTAKE), task.task_id, user_id(engine, email))
    with pytest.raises(InvalidInput, match="unknown_colleague"):
        assignment.hand_over(loket, principal(engine, INTAKE), task.task_id, 99999)


def test_other_teams_cannot_claim_release_or_hand_over(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task = case.task("categorie_bevestigen")
    for email in (GROEN, KCC, GUIDE):
        with pytest.raises(AccessDenied):
            assignment.claim(loket, principal(engine, email), task.task_id)
        with pytest.raises(AccessDenied):
            assignment.hand_over(loket, principal(engine, email), task.task_id, user_id(engine, INTAKE_2))
    assert assignee(engine, task.task_id) is None
    assert events(engine, case.id, "task_claimed") == []


def test_the_team_can_take_back_a_guide_task(loket: Loket, engine: Engine) -> None:
    case = assessed_case(engine)
    task = case.task("advies_besluit")
    assert task.assignee == GUIDE
    assignment.release(loket, principal(engine, INTAKE), task.task_id)
    assert assignee(engine, task.task_id) is None
    # The guide is no longer the assignee nor in the team: it is not theirs any more.
    with pytest.raises(AccessDenied):
        assignment.claim(loket, principal(engine, GUIDE), task.task_id)


def test_a_completed_task_says_who_completed_it(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE_2)
    with pytest.raises(TaskAlreadyCompleted) as caught:
        assignment.claim(loket, principal(engine, INTAKE), task_id)
    assert caught.value.completed_by == INTAKE_2
    with pytest.raises(TaskGone):
        assignment.claim(loket, principal(engine, INTAKE), "00000000-0000-0000-0000-000000000000")
