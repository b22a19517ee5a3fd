"""The raw side of ``loket bench case``: a whole case run by plain in-memory SpiffWorkflow on the
parsed specs the engine itself uses, with the same answers per task and service tasks run
inline (by a stand-in the caller gives) — nothing stored, no jobs, no task list, no audit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from engine import clock
from engine.bench import DEFAULT_POSTGRES
from engine.bench import _fresh_postgres as fresh_postgres
from engine.bench import _median_ms as median_ms
from engine.bench import _value_size as value_size
from engine.handlers import HandlerContext
from engine.scenarios import ServiceAnswer, Step, _Answers, _Every
from engine.scripting import end_service_call, make_engine_script_engine, service_call
from engine.task_tree import is_service, run_to_wait_state
from engine.workflow_cache import Specs

__all__ = ["DEFAULT_POSTGRES", "RawCase", "RawOutcome", "fresh_postgres", "median_ms", "value_size"]


@dataclass(frozen=True)
class RawOutcome:
    completed: bool
    human_steps: int
    service_tasks: int
    data: dict[str, Any]


class RawCase:
    """Runs one path of a process in memory: start data, then tasks and messages, as steps."""

    def __init__(self, specs: Specs, answer: ServiceAnswer) -> None:
        self.spec, self.subs = specs
        self.script_engine = make_engine_script_engine()
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._registry = _Answers(answer, self._calls)

    def run(self, start_data: dict[str, Any], steps: Sequence[Step]) -> RawOutcome:
        context = HandlerContext(session=None, instance_id=0, case_ref="RAW-1", data={},  # type: ignore[arg-type]
                                 now=clock.now())
        token = service_call(self._registry, context)
        try:
            workflow = BpmnWorkflow(self.spec, self.subs, script_engine=self.script_engine)
            workflow.task_tree.data.update(start_data)
            services = self._settle(workflow)
            for step in steps:
                _take(workflow, step)
                services += self._settle(workflow)
        finally:
            end_service_call(token)
            self._calls.clear()
        humans = sum(1 for step in steps if step.task)
        return RawOutcome(workflow.is_completed(), humans, services, dict(workflow.data or {}))

    @staticmethod
    def _settle(workflow: BpmnWorkflow) -> int:
        return sum(1 for task in run_to_wait_state(workflow, _Every()).ran if is_service(task))


def _take(workflow: BpmnWorkflow, step: Step) -> None:
    if step.task:
        task = next(task for task in workflow.get_tasks(state=TaskState.READY, manual=True)
                    if (task.task_spec.bpmn_id or task.task_spec.name) == step.task)
        task.set_data(**dict(step.data))
        task.run()
        return
    if step.message:
        for waiting in workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(waiting.task_spec, "event_definition", None)
            if isinstance(definition, MessageEventDefinition) and definition.name == step.message:
                workflow.send_event(BpmnEvent(definition, payload=dict(step.data)))
                return
        raise LookupError(f"the raw case does not wait for message {step.message!r}")
    raise ValueError("the case bench takes tasks and messages only (no time passing)")
