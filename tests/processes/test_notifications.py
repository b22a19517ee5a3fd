"""The staff notifications' queries on SQLite and PostgreSQL: the round announces each new task
once (to its assignee or its team), the daily overview lists what arrived, the answer to a
question returns the task to whoever asked, and old marks are cleaned up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from processes import notifications
from processes.dates import LOCAL_TIME
from processes.demo.staff import load_staff
from processes.housekeeping import worker_rounds
from processes.tables.organisation import Team
from processes.tables.staff import TaskNotice
from processes.taskwork import ask_information
from tests.factories import loket_for
from tests.processes.factories import CollectingMailer, create_loket_engine, wijkwens_data
from tests.web.staff.support import (
    GROEN,
    GUIDE,
    INTAKE_2,
    OOST,
    PASSWORD,
    assessed_case,
    green_case,
    principal,
    start,
)


@pytest.fixture
def engine_and_mail(database_url: str) -> Iterator[tuple[Engine, CollectingMailer]]:
    engine, mailer = create_loket_engine(database_url)
    with engine.db.transaction() as session:
        load_staff(session, password=PASSWORD)
        oost = session.get(Team, "regiegroep-oost")
        assert oost is not None
        oost.notify = "daily"
    yield engine, mailer
    engine.db.dispose()


def _round(engine: Engine) -> None:
    clock.set_time(clock.now() + timedelta(minutes=1))
    loket = loket_for(engine)
    notifications.notify_new_tasks(loket)
    notifications.send_digests(loket)
    engine.run_due_jobs()


def test_tasks_are_announced_once_to_the_assignee_or_the_team(
        engine_and_mail: tuple[Engine, CollectingMailer]) -> None:
    engine, mailer = engine_and_mail
    assessed_case(engine)
    green_case(engine)
    _round(engine)
    _round(engine)
    assert [mail.subject.split(":")[0] for mail in mailer.sent if mail.to == GUIDE] == ["Nieuwe taak voor u"]
    assert [mail.subject.split(":")[0] for mail in mailer.sent if mail.to == GROEN] == ["Nieuw werk voor Team Groen"]


def test_the_overview_and_the_answer_returned(engine_and_mail: tuple[Engine, CollectingMailer]) -> None:
    engine, mailer = engine_and_mail
    clock.set_time(datetime(2027, 3, 1, 6, 0, tzinfo=LOCAL_TIME))
    start(engine, wijkwens_data(wijk="oost"))
    case = start(engine, wijkwens_data(wijk="oost"))
    [task] = [t for t in engine.open_tasks(instance_id=case.id) if t.task_name == "categorie_bevestigen"]
    loket = loket_for(engine)
    ask_information(loket, principal(engine, INTAKE_2), task.task_id, "Waar precies?")
    engine.run_due_jobs()
    engine.deliver_message(case.id, "aanvulling_ontvangen", {"antwoord": "Op het plein."}, actor="initiator")
    assert notifications.answer_returned(loket, case.id) == INTAKE_2
    [returned] = [t for t in engine.open_tasks(instance_id=case.id) if t.task_name == "categorie_bevestigen"]
    assert returned.assignee == INTAKE_2
    clock.set_time(datetime(2027, 3, 1, 7, 30, tzinfo=LOCAL_TIME))
    _round(engine)
    assert [mail.subject for mail in mailer.sent if mail.to == OOST] == []  # both still at the intake
    to_asker = [mail.subject for mail in mailer.sent if mail.to == INTAKE_2]
    assert f"Antwoord op uw vraag bij {case.info.case_ref}" in to_asker
    assert not [subject for subject in to_asker if case.info.case_ref in subject and "Nieuw werk" in subject]
    clock.set_time(datetime(2027, 3, 4, 7, 30, tzinfo=LOCAL_TIME))
    with engine.db.transaction() as session:
        assert notifications.purge_old_notices(session) >= 1
        assert session.scalars(select(TaskNotice)).all() == []


def test_the_workers_round_announces_new_work(engine_and_mail: tuple[Engine, CollectingMailer]) -> None:
    engine, mailer = engine_and_mail
    green_case(engine)
    clock.set_time(clock.now() + timedelta(minutes=1))
    round_ = worker_rounds(loket_for(engine))
    round_()
    round_()
    engine.run_due_jobs()
    assert [mail.to for mail in mailer.sent if mail.subject.startswith("Nieuw werk")] == [GROEN]
