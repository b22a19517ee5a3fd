"""Procedure and lead times read from the deployed models, for the public pages.

Nothing here is written by hand: the steps are the diagrams' user tasks (in flow order, with
the status text the initiator sees), and each norm is the expression of the timer boundary
event on that task (``werkdagen(10)``, ``dagen(3)``, ``"P6W"``). Edit the diagram, deploy,
and the landing page says the new norm."""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.service import Engine
from engine.tables import ModelVersion

CATEGORY_PROCESSES = ("eenvoudig", "wijkwens", "complex")
INTAKE_PROCESS = "initiatief"
ANSWER_PROCESS = "aanvulling"
_ISO = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?")
_ISO_UNITS = ("jaren", "maanden", "weken", "dagen", "uren", "minuten")


@dataclass(frozen=True)
class Norm:
    """A service norm: ``amount`` of ``unit`` (werkdagen, dagen, weken, maanden, jaren, uren, minuten)."""

    amount: int
    unit: str


def parse_norm(expression: str | None) -> Norm | None:
    """The norm an expression sets, or None when it is not a plain norm."""
    try:
        tree = ast.parse((expression or "").strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(tree, ast.Constant) and isinstance(tree.value, str):
        return _iso_norm(tree.value.strip().upper())
    if (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name) and tree.func.id in ("werkdagen", "dagen")
            and len(tree.args) == 1 and not tree.keywords and isinstance(tree.args[0], ast.Constant)
            and type(tree.args[0].value) is int):
        return Norm(tree.args[0].value, tree.func.id)
    return None


def _iso_norm(text: str) -> Norm | None:
    found = _ISO.fullmatch(text)
    if found is None:
        return None
    parts = [(int(value), unit) for value, unit in zip(found.groups(), _ISO_UNITS, strict=True) if value]
    if len(parts) != 1:
        return None
    return Norm(*parts[0])


@dataclass(frozen=True)
class Step:
    text: str
    text_en: str | None
    norm: Norm | None

    def in_language(self, lang: str) -> str:
        return (self.text_en or self.text) if lang == "en" else self.text


@dataclass(frozen=True)
class AnswerTerms:
    """How long an initiator has to answer a question: a reminder, then a deadline."""

    reminder: Norm | None
    deadline: Norm | None


@dataclass(frozen=True)
class Procedure:
    process_id: str
    version_no: int
    steps: list[Step]


def _props(spec: Any) -> dict[str, str]:
    props = (getattr(spec, "extensions", None) or {}).get("properties") or {}
    return props if isinstance(props, dict) else {}


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


def _timers_on(spec: Any) -> list[Any]:
    """Timer boundary events attached to ``spec`` (SpiffWorkflow puts them beside the task,
    under a shared split)."""
    timers = []
    for split in spec.inputs:
        for sibling in split.outputs:
            definition = getattr(sibling, "event_definition", None)
            if (sibling is not spec and isinstance(sibling, CatchingEvent)
                    and isinstance(definition, TimerEventDefinition) and hasattr(sibling, "cancel_activity")):
                timers.append(sibling)
    return timers


def norm_of(spec: Any) -> Norm | None:
    """The task's service norm: the timer marked ``overdue``, else the only timer on it."""
    timers = _timers_on(spec)
    marked = [t for t in timers if _props(t).get("overdue", "").lower() == "true"]
    chosen = marked or (timers if len(timers) == 1 else [])
    return parse_norm(chosen[0].event_definition.expression) if chosen else None


def _for_initiator(spec: Any) -> bool:
    group = _props(spec).get("candidateGroups", "")
    try:
        return ast.literal_eval(group) == "initiatiefnemer"
    except (ValueError, SyntaxError):
        return False


def steps_of(process: BpmnProcessSpec) -> list[Step]:
    """The staff's user tasks in flow order; parallel tasks with the same text and norm once."""
    steps: list[Step] = []
    for spec in _in_flow_order(process):
        if not isinstance(spec, UserTask) or _for_initiator(spec):
            continue
        props = _props(spec)
        step = Step(props.get("statusText") or str(spec.bpmn_name or spec.bpmn_id), props.get("statusText_en"),
                    norm_of(spec))
        if step not in steps:
            steps.append(step)
    return steps


def answer_terms(process: BpmnProcessSpec) -> AnswerTerms:
    """From the first element that waits for a message: its non-interrupting timer is the
    reminder, its interrupting timer the deadline."""
    for spec in _in_flow_order(process):
        if not isinstance(getattr(spec, "event_definition", None), MessageEventDefinition):
            continue
        timers = _timers_on(spec)
        reminder = next((t for t in timers if not t.cancel_activity), None)
        deadline = next((t for t in timers if t.cancel_activity), None)
        return AnswerTerms(parse_norm(reminder.event_definition.expression) if reminder else None,
                           parse_norm(deadline.event_definition.expression) if deadline else None)
    return AnswerTerms(None, None)


def latest_versions(session: Session) -> dict[str, tuple[int, int]]:
    """process id -> (version id, version number) of the version new cases get."""
    rows = session.execute(
        select(ModelVersion.process_id, ModelVersion.id, ModelVersion.version_no)
        .order_by(ModelVersion.process_id, ModelVersion.version_no.desc())
    ).all()
    latest: dict[str, tuple[int, int]] = {}
    for process_id, version_id, version_no in rows:
        latest.setdefault(process_id, (version_id, version_no))
    return latest


@dataclass(frozen=True)
class Overview:
    intake: list[Step]
    categories: dict[str, Procedure]
    answer: AnswerTerms


def overview(engine: Engine, session: Session) -> Overview:
    versions = latest_versions(session)

    def process(process_id: str) -> BpmnProcessSpec | None:
        if process_id not in versions:
            return None
        return engine.specs(session, versions[process_id][0])[0]

    categories = {}
    for process_id in CATEGORY_PROCESSES:
        spec = process(process_id)
        if spec is not None:
            categories[process_id] = Procedure(process_id, versions[process_id][1], steps_of(spec))
    intake = process(INTAKE_PROCESS)
    answering = process(ANSWER_PROCESS)
    return Overview(
        intake=steps_of(intake) if intake is not None else [],
        categories=categories,
        answer=answer_terms(answering) if answering is not None else AnswerTerms(None, None),
    )
