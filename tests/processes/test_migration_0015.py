"""Migration 0015: finished cases stored before the final form (engine.final_state) get it, and
their sent mails keep only who got which mail; a running case keeps everything, and what the
migration writes is what the engine writes for a case that ends now."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

import engine.jobs
import engine.step_writer
from engine.compression import decompress
from engine.mail import Mail
from engine.serialization import StateSerializer
from engine.service import Engine
from engine.tables import Job, ProcessInstance
from processes.schema import upgrade_database
from tests.factories import create_deployed_engine, create_instance
from tests.processes.migration_factories import database_at


class KeptMail:
    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0014(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_at(request, tmp_path, "0014")


def _engine(url: str, tmp_path: Path) -> Engine:
    templates = tmp_path / "mail"
    templates.mkdir(exist_ok=True)
    (templates / "status_gewijzigd.nl.txt").write_text("Onderwerp: {{ case_ref }}\n\nNieuwe stand.\n",
                                                       encoding="utf-8")
    return create_deployed_engine(url, "simple.bpmn", mailer=KeptMail(), mail_templates=templates)


def _stored(engine: Engine, instance_id: int) -> tuple[dict[str, object], list[dict[str, object]]]:
    with engine.db.reading() as session:
        row = session.get(ProcessInstance, instance_id)
        assert row is not None
        mails = [dict(job.payload) for job in session.scalars(select(Job).where(Job.instance_id == instance_id,
                                                                              Job.kind == "mail").order_by(Job.id))]
        return json.loads(decompress(row.workflow_state)), mails


def _finish(engine: Engine) -> int:
    info = create_instance(engine, email="bewoner@example.nl")
    [task] = engine.open_tasks(instance_id=info.id)
    engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="anna@gemeente.nl")
    engine.run_due_jobs()
    return int(info.id)


def test_finished_cases_get_their_final_form_and_running_ones_keep_everything(
    url_at_0014: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as before:  # stored as this version's engine did before the final form
        before.setattr(StateSerializer, "dumps", lambda self, workflow, case_data=None: self.dumps_full(workflow))
        before.setattr(engine.jobs, "sent_mail_payload", dict)
        before.setattr(engine.step_writer, "trim_sent_mails_sql",
                       lambda sqlite: "UPDATE job SET state = state WHERE instance_id = ? AND 1 = 0")
        old = _engine(url_at_0014, tmp_path)
        finished = _finish(old)
        running = create_instance(old, email="buur@example.nl").id
        old.run_due_jobs()
        old.db.dispose()
    now = _engine(url_at_0014, tmp_path)  # the same case, finished by the engine as it is now
    expected = _finish(now)
    running_before = _stored(now, running)
    assert _stored(now, finished)[0]["format"] == "loket-1"
    assert all("context" in mail for mail in _stored(now, finished)[1])
    now.db.dispose()

    upgrade_database(url_at_0014)

    after = _engine(url_at_0014, tmp_path)
    assert _stored(after, finished) == _stored(after, expected)
    state, mails = _stored(after, finished)
    assert state == {"format": "loket-final-1", "process": "eenvoudig_test", "success": True, "last": "End"}
    assert mails == [{"template": "status_gewijzigd", "to": "bewoner@example.nl", "lang": "nl"}] * 2
    assert _stored(after, running) == running_before
    after.db.dispose()
