"""Try a decision table on a set of answers, evaluated by SpiffWorkflow's own DMN engine exactly
as a business rule task of a running case evaluates it: the same parser, the same ``DMNEngine``
(cells with ``?``, cells compared with ``==``, cells glued behind the input), the same script
engine (:func:`engine.scripting.make_engine_script_engine`: the sandbox, the loket's functions
and the bounds of :mod:`engine.limits`). The table need not be deployed: the editor sends the
table as it is on the screen.

An answer is the value of an input. An input that is just a name (``reikwijdte``) puts the answer
in the data under that name; an input that computes something (``len(disciplines)``) takes the
answer as its value. The whole try shares one evaluation budget, so one request cannot hang the
web process. Nothing escapes: every failure is a :class:`ModelProblem` in Dutch and English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.bounded import budget
from engine.dmn_errors import failure_problem, input_problem
from engine.dmn_table import DecisionInput, DecisionInputs, LoadedTable, dmn_file_name, load_table
from engine.errors import ModelProblem
from engine.parsing import unexpected_problem
from engine.scripting import DIAGRAM_FUNCTIONS, EngineEnvironment, EngineScriptEngine

COLLECT = "COLLECT"
UNIQUE = "UNIQUE"
_COMPUTED = "invoer_{}"


@dataclass(frozen=True)
class FiredRule:
    """A rule that fits the answers: its number (1-based, as the editor shows it), its outputs
    (name, label, value; only of the rules whose outputs a case gets) and its explanation."""

    number: int
    rule_id: str
    description: str
    outputs: tuple[tuple[str, str, Any], ...] = ()


@dataclass(frozen=True)
class DecisionTrial:
    """What the table decides for the answers: ``applied`` are the rules whose outputs a case
    gets (the first that fits; every one that fits with hit policy COLLECT), ``matched`` every
    rule the engine found fitting, ``result`` what the case data would get. ``problems`` says why
    the table could not decide (then a case would stop at the business rule task too)."""

    table: DecisionInputs
    matched: tuple[FiredRule, ...] = ()
    applied: tuple[FiredRule, ...] = ()
    result: dict[str, Any] = field(default_factory=dict)
    problems: tuple[ModelProblem, ...] = ()

    @property
    def decided(self) -> bool:
        return not self.problems


class _Recording(EngineScriptEngine):
    """The runtime's script engine, noting the last expression it was asked to evaluate (to say
    which cell failed)."""

    last = ""

    def validate(self, expression: str) -> None:
        if not (expression.startswith("v ") and expression[2:] == self.last):  # the engine's second try
            self.last = expression
        super().validate(expression)

    def evaluate(self, task: Any, expression: str, external_context: dict[str, Any] | None = None) -> Any:
        self.last = expression
        return super().evaluate(task, expression, external_context)


class _Spec:
    def __init__(self, file: str) -> None:
        self.file = file
        self.bpmn_name = "Beslistabel proberen"


class _Workflow:
    """What SpiffWorkflow's DMN engine (and its errors) read of a workflow."""

    def __init__(self, script_engine: _Recording, file: str) -> None:
        self.script_engine = script_engine
        self.spec = _Spec(file)
        self.top_workflow = self


class _Task:
    """What SpiffWorkflow's DMN engine reads of a business rule task: its data and workflow."""

    def __init__(self, data: dict[str, Any], workflow: _Workflow) -> None:
        self.data = data
        self.workflow = workflow
        self.task_spec = workflow.spec


def _data_for(inputs: tuple[DecisionInput, ...], answers: Mapping[str, Any], spiff_inputs: list[Any],
              file: str) -> tuple[dict[str, Any], dict[str, DecisionInput], list[ModelProblem]]:
    """The task data the answers make, and which data name stands for which input. An input that
    computes something reads its answer from a name of its own (the engine's input expression is
    set to that name)."""
    data: dict[str, Any] = {}
    names: dict[str, DecisionInput] = {}
    problems: list[ModelProblem] = []
    taken = {item.variable for item in inputs if item.variable}
    for position, (item, spiff_input) in enumerate(zip(inputs, spiff_inputs, strict=True)):
        name = item.variable
        if name is None:
            name = _COMPUTED.format(position + 1)
            while name in taken:
                name += "_"
            taken.add(name)
            spiff_input.expression = name
        names.setdefault(name, item)
        if item.input_id not in answers:
            continue
        value = answers[item.input_id]
        problem = input_problem(file, item, value)
        if problem is None and name in data and data[name] != value:
            problem = input_problem(file, item, value, same_as=names[name])
        if problem is not None:
            problems.append(problem)
        data[name] = value
    return data, names, problems


def _lookup(values: Mapping[str, Any], key: str) -> Any:
    """One output's value in what ``output_as_dict`` made (a dotted name is a nested dict)."""
    found: Any = values
    for part in key.split("."):
        found = found.get(part) if isinstance(found, Mapping) else None
    return found


def _fired(rule: Any, values: Mapping[str, Any] | None = None) -> FiredRule:
    outputs = tuple((str(entry.output.name or entry.output.label), str(entry.output.label or ""),
                     _lookup(values, str(entry.output.name or entry.output.label)))
                    for entry in rule.outputEntries) if values is not None else ()
    return FiredRule(int(rule.row_number), str(rule.id), str(rule.description or "").strip(), outputs)


def _result(hit_policy: str, outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """What ``DMNEngine.result`` gives the case data, from the outputs of the applied rules
    (with COLLECT a list of values per output)."""
    if hit_policy != COLLECT:
        return dict(outputs[0]) if outputs else {}
    result: dict[str, list[Any]] = {}
    for rule_output in outputs:
        for key, value in rule_output.items():
            result.setdefault(key, []).append(value)
    return dict(result)


def _put_back(text: str, name: str, expression: str) -> str:
    return re.sub(rf"\b{re.escape(name)}\b", lambda _match: expression, text)


def _as_written(expression: str, names: Mapping[str, DecisionInput]) -> str:
    """An expression the engine evaluated, as the table writes it: ``?`` for the input's value,
    a computed input's own expression instead of the name its answer was given under."""
    written = re.sub(r"\bdmninputexpr\b", "?", expression)
    for name, item in names.items():
        if item.variable is None and item.expression:
            written = _put_back(written, name, item.expression)
    return written


def _decide(loaded: LoadedTable, answers: Mapping[str, Any], file: str) -> DecisionTrial:
    engine = loaded.dmn_engine
    table = loaded.inputs
    data, names, problems = _data_for(table.inputs, answers, list(engine.decision_table.inputs), file)
    if problems:
        return DecisionTrial(table, problems=tuple(problems))
    script_engine = _Recording(environment=EngineEnvironment(dict(DIAGRAM_FUNCTIONS)))
    task = _Task(data, _Workflow(script_engine, file))
    rules = list(engine.decision_table.rules)
    current = None
    try:
        with budget():  # one budget for the whole try (nested evaluations share it)
            matched_rules = engine.decide(task)
            chosen = matched_rules if table.hit_policy == COLLECT else matched_rules[:1]
            outputs = []
            for current in chosen:
                outputs.append(current.output_as_dict(task))  # the engine's own, as a case gets them
    except Exception as error:  # noqa: BLE001 - every failure of the table is a problem to show
        cell = _as_written(script_engine.last, names)
        return DecisionTrial(table, problems=(failure_problem(file, error, rules, current, cell, names, table),))
    applied = tuple(_fired(rule, values) for rule, values in zip(chosen, outputs, strict=True))
    matched = tuple(next((rule for rule in applied if rule.number == int(found.row_number)), None) or _fired(found)
                    for found in matched_rules)
    return DecisionTrial(table, matched, applied, _result(table.hit_policy, outputs))


def try_decision(data: bytes, answers: Mapping[str, Any], decision_id: str | None = None, *,
                 filename: str = "beslistabel.dmn") -> DecisionTrial:
    """Evaluate the decision table in the DMN file ``data`` (the first decision, or
    ``decision_id``) on ``answers`` (input id → value; a missing id is an input not answered,
    as an optional form answer left blank is absent from a case's data). Never raises."""
    file = dmn_file_name(filename)
    loaded = load_table(data, decision_id, file)
    if not isinstance(loaded, LoadedTable):
        return DecisionTrial(loaded, problems=loaded.problems)
    try:
        return _decide(loaded, answers, file)
    except Exception as error:  # noqa: BLE001 - a last safety net: a problem, never a crash
        return DecisionTrial(loaded.inputs, problems=(unexpected_problem(file, error),))
