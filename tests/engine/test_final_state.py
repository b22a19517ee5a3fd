"""A finished instance keeps only its final form (engine.final_state): small, without the task
tree; whatever still asks for the workflow of a finished case gets a clear "it does not run any
more" (FinishedCase) instead of a crash, and a stale completion still says who completed it.
Sent mails of a finished case keep who got which mail, not the text's context."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engine import FINAL_FORMAT, CannotMove, FinishedCase, NotFound, open_parts
from engine.compression import decompress
from engine.errors import TaskAlreadyCompleted
from engine.mail import Mail
from engine.redaction import redacted_state
from engine.service import Engine
from engine.tables import Job, ProcessInstance
from tests.factories import create_deployed_engine, create_engine, create_instance, json_keys

MakeEngine = Callable[..., Engine]


class KeptMail:
    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


@pytest.fixture
def make_engine(database_url: str, tmp_path: Path) -> Iterator[MakeEngine]:
    templates = tmp_path / "mail"
    templates.mkdir()
    (templates / "status_gewijzigd.nl.txt").write_text("Onderwerp: {{ case_ref }}\n\nNieuwe stand.\n",
                                                       encoding="utf-8")
    made: list[Engine] = []

    def make(*files: str, **kwargs: Any) -> Engine:
        kwargs.setdefault("mailer", KeptMail())
        kwargs.setdefault("mail_templates", templates)
        engine = (create_deployed_engine(database_url, *files, **kwargs) if files
                  else create_engine(database_url, **kwargs))
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.db.dispose()


def blob_of(engine: Engine, instance_id: int) -> bytes:
    with engine.db.transaction() as session:
        blob = session.scalar(select(ProcessInstance.workflow_state).where(ProcessInstance.id == instance_id))
    assert blob is not None
    return bytes(blob)


def finished_case(engine: Engine) -> tuple[int, str]:
    """A simple case completed by a colleague: (instance id, id of the task she completed)."""
    info = create_instance(engine, email="bewoner@example.nl")
    [task] = engine.open_tasks(instance_id=info.id)
    done = engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="anna@gemeente.nl")
    assert done.state == "completed"
    return info.id, task.task_id


def test_a_finished_instance_stores_only_its_final_form(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine, email="bewoner@example.nl")
    running = blob_of(engine, info.id)
    assert json.loads(decompress(running))["format"] == "loket-1"  # a running case keeps its workflow

    instance_id, _task_id = finished_case(engine)
    blob = blob_of(engine, instance_id)

    final = json.loads(decompress(blob))
    assert final == {"format": FINAL_FORMAT, "process": "eenvoudig_test", "success": True, "last": "End"}
    assert len(blob) < 120 < len(running)
    assert "tasks" not in set(json_keys(final))
    assert engine.instance(instance_id).data["akkoord"] is True  # the answers live in the case data


def test_a_stale_completion_of_a_finished_case_still_names_who_completed_it(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    instance_id, task_id = finished_case(engine)
    other = make_engine()  # another process: nothing cached, it reads the final form

    with pytest.raises(TaskAlreadyCompleted) as caught:
        other.complete_task(instance_id, task_id, {"akkoord": False}, actor="bram@gemeente.nl")

    assert caught.value.completed_by == "anna@gemeente.nl"
    assert caught.value.task_name == "Beoordelen"
    with pytest.raises(FinishedCase, match="loopt niet meer"):
        other.complete_task(instance_id, "00000000-0000-0000-0000-000000000000", {}, actor="bram@gemeente.nl")


def test_whatever_needs_the_workflow_of_a_finished_case_gets_a_clear_answer(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    instance_id, _task_id = finished_case(engine)
    other = make_engine()

    assert other.waiting_messages(instance_id) == []  # what pages ask: it waits for nothing
    assert other.task_deadlines(instance_id, ["x"]) == {}
    for ask in (lambda: other.load_workflow(instance_id),
                lambda: other.deliver_message(instance_id, "antwoord", {}, actor="bewoner@example.nl"),
                lambda: other.cancel(instance_id, actor="beheerder", reason="test")):
        with pytest.raises(NotFound, match="Dit initiatief loopt niet meer."):
            ask()
    parts = open_parts(other, instance_id)  # the consistency check: ended, nothing open
    assert parts.completed and not parts.human_tasks and not parts.service_tasks and parts.next_timer is None


def test_a_cancelled_case_keeps_its_final_form_too(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine, email="bewoner@example.nl")
    [task] = engine.open_tasks(instance_id=info.id)
    assert engine.cancel(info.id, actor="beheerder", reason="dubbel").state == "cancelled"

    final = json.loads(decompress(blob_of(engine, info.id)))
    assert (final["format"], final["success"]) == (FINAL_FORMAT, False)
    with pytest.raises(FinishedCase, match="loopt niet meer"):  # its task was never completed: it is gone
        make_engine().complete_task(info.id, task.task_id, {"akkoord": True}, actor="anna@gemeente.nl")


def test_a_finished_case_cannot_move_to_another_version(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    instance_id, _task_id = finished_case(engine)
    with engine.db.transaction() as session:
        version = session.scalar(select(ProcessInstance.model_version_id).where(ProcessInstance.id == instance_id))
    assert version is not None
    other = make_engine()

    [check] = other.check_moves([instance_id], version)
    assert (check.can_move, check.reason, check.at) == (False, "het initiatief loopt niet meer", ())
    with pytest.raises(CannotMove, match="Dit initiatief loopt niet meer."):
        other.move_case(instance_id, version, actor="procesbeheerder")


def test_the_final_form_can_be_redacted(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    instance_id, _task_id = finished_case(engine)
    blob = blob_of(engine, instance_id)
    assert json.loads(decompress(redacted_state(blob, lambda value: value))) == json.loads(decompress(blob))


def test_sent_mails_of_a_finished_case_keep_who_got_which_mail(make_engine: MakeEngine) -> None:
    engine = make_engine("simple.bpmn")
    info = create_instance(engine, email="bewoner@example.nl")
    engine.run_due_jobs()
    [sent] = engine.outbox(info.id)
    assert sent.state == "done" and sent.payload["context"]["case_ref"] == info.case_ref  # running: all kept

    [task] = engine.open_tasks(instance_id=info.id)
    engine.complete_task(info.id, task.task_id, {"akkoord": True}, actor="anna@gemeente.nl")
    first, last = engine.outbox(info.id)
    assert first.payload == {"template": "status_gewijzigd", "to": "bewoner@example.nl", "lang": "nl"}
    assert last.state == "ready" and "context" in last.payload  # queued by the last step: not sent yet

    engine.run_due_jobs()  # sent after the end: trimmed when it is marked sent
    with engine.db.transaction() as session:
        payloads = [job.payload for job in session.scalars(select(Job).where(Job.instance_id == info.id)
                                                            .order_by(Job.id))]
    assert payloads == [{"template": "status_gewijzigd", "to": "bewoner@example.nl", "lang": "nl"}] * 2
    assert [mail.to for mail in engine.mailer.sent] == ["bewoner@example.nl"] * 2  # type: ignore[union-attr]
