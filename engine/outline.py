"""A deployed process in outline, as plain data: its start events, user tasks and the elements
that wait for a message, in flow order, each with its loket properties and the timers attached
to it. The public pages read the procedure and the service norms from this, and the start form
is the one the start event names: edit the diagram, deploy, and the pages follow."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask

START, USER_TASK, MESSAGE_WAIT = "start", "user_task", "message_wait"


@dataclass(frozen=True)
class AttachedTimer:
    """A timer boundary event: its expression (``werkdagen(10)``, ``"P6W"``), whether it
    interrupts the task, and its properties (``overdue`` marks the service norm)."""

    expression: str
    interrupting: bool
    properties: dict[str, str]


@dataclass(frozen=True)
class OutlineElement:
    bpmn_id: str
    name: str
    kind: str  # START | USER_TASK | MESSAGE_WAIT
    properties: dict[str, str]
    timers: tuple[AttachedTimer, ...]


@dataclass(frozen=True)
class ProcessOutline:
    process_id: str
    version_no: int
    elements: tuple[OutlineElement, ...]

    def of_kind(self, kind: str) -> list[OutlineElement]:
        return [element for element in self.elements if element.kind == kind]

    @property
    def start_form(self) -> str | None:
        """The form of the first start event that names one (property ``formId``)."""
        return next((form for element in self.of_kind(START) if (form := element.properties.get("formId"))), None)


def _properties(spec: Any) -> dict[str, str]:
    props = (getattr(spec, "extensions", None) or {}).get("properties") or {}
    return {str(key): str(value) for key, value in props.items()} if isinstance(props, dict) else {}


def _in_flow_order(process: BpmnProcessSpec) -> list[Any]:
    seen: set[str] = set()
    ordered: list[Any] = []
    queue: deque[Any] = deque([process.start])
    while queue:
        spec = queue.popleft()
        if spec.name in seen:
            continue
        seen.add(spec.name)
        ordered.append(spec)
        queue.extend(spec.outputs)
    return ordered


def _timers_on(spec: Any) -> tuple[AttachedTimer, ...]:
    """Timer boundary events attached to ``spec`` (SpiffWorkflow puts them beside the task,
    under a shared split)."""
    timers = []
    for split in spec.inputs:
        for sibling in split.outputs:
            definition = getattr(sibling, "event_definition", None)
            if (sibling is not spec and isinstance(sibling, CatchingEvent)
                    and isinstance(definition, TimerEventDefinition) and hasattr(sibling, "cancel_activity")):
                timers.append(AttachedTimer(str(definition.expression), bool(sibling.cancel_activity),
                                            _properties(sibling)))
    return tuple(timers)


def _kind(spec: Any) -> str | None:
    if isinstance(spec, StartEvent):
        return START
    if isinstance(spec, UserTask):
        return USER_TASK
    if isinstance(getattr(spec, "event_definition", None), MessageEventDefinition) and not isinstance(spec, StartEvent):
        return MESSAGE_WAIT
    return None


def outline_of(process: BpmnProcessSpec, version_no: int) -> ProcessOutline:
    elements = []
    for spec in _in_flow_order(process):
        kind = _kind(spec)
        if kind is not None:
            elements.append(OutlineElement(str(spec.bpmn_id or spec.name), str(spec.bpmn_name or spec.bpmn_id or ""),
                                           kind, _properties(spec), _timers_on(spec)))
    return ProcessOutline(str(process.name), version_no, tuple(elements))
