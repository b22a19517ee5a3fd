"""Procedure and lead times read from the deployed models, for the public pages.

Nothing here is written by hand: the steps are the diagrams' user tasks (in flow order, with
the status text the initiator sees), and each norm is the expression of the timer boundary
event on that task (``werkdagen(10)``, ``dagen(3)``, ``"P6W"``). Edit the diagram, deploy,
and the landing page says the new norm."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from engine import MESSAGE_WAIT, USER_TASK, OutlineElement, ProcessOutline
from processes.loket import Loket
from processes.vocabulary import ANSWER_PROCESS, CATEGORIES, INITIATIVE_PROCESS, INITIATOR_GROUP

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


def norm_of(element: OutlineElement) -> Norm | None:
    """The task's service norm: the timer marked ``overdue``, else the only timer on it."""
    timers = element.timers
    marked = [t for t in timers if t.properties.get("overdue", "").lower() == "true"]
    chosen = marked or (list(timers) if len(timers) == 1 else [])
    return parse_norm(chosen[0].expression) if chosen else None


def _for_initiator(element: OutlineElement) -> bool:
    try:
        return ast.literal_eval(element.properties.get("candidateGroups", "")) == INITIATOR_GROUP
    except (ValueError, SyntaxError):
        return False


def steps_of(outline: ProcessOutline) -> list[Step]:
    """The staff's user tasks in flow order; parallel tasks with the same text and norm once."""
    steps: list[Step] = []
    for element in outline.of_kind(USER_TASK):
        if _for_initiator(element):
            continue
        props = element.properties
        step = Step(props.get("statusText") or element.name or element.bpmn_id, props.get("statusText_en"),
                    norm_of(element))
        if step not in steps:
            steps.append(step)
    return steps


def answer_terms(outline: ProcessOutline) -> AnswerTerms:
    """From the first element that waits for a message: its non-interrupting timer is the
    reminder, its interrupting timer the deadline."""
    for element in outline.of_kind(MESSAGE_WAIT):
        reminder = next((t for t in element.timers if not t.interrupting), None)
        deadline = next((t for t in element.timers if t.interrupting), None)
        return AnswerTerms(parse_norm(reminder.expression) if reminder else None,
                           parse_norm(deadline.expression) if deadline else None)
    return AnswerTerms(None, None)


@dataclass(frozen=True)
class Overview:
    intake: list[Step]
    categories: dict[str, Procedure]
    answer: AnswerTerms


def overview(loket: Loket) -> Overview:
    """The procedure of the versions new initiatives get: what happens after sending, each
    category's steps with their norms, and how long an initiator has to answer a question."""
    outlines = loket.engine.outlines([INITIATIVE_PROCESS, *CATEGORIES, ANSWER_PROCESS])
    categories = {process_id: Procedure(process_id, outlines[process_id].version_no, steps_of(outlines[process_id]))
                  for process_id in CATEGORIES if process_id in outlines}
    intake = outlines.get(INITIATIVE_PROCESS)
    answering = outlines.get(ANSWER_PROCESS)
    return Overview(
        intake=steps_of(intake) if intake is not None else [],
        categories=categories,
        answer=answer_terms(answering) if answering is not None else AnswerTerms(None, None),
    )
