"""Checks of decision tables (DMN): every cell is checked exactly as SpiffWorkflow's DMN engine
will evaluate it, and every name an input or output reads must come from the models."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from engine.errors import ModelProblem
from engine.model_checks import (
    DMN_INPUT,
    HELPERS,
    DataContext,
    expression_problems,
    free_names,
    unknown_name_problem,
)
from engine.parsing import ModelDocument, make_problem
from engine.sandbox import check_source_messages

_DMN_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")  # as SpiffWorkflow's DMNEngine
_expression = expression_problems



def _kids(element: Any, name: str) -> list[Any]:
    return list(element.xpath(f"./*[local-name()='{name}']"))


def _text(element: Any) -> str:
    return "".join(element.xpath("./*[local-name()='text'][1]/text()"))


def _parses(text: str) -> bool:
    try:
        ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return False
    return True


def _dmn_cell(input_expr: str, entry: str) -> str:
    """The expression SpiffWorkflow's DMNEngine evaluates for one input cell, exactly as it builds
    it: with '?' the cell itself; a cell that parses on its own is compared with '=='; any other
    cell is glued to the input without a space (``wijk`` + ``in ('a',)`` runs as ``wijkin ('a',)``)."""
    match = _DMN_QUESTION_MARK.sub(DMN_INPUT, entry)
    if DMN_INPUT in match:
        return match
    return f"({input_expr}) == ({entry})" if _parses(entry) else input_expr + entry


def _dmn_names(ctx: DataContext | None, file: str, element: Any, source: str,
               what: tuple[str, str]) -> list[ModelProblem]:
    if ctx is None or ctx.known is None or check_source_messages(source, "eval"):
        return []
    names = sorted(free_names(source, "eval") - ctx.known - {DMN_INPUT} - HELPERS)
    return [unknown_name_problem(file, element, what, names, ctx)] if names else []


def _glued(entry: str) -> bool:
    """Whether the engine glues this cell behind the input (no '?', does not parse on its own)."""
    return DMN_INPUT not in _DMN_QUESTION_MARK.sub(DMN_INPUT, entry) and not _parses(entry)


def _input_cell(data: DataContext | None, file: str, entry: Any, input_expr: str, text: str,
                what: tuple[str, str]) -> list[ModelProblem]:
    cell = _dmn_cell(input_expr, text)
    found = _expression(file, entry, cell, "eval", "dmn.expression", what) or _dmn_names(data, file, entry, cell,
                                                                                          what)
    if found and _glued(text):
        return [make_problem(
            file, "dmn.expression",
            f"{what[0]}: de cel '{text}' werkt zo niet. De engine plakt een cel zonder ? direct achter de "
            f"invoer en voert '{cell}' uit. Zet een ? waar de invoer hoort, bijvoorbeeld '? {text}'.",
            f"{what[1]}: the cell '{text}' does not work like this. The engine glues a cell without ? right "
            f"behind the input and runs '{cell}'. Put a ? where the input belongs, for example '? {text}'.",
            entry)]
    return found


def dmn_problems(doc: ModelDocument, data: DataContext | None = None) -> Iterator[ModelProblem]:
    file, code = doc.filename, "dmn.expression"
    for table in doc.root.xpath("//*[local-name()='decisionTable']"):
        inputs = [" ".join(_text(e) for e in _kids(i, "inputExpression")) or "None" for i in _kids(table, "input")]
        for element, source in zip(_kids(table, "input"), inputs, strict=True):
            what = ("De invoer", "The input")
            yield from _expression(file, element, source, "eval", code, what) or _dmn_names(data, file, element,
                                                                                              source, what)
        for row, rule in enumerate(_kids(table, "rule"), start=1):
            what = (f"Regel {row} van de beslistabel", f"Rule {row} of the decision table")
            for entry, input_expr in zip(_kids(rule, "inputEntry"), inputs, strict=False):
                if _text(entry).strip() not in ("", "-"):
                    yield from _input_cell(data, file, entry, input_expr, _text(entry).strip(), what)
            for entry in _kids(rule, "outputEntry"):
                if _text(entry).strip():
                    yield from _expression(file, entry, _text(entry), "eval", code, what) or _dmn_names(
                        data, file, entry, _text(entry), what)


