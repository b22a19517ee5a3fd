"""A decision table compiled once and run on many sets of answers: to replay a changed table on
the intakes of the past (which initiatives would get another category?) fast enough for the
whole pilot at once.

Every cell becomes exactly the expression SpiffWorkflow's ``DMNEngine`` evaluates — ``?``
replaced by the input's value, a cell that parses on its own compared with ``==``, any other
cell glued behind the input — checked and compiled by the same sandbox, run with the same
functions and within the same bounds. Only the work per answer set is smaller: the code is
compiled once and each input is evaluated once."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.bounded import budget
from engine.bundle import model_files
from engine.parsing import ModelParseError, load_parser
from engine.sandbox import SandboxViolation, _fresh_builtins, compile_restricted
from engine.scripting import DIAGRAM_FUNCTIONS

_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")  # as SpiffWorkflow's DMNEngine
_INPUT_NAME = "dmninputexpr"


class DecisionUnusable(ValueError):
    """The table cannot be read or compiled; the message says why (in Dutch)."""


@dataclass(frozen=True)
class Hit:
    """The rule that fires: its row (1-based), id and outputs."""

    row: int
    rule_id: str
    outputs: dict[str, Any]


@dataclass(frozen=True)
class _Cell:
    input_index: int
    code: Any
    uses_input: bool


@dataclass(frozen=True)
class _Rule:
    row: int
    rule_id: str
    cells: tuple[_Cell, ...]
    outputs: tuple[tuple[str, Any], ...]


def _parses_as_statement(text: str) -> bool:
    """SpiffWorkflow's ``needs_eq``: the cell is compared with ``==`` when it parses by itself."""
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def _compile(source: str) -> Any:
    try:
        return compile_restricted(source, "eval")
    except SandboxViolation as violation:
        raise DecisionUnusable(f"De cel '{source}' kan niet worden uitgevoerd: {violation}") from violation


def _cell(index: int, input_expr: str, text: str) -> _Cell:
    replaced = _QUESTION_MARK.sub(_INPUT_NAME, text)
    if _INPUT_NAME in replaced:
        return _Cell(index, _compile(replaced), True)
    source = f"({input_expr}) == ({text})" if _parses_as_statement(text) else input_expr + text
    return _Cell(index, _compile(source), False)


class CompiledDecision:
    """One decision table, ready to run on many answer sets (first rule that fits)."""

    def __init__(self, table: Any, functions: Mapping[str, Callable[..., Any]]) -> None:
        self.name = str(getattr(table, "name", "") or getattr(table, "id", ""))
        self._functions = dict(functions)
        inputs = list(table.inputs)
        self._inputs = tuple(_compile(item.expression or repr(item.label)) for item in inputs)
        rules = []
        for rule in table.rules:
            cells = tuple(_cell(inputs.index(entry.input), entry.input.expression, lhs)
                          for entry in rule.inputEntries for lhs in entry.lhs if lhs is not None)
            outputs = tuple((entry.output.name or entry.output.label, _compile(entry.text) if entry.text else None)
                            for entry in rule.outputEntries)
            rules.append(_Rule(int(rule.row_number), str(rule.id), cells, outputs))
        self._rules = tuple(rules)

    def decide(self, data: Mapping[str, Any]) -> Hit | None:
        """The first rule that fits ``data`` (None: none fits). A cell that fails raises, as in a
        case (an answer missing, a wrong type)."""
        names: dict[str, Any] = {**self._functions, **data, "__builtins__": _fresh_builtins()}
        values: dict[int, Any] = {}
        with budget():
            for rule in self._rules:
                if all(self._fits(cell, names, values) for cell in rule.cells):
                    outputs = {key: eval(code, names) if code is not None else ""  # noqa: S307 - sandboxed
                               for key, code in rule.outputs}
                    return Hit(rule.row, rule.rule_id, outputs)
        return None

    def _fits(self, cell: _Cell, names: dict[str, Any], values: dict[int, Any]) -> bool:
        if not cell.uses_input:
            return bool(eval(cell.code, names))  # noqa: S307 - checked and compiled by the sandbox
        if cell.input_index not in values:
            values[cell.input_index] = eval(self._inputs[cell.input_index], names)  # noqa: S307 - sandboxed
        scope = {**names, _INPUT_NAME: values[cell.input_index]}
        return bool(eval(cell.code, scope))  # noqa: S307 - checked and compiled by the sandbox


def compile_decision(files: Mapping[str, bytes], decision_id: str) -> CompiledDecision:
    """The decision ``decision_id`` of the bundle ``files``, compiled; DecisionUnusable otherwise."""
    try:
        parser = load_parser(model_files(files))
        engine = parser.get_engine(decision_id, None)
    except ModelParseError as error:
        raise DecisionUnusable(f"De modellen kunnen niet worden gelezen: {str(error).splitlines()[0]}") from error
    except Exception as error:  # noqa: BLE001 - SpiffWorkflow's own "no such decision"
        raise DecisionUnusable(f"Er is geen beslissing '{decision_id}' in deze modellen.") from error
    return CompiledDecision(engine.decision_table, DIAGRAM_FUNCTIONS)
