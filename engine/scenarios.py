"""Run a bundle's process in memory, as a scenario says: start answers, then tasks completed with
answers, messages delivered and time passing — with no case, no mail and no database row. What
service tasks give back comes from the caller (the scenario, or a handler's stand-in), so a
scenario also runs against a draft that is not deployed.

The run is the engine's own: the same parser, script engine, sandbox and stepping as a case,
with a clock of its own (:func:`engine.clock.own_clock`), so other requests keep the real time."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine import calendar, clock
from engine.bundle import model_files
from engine.handlers import Handler, HandlerContext, HandlerRegistry
from engine.incidents import run_until_stopped
from engine.outline import outline_of
from engine.parsing import ModelParseError, load_parser
from engine.plaindata import jsonable
from engine.scripting import end_service_call, make_engine_script_engine, service_call
from engine.task_tree import is_service, properties

MAX_WAIT_DAYS = 400
"""The longest a scenario may let time pass in one step (days)."""


@dataclass(frozen=True)
class Step:
    """One thing that happens: a human task completed with answers (``task``: its element id),
    a message delivered (``message``: its name) or time passing (``days``, ``working_days``)."""

    task: str | None = None
    message: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    days: int = 0
    working_days: int = 0


ServiceAnswer = Callable[[str, dict[str, Any], dict[str, Any]], Any]
"""(handler name, parameters, case data) → what the service task gives back."""
FormCheck = Callable[[str, dict[str, Any]], list[str]]
"""(form id, answers) → what is wrong with the answers for that form (empty: nothing)."""


@dataclass(frozen=True)
class OpenTask:
    """A human task the run waits at: its element id, its name and the form it shows."""

    element: str
    name: str
    form: str | None


@dataclass
class Trace:
    """What happened, in order, and where the run stopped."""

    path: list[str] = field(default_factory=list)
    """The human tasks completed (element ids)."""
    services: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """(element id, handler, parameters) of every service task run."""
    data: dict[str, Any] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)
    """At the end: the human tasks open (element ids) and the messages awaited (``bericht:<name>``)."""
    ended_at: str | None = None
    """The end event the process finished at (None while it runs on)."""
    open_tasks: list[OpenTask] = field(default_factory=list)
    """At the end: the human tasks open, with their names and forms (to walk on by hand)."""
    start_form: str | None = None
    """The form the start event shows (``formId``)."""
    steps_done: int = 0
    problem: str | None = None
    """Why the run stopped before its last step (in Dutch)."""


class _Answers(HandlerRegistry):
    """Every handler name answers, with what the scenario says; calls are written down."""

    def __init__(self, answer: ServiceAnswer, calls: list[tuple[str, dict[str, Any]]]) -> None:
        super().__init__()
        self._answer, self._calls = answer, calls

    def get(self, name: str) -> Handler | None:
        def handler(ctx: HandlerContext, params: dict[str, Any]) -> Any:
            self._calls.append((name, dict(params)))
            return jsonable(self._answer(name, dict(params), dict(ctx.data)))

        return handler

    def __contains__(self, name: object) -> bool:
        return True


class _Every(set[Any]):
    """Every service task may run (in a case they run as jobs, one by one)."""

    def __contains__(self, item: object) -> bool:
        return True

    def __bool__(self) -> bool:
        return True


_SPECS_LIMIT = 16
_parsed_specs: OrderedDict[tuple[str, str], tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]] = OrderedDict()
_specs_lock = threading.Lock()


def _specs(files: Mapping[str, bytes], process_id: str) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
    """The parsed process and its subprocesses, kept by the models' content: a scenario page
    runs the same draft again at every step, and specs are only read by the workflows."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    key = (digest.hexdigest(), process_id)
    with _specs_lock:
        found = _parsed_specs.get(key)
    if found is None:
        parser = load_parser(files)
        found = (parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
        with _specs_lock:
            _parsed_specs[key] = found
            while len(_parsed_specs) > _SPECS_LIMIT:
                _parsed_specs.popitem(last=False)
    return found


def run_scenario(files: Mapping[str, bytes], process_id: str, start_data: Mapping[str, Any],
                 steps: Sequence[Step], answer: ServiceAnswer, *, start: datetime,
                 check: FormCheck | None = None) -> Trace:
    """Start ``process_id`` of the bundle ``files`` with ``start_data`` and take the steps. With
    ``check``, the start answers and every task's answers must satisfy the form it shows."""
    trace = Trace()
    try:
        spec, subprocesses = _specs(model_files(files), process_id)
    except (ModelParseError, KeyError, ValueError) as error:
        trace.problem = f"De modellen kunnen niet worden gelezen: {str(error).splitlines()[0]}"
        return trace
    trace.start_form = outline_of(spec, 0).start_form
    calls: list[tuple[str, dict[str, Any]]] = []
    context = HandlerContext(session=cast(Any, None), instance_id=0, case_ref="PROEF-1", data={}, now=start)
    token = service_call(_Answers(answer, calls), context)
    try:
        with clock.own_clock(start) as current:
            workflow = BpmnWorkflow(spec, subprocesses, script_engine=make_engine_script_engine())
            workflow.task_tree.data.update(jsonable(dict(start_data)))
            starts = workflow.get_tasks(state=TaskState.READY)
            fits = not starts or _answers_fit(check, starts[0], dict(start_data), trace)
            if fits and _settle(workflow, trace, calls):
                for step in steps:
                    if not _take(workflow, step, trace, calls, current, check):
                        break
                    trace.steps_done += 1
            _finish(workflow, trace)
    finally:
        end_service_call(token)
    return trace


def _settle(workflow: BpmnWorkflow, trace: Trace, calls: list[tuple[str, dict[str, Any]]]) -> bool:
    """Run to the next wait state; False (with the problem) when the model fails."""
    log, failure = run_until_stopped(workflow, _Every())
    services = [task for task in log.ran if is_service(task)]
    for task, (handler, params) in zip(services, calls, strict=False):
        trace.services.append((_element(task), handler, params))
    calls.clear()
    if failure is not None:
        trace.problem = failure.message
        return False
    return True


def _take(workflow: BpmnWorkflow, step: Step, trace: Trace, calls: list[tuple[str, dict[str, Any]]],
          current: list[datetime], check: FormCheck | None) -> bool:
    if step.task:
        task = next((task for task in _open_tasks(workflow) if _element(task) == step.task), None)
        if task is None:
            trace.problem = f"De taak '{step.task}' is niet aan de beurt; het proces wacht op: {_waits(workflow)}."
            return False
        if not _answers_fit(check, task, dict(step.data), trace):
            return False
        task.set_data(**jsonable(dict(step.data)))
        task.run()
        trace.path.append(step.task)
        return _settle(workflow, trace, calls)
    if step.message:
        definition = next((definition for definition in map(_message_of, _waiting_events(workflow))
                           if definition is not None and definition.name == step.message), None)
        if definition is None:
            trace.problem = (f"Het proces wacht niet op het bericht '{step.message}'; "
                             f"het wacht op: {_waits(workflow)}.")
            return False
        workflow.send_event(BpmnEvent(definition, payload=jsonable(dict(step.data))))
        return _settle(workflow, trace, calls)
    return _wait(workflow, step, trace, calls, current)


def _wait(workflow: BpmnWorkflow, step: Step, trace: Trace, calls: list[tuple[str, dict[str, Any]]],
          current: list[datetime]) -> bool:
    """Let time pass a day at a time, so timers fire in the order they would."""
    end = current[0] + timedelta(days=step.days)
    if step.working_days:
        end = calendar.add_working_days(end, step.working_days)
    if end - current[0] > timedelta(days=MAX_WAIT_DAYS):
        trace.problem = f"Een scenario kan hoogstens {MAX_WAIT_DAYS} dagen in één keer laten verstrijken."
        return False
    while current[0] < end:
        current[0] = min(current[0] + timedelta(days=1), end)
        workflow.refresh_timers()
        if not _settle(workflow, trace, calls):
            return False
    return True


def _finish(workflow: BpmnWorkflow, trace: Trace) -> None:
    trace.data = dict(workflow.data or {})
    if workflow.is_completed():
        ends = [task for task in workflow.get_tasks(state=TaskState.COMPLETED)
                if isinstance(task.task_spec, EndEvent) and task.workflow is workflow]
        trace.data = dict(ends[-1].data) if ends else trace.data
        trace.ended_at = _element(ends[-1]) if ends else None
    else:
        if not trace.data:
            trace.data = dict(workflow.task_tree.data)
        open_tasks = _open_tasks(workflow)
        if open_tasks:
            trace.data = {**trace.data, **open_tasks[-1].data}
    trace.waiting = _waiting_list(workflow)
    trace.open_tasks = [OpenTask(_element(task), str(getattr(task.task_spec, "bpmn_name", None) or _element(task)),
                                 str(properties(task).get("formId") or "") or None) for task in _open_tasks(workflow)]


def _answers_fit(check: FormCheck | None, task: Task, answers: dict[str, Any], trace: Trace) -> bool:
    form_id = properties(task).get("formId")
    problems = check(str(form_id), answers) if check is not None and form_id else []
    if problems:
        trace.problem = f"De antwoorden bij '{_element(task)}' passen niet bij het formulier {form_id}: " + \
            "; ".join(problems[:3])
    return not problems


def _element(task: Task) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def _open_tasks(workflow: BpmnWorkflow) -> list[Task]:
    return list(workflow.get_tasks(state=TaskState.READY, manual=True))


def _waiting_events(workflow: BpmnWorkflow) -> list[Task]:
    return list(workflow.get_tasks(state=TaskState.WAITING))


def _message_of(task: Task) -> MessageEventDefinition | None:
    definition = getattr(task.task_spec, "event_definition", None)
    return definition if isinstance(definition, MessageEventDefinition) else None


def _waiting_list(workflow: BpmnWorkflow) -> list[str]:
    messages = [f"bericht:{definition.name}" for definition in map(_message_of, _waiting_events(workflow))
                if definition is not None]
    return [*(_element(task) for task in _open_tasks(workflow)), *messages]


def _waits(workflow: BpmnWorkflow) -> str:
    return ", ".join(_waiting_list(workflow)) or ("niets: het is klaar" if workflow.is_completed() else "niets")
