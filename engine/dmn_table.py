"""One decision table as the engine reads it, for trying it out: loaded through the same safe
path as a deployment (hardened XML, the DMN schema, SpiffWorkflow's own DMN parser), with the
table's inputs described so a page can ask for them: the label, the expression the engine
evaluates, the type, and the values the table itself names (its ``inputValues`` or the literal
cells of the column)."""

from __future__ import annotations

import ast
import keyword
import re
from dataclasses import dataclass
from typing import Any

from engine.errors import ModelProblem
from engine.parsing import ModelParseError, load_parser, make_problem, unexpected_problem

MAX_VALUES = 40
"""The most values one input lists (a form shows them as suggestions)."""
MAX_VALUE_CHARS = 200
_MEMBERSHIP = re.compile(r"^\?\s*(?:in|==)\s*(.+)$", re.DOTALL)
_NUMBER_TYPES = frozenset({"number", "integer", "int", "long", "double", "float", "decimal"})
_BOOLEAN_TYPES = frozenset({"boolean", "bool"})


@dataclass(frozen=True)
class DecisionInput:
    """One input (column) of a decision table."""

    input_id: str
    label: str
    expression: str
    """What the engine evaluates for this column (empty: the engine reads the label as a name)."""
    type: str
    """``number``, ``boolean`` or ``string`` (the input's ``typeRef``; anything else is text)."""
    type_ref: str
    """The ``typeRef`` as written in the table."""
    variable: str | None
    """The one name the expression reads when it is just a name (``reikwijdte``); None when it
    computes something (``len(disciplines)``): then the answer is the value of the expression."""
    values: tuple[str | int | float, ...] = ()
    """The values the table names for this input (its ``inputValues`` or its literal cells)."""

    @property
    def name(self) -> str:
        """What to call the input in a sentence: its label, else its expression or id."""
        return self.label or self.expression or self.input_id


@dataclass(frozen=True)
class DecisionInputs:
    """The inputs of the decision in a file, or why the file cannot be used (``problems``)."""

    decision_id: str = ""
    decision_name: str = ""
    hit_policy: str = ""
    inputs: tuple[DecisionInput, ...] = ()
    problems: tuple[ModelProblem, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.problems


@dataclass
class LoadedTable:
    """The parsed table (SpiffWorkflow's DMNEngine and its lxml document) and its inputs."""

    dmn_engine: Any
    root: Any
    inputs: DecisionInputs


def _problem(file: str, code: str, nl: str, en: str) -> ModelProblem:
    return make_problem(file, code, nl, en)


def plain_variable(expression: str) -> str | None:
    """The name an input expression reads when it is nothing but a name."""
    text = expression.strip()
    return text if text.isidentifier() and not keyword.iskeyword(text) else None


def _kind(type_ref: str) -> str:
    kind = type_ref.strip().lower()
    if kind in _NUMBER_TYPES:
        return "number"
    return "boolean" if kind in _BOOLEAN_TYPES else "string"


def _literals(text: str) -> list[Any]:
    """The plain values a cell or ``inputValues`` text names: ``'groen'``, ``3``,
    ``? in ('wijk', 'stad')``, ``"a","b"`` (how dmn-js writes a list)."""
    text = text.strip()
    if not text or text == "-" or len(text) > MAX_VALUES * MAX_VALUE_CHARS:
        return []
    match = _MEMBERSHIP.match(text)
    candidates = [match.group(1)] if match else [text, f"[{text}]"]
    for candidate in candidates:
        try:
            value = ast.literal_eval(candidate)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        items = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
        return [item for item in items if isinstance(item, str | int | float) and not isinstance(item, bool)]
    return []


def _texts(element: Any, path: str) -> list[str]:
    return [str(text) for text in element.xpath(path)]


def _values_of(table: Any, input_id: str, position: int, kind: str) -> tuple[str | int | float, ...]:
    if kind == "boolean":
        return ()
    inputs = table.xpath("./*[local-name()='input']")
    element = next((node for node in inputs if node.get("id") == input_id), None)
    texts = _texts(element, "./*[local-name()='inputValues']/*[local-name()='text']/text()") if element is not None \
        else []
    if not texts:
        cell = f"./*[local-name()='inputEntry'][{position + 1}]/*[local-name()='text']/text()"
        texts = [text for rule in table.xpath("./*[local-name()='rule']") for text in _texts(rule, cell)]
    found: list[str | int | float] = []
    for text in texts:
        for value in _literals(text):
            fits = isinstance(value, str) if kind == "string" else isinstance(value, int | float)
            if fits and value not in found and len(str(value)) <= MAX_VALUE_CHARS:
                found.append(value)
    return tuple(found[:MAX_VALUES])


def _describe(spiff_table: Any, root: Any, decision_id: str, decision_name: str) -> DecisionInputs:
    table = next((node for node in root.xpath("//*[local-name()='decisionTable']") if node.get("id") == spiff_table.id),
                 None)
    inputs = []
    for position, item in enumerate(spiff_table.inputs):
        expression = (item.expression or "").strip()
        kind = _kind(item.typeRef or "")
        variable = plain_variable(expression) if expression else (item.label or None)
        values = _values_of(table, item.id, position, kind) if table is not None else ()
        inputs.append(DecisionInput(str(item.id), str(item.label or ""), expression, kind, str(item.typeRef or ""),
                                    variable, values))
    return DecisionInputs(decision_id, decision_name, str(spiff_table.hit_policy), tuple(inputs))


def _decision_in(parser: Any, decision_id: str | None, file: str) -> tuple[str | None, ModelProblem | None]:
    available = list(parser.dmn_parsers)
    if not available:
        return None, _problem(file, "dmn_try.no_decision",
                              "In dit bestand staat geen beslistabel. Voeg een beslistabel toe.",
                              "This file holds no decision table. Add a decision table.")
    if decision_id is None:
        return available[0], None
    if decision_id not in available:
        return None, _problem(file, "dmn_try.unknown_decision",
                              f"In dit bestand staat geen beslissing met id '{decision_id}'.",
                              f"This file holds no decision with id '{decision_id}'.")
    return decision_id, None


def load_table(data: bytes, decision_id: str | None, file: str) -> LoadedTable | DecisionInputs:
    """The decision in ``data`` ready to evaluate, or a DecisionInputs that says why not. Never raises."""
    try:
        parser = load_parser({file: data})
    except ModelParseError as error:
        return DecisionInputs(problems=tuple(error.problems))
    except Exception as error:  # noqa: BLE001 - whatever the parser makes of odd input is one problem
        return DecisionInputs(problems=(unexpected_problem(file, error),))
    found, problem = _decision_in(parser, decision_id, file)
    if found is None or problem is not None:
        return DecisionInputs(problems=(problem,) if problem else ())
    try:
        dmn_engine = parser.get_engine(found, None)
        dmn_parser = parser.dmn_parsers[found]
        decision = dmn_parser.decision
        inputs = _describe(dmn_engine.decision_table, dmn_parser.node, found, str(decision.name or found))
    except IndexError:
        return DecisionInputs(problems=(_problem(
            file, "dmn_try.no_table",
            f"De beslissing '{found}' heeft geen beslistabel. Alleen een beslistabel kan worden geprobeerd.",
            f"The decision '{found}' has no decision table. Only a decision table can be tried."),))
    except Exception as error:  # noqa: BLE001
        return DecisionInputs(problems=(unexpected_problem(file, error),))
    return LoadedTable(dmn_engine, dmn_parser.node, inputs)


def decision_inputs(data: bytes, decision_id: str | None = None, *,
                    filename: str = "beslistabel.dmn") -> DecisionInputs:
    """The inputs of the decision in the DMN file ``data`` (the first one, or ``decision_id``),
    for a form that asks for them; ``problems`` says why there are none. Never raises."""
    loaded = load_table(data, decision_id, dmn_file_name(filename))
    return loaded.inputs if isinstance(loaded, LoadedTable) else loaded


def dmn_file_name(filename: str) -> str:
    """The name the file is read under: it must end in ``.dmn`` to be read as a decision table."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "beslistabel.dmn"
    return name if name.lower().endswith(".dmn") else f"{name}.dmn"
