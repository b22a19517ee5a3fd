"""Service tasks run inline: a task whose handler only touches the database (registered with
``database_only=True``) runs in the transaction of the step that made it due, instead of as a
job of its own (one claim and one more step transaction saved per task). What it writes and the
mail it queues are committed with the step, or not at all.

Should such a handler fail, :class:`engine.incidents.InlineServiceFailed` undoes the whole step
and the engine takes it again without running anything inline: the task then becomes a job, with
the retries and the incident it always had."""

from __future__ import annotations

from SpiffWorkflow.task import Task
from sqlalchemy.orm import Session

from engine import clock
from engine.handlers import HandlerContext, HandlerRegistry
from engine.incidents import InlineServiceFailed
from engine.instance_store import InstanceRow
from engine.job_rows import mail_job
from engine.scripting import end_service_call, service_call
from engine.step_writer import StepContext, StepRecord
from engine.task_tree import InlineService


class _StepHandlerContext(HandlerContext):
    """The handler's context, whose session (and on PostgreSQL the step's BEGIN with it) is only
    made when the handler asks for it: a handler that only queues mail costs no round trip."""

    step: StepContext | None = None

    @property
    def session(self) -> Session:
        assert self.step is not None
        return self.step.session

    @session.setter
    def session(self, value: Session | None) -> None:
        """Given by the dataclass's ``__init__``; the step's own session is used."""


def inline_runner(handlers: HandlerRegistry, context: StepContext, row: InstanceRow,
                  record: StepRecord) -> InlineService:
    """Runs a READY service task inline when its handler is database-only (True when it ran)."""

    def run(task: Task) -> bool:
        name = getattr(task.task_spec, "operation_name", None)
        if not name or not handlers.database_only(str(name)):
            return False
        handler_ctx = _StepHandlerContext(session=None, instance_id=row.id,  # type: ignore[arg-type]
                                          case_ref=row.case_ref, data=dict(task.data), now=clock.now())
        handler_ctx.step = context
        token = service_call(handlers, handler_ctx)
        try:
            task.run()
        except Exception as error:
            raise InlineServiceFailed(f"{name}: {error}") from error
        finally:
            end_service_call(token)
        record.audit(row.id, "service", task=task, actor="systeem")
        for mail in handler_ctx.outbox:
            record.jobs.append(mail_job(row.id, template=mail["template"], to=mail["to"],
                                        context=mail["context"], lang=mail["lang"]))
        return True

    return run
