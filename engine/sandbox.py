"""A restricted Python environment for scripts and expressions in uploaded diagrams.

SpiffWorkflow's default environment runs diagram code with ``eval``/``exec`` and the real
builtins; restricted builtins alone are escaped by ``().__class__.__base__.__subclasses__()``.
Here every source text is first checked against an AST allow-list (:func:`check_source`) and
only then run with a fixed table of harmless builtins (:data:`SAFE_BUILTINS`).

Only the *source text* is checked. Values in the task data are plain data (strings, numbers,
lists, dicts) and cannot introduce code.
"""

from __future__ import annotations

import ast
import builtins
import copy
import re
import textwrap
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Literal

from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment

from engine.bounded import GUARDS, budget, guard
from engine.limits import (
    MAX_CONSTANT_FACTOR,
    MAX_EXPONENT,
    MAX_FORMAT_WIDTH,
    MAX_RANGE,
    MAX_SOURCE_CHARS,
)

Mode = Literal["eval", "exec"]

_SAFE_NAMES = (
    "len min max sum int float str bool round abs any all sorted list dict set tuple range enumerate zip "
    "isinstance Exception ValueError KeyError TypeError IndexError ZeroDivisionError"
)
# A fixed table, not the builtins module: scripts get exactly these and nothing else.


def _bounded_range(*args: int) -> range:
    """``range`` that refuses to build more than MAX_RANGE numbers (a loop must not hang a worker)."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise ValueError(f"range() met meer dan {MAX_RANGE} getallen is niet toegestaan")
    return numbers


SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in _SAFE_NAMES.split()} | {
    "None": None,
    "True": True,
    "False": False,
    "range": _bounded_range,
}

FORBIDDEN_NAMES = frozenset(
    "exec eval compile open getattr setattr delattr globals locals vars __import__ breakpoint input "
    "type object memoryview help dir super".split()
)

# Attribute names that reach code, frames or the type system without a leading underscore,
# plus str.format/format_map, whose replacement fields ("{0.__class__}") read attributes.
FORBIDDEN_ATTRIBUTES = frozenset({"format", "format_map", "mro", "ljust", "rjust", "center", "zfill", "expandtabs"})
FORBIDDEN_ATTRIBUTE_PREFIXES = ("_", "gi_", "cr_", "ag_", "f_", "co_", "tb_", "func_", "im_")

# fmt: off
_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    # module level and statements
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.If,
    ast.Break, ast.Continue, ast.Pass, ast.Try, ast.ExceptHandler, ast.Raise, ast.Assert,
    ast.Delete,
    # expressions
    ast.BoolOp, ast.NamedExpr, ast.BinOp, ast.UnaryOp, ast.Lambda, ast.IfExp, ast.Dict, ast.Set,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension, ast.Compare,
    ast.Call, ast.keyword, ast.FormattedValue, ast.JoinedStr, ast.Constant, ast.Attribute,
    ast.Subscript, ast.Starred, ast.Name, ast.List, ast.Tuple, ast.Slice, ast.arguments, ast.arg,
    # contexts and operators
    ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop,
)
# fmt: on

_NODE_LABELS: dict[type[ast.AST], tuple[str, str]] = {
    ast.FunctionDef: ("een functiedefinitie ('def')", "a function definition ('def')"),
    ast.AsyncFunctionDef: ("een functiedefinitie ('async def')", "a function definition ('async def')"),
    ast.ClassDef: ("een klassedefinitie ('class')", "a class definition ('class')"),
    ast.AnnAssign: ("een type-annotatie", "a type annotation"),
}
# fmt: off
_KEYWORDS: dict[type[ast.AST], str] = {
    ast.Import: "import", ast.ImportFrom: "from ... import", ast.Global: "global", ast.Nonlocal: "nonlocal",
    ast.Await: "await", ast.AsyncFor: "async for", ast.AsyncWith: "async with", ast.Yield: "yield",
    ast.YieldFrom: "yield from", ast.With: "with", ast.Match: "match", ast.Return: "return",
    ast.While: "while",
}
# fmt: on

Message = tuple[str, str]  # (Dutch, English)


class SandboxViolation(Exception):
    """Diagram code was refused by the sandbox before it ran."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("; ".join(problems))


def _line(node: ast.AST) -> int:
    return int(getattr(node, "lineno", 0) or 0)


def _at(node: ast.AST, text_nl: str, text_en: str) -> Message:
    line = _line(node)
    if not line:
        return text_nl[:1].upper() + text_nl[1:], text_en[:1].upper() + text_en[1:]
    return f"Regel {line}: {text_nl}", f"Line {line}: {text_en}"


def _name_problem(name: str, node: ast.AST) -> Message | None:
    if name.startswith("_"):
        return _at(
            node,
            f"namen die met '_' beginnen zijn niet toegestaan ('{name}').",
            f"names starting with '_' are not allowed ('{name}').",
        )
    if name in FORBIDDEN_NAMES:
        return _at(
            node,
            f"'{name}' is niet toegestaan in een script of expressie.",
            f"'{name}' is not allowed in a script or expression.",
        )
    return None


def _attribute_problem(attr: str, node: ast.AST) -> Message | None:
    if attr in FORBIDDEN_ATTRIBUTES:
        return _at(
            node,
            f"'.{attr}' is niet toegestaan; maak tekst met een f-string of met '+'.",
            f"'.{attr}' is not allowed; build text with an f-string or with '+'.",
        )
    if attr.startswith(FORBIDDEN_ATTRIBUTE_PREFIXES):
        return _at(node, f"het kenmerk '.{attr}' is niet toegestaan.", f"the attribute '.{attr}' is not allowed.")
    return None


def _size_problem(node: ast.BinOp) -> Message | None:
    """Refuse constants that make one expression eat the CPU or memory of a worker
    (``10 ** 10 ** 10``, ``'x' * 10 ** 9``)."""
    right = node.right
    if isinstance(node.op, ast.Pow):
        small = (isinstance(right, ast.Constant) and isinstance(right.value, int | float)
                 and not isinstance(right.value, bool) and abs(right.value) <= MAX_EXPONENT)
        if not small:
            return _at(node, f"Machtsverheffen ('**') mag alleen met een vast getal tot {MAX_EXPONENT}, zoals x ** 2.",
                       f"Powers ('**') are only allowed with a fixed number up to {MAX_EXPONENT}, such as x ** 2.")
    if isinstance(node.op, ast.Mult | ast.LShift):
        for side in (node.left, right):
            if isinstance(side, ast.Constant) and isinstance(side.value, int) and abs(side.value) > MAX_CONSTANT_FACTOR:
                return _at(node, f"Vermenigvuldig niet met een vast getal boven {MAX_CONSTANT_FACTOR}.",
                           f"Do not multiply by a fixed number above {MAX_CONSTANT_FACTOR}.")
    return None


def _format_problem(node: ast.FormattedValue) -> Message | None:
    """A width in an f-string pads the text: refuse one that is computed or very wide."""
    spec = node.format_spec
    if spec is None:
        return None
    parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
    text = "".join(str(part.value) for part in parts if isinstance(part, ast.Constant))
    computed = any(not isinstance(part, ast.Constant) for part in parts)
    widths = [int(number) for number in re.findall(r"\d+", text)]
    if computed or any(width > MAX_FORMAT_WIDTH for width in widths):
        return _at(node, f"een opmaak in een f-string mag hoogstens {MAX_FORMAT_WIDTH} breed zijn en vast staan.",
                   f"a format in an f-string may be at most {MAX_FORMAT_WIDTH} wide and must be fixed.")
    return None


def _node_problem(node: ast.AST) -> Message | None:
    if isinstance(node, ast.BinOp):
        return _size_problem(node)
    if isinstance(node, ast.FormattedValue):
        return _format_problem(node)
    if not isinstance(node, _ALLOWED_NODES):
        keyword = f"'{_KEYWORDS.get(type(node), type(node).__name__)}'"
        label_nl, label_en = _NODE_LABELS.get(type(node), (keyword, keyword))
        return _at(
            node,
            f"{label_nl} is niet toegestaan in een script of expressie.",
            f"{label_en} is not allowed in a script or expression.",
        )
    if isinstance(node, ast.Name):
        return _name_problem(node.id, node)
    if isinstance(node, ast.Attribute):
        return _attribute_problem(node.attr, node)
    if isinstance(node, ast.arg):
        return _name_problem(node.arg, node)
    if isinstance(node, ast.keyword) and node.arg is not None:
        return _name_problem(node.arg, node)
    if isinstance(node, ast.ExceptHandler) and node.name is not None:
        return _name_problem(node.name, node)
    return None


def _syntax_problem(error: SyntaxError) -> Message:
    line = error.lineno or 1
    detail = error.msg or "invalid syntax"
    text = (error.text or "").strip()
    where = f" ({text})" if text else ""
    return (
        f"Regel {line}: dit is geen geldige Python-code: {detail}{where}.",
        f"Line {line}: this is not valid Python code: {detail}{where}.",
    )


def normalize_source(source: str, mode: Mode) -> str:
    """Strip the indentation XML formatting adds: around an expression, common to a script.

    (Python's own ``eval`` ignores leading blanks too; ``compile`` and ``ast.parse`` do not.)
    """
    return source.strip() if mode == "eval" else textwrap.dedent(source)


def _walk_problems(tree: ast.AST) -> tuple[Message, ...]:
    found: list[tuple[int, int, Message]] = []
    pending: list[ast.AST] = [tree]
    while pending:  # iterative, so deeply nested code cannot exhaust the stack
        node = pending.pop()
        problem = _node_problem(node)
        if problem is not None:
            found.append((_line(node), int(getattr(node, "col_offset", 0) or 0), problem))
        if isinstance(node, _ALLOWED_NODES):  # a refused construct is reported once, not its parts
            pending.extend(ast.iter_child_nodes(node))
    problems: list[Message] = []
    for _, _, problem in sorted(found):
        if problem not in problems:
            problems.append(problem)
    return tuple(problems)


@lru_cache(maxsize=4096)
def _check_cached(source: str, mode: Mode) -> tuple[Message, ...]:
    source = normalize_source(source, mode)
    if mode == "eval" and not source:
        return (
            (
                "De expressie is leeg. Vul een Python-expressie in.",
                "The expression is empty. Enter a Python expression.",
            ),
        )
    if len(source) > MAX_SOURCE_CHARS:
        return (
            (
                f"De code is te lang ({len(source)} tekens, hoogstens {MAX_SOURCE_CHARS}).",
                f"The code is too long ({len(source)} characters, at most {MAX_SOURCE_CHARS}).",
            ),
        )
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        return (_syntax_problem(error),)
    except (ValueError, RecursionError, MemoryError) as error:
        name = error.__class__.__name__
        return (
            (
                f"Regel 1: dit is geen geldige Python-code ({name}).",
                f"Line 1: this is not valid Python code ({name}).",
            ),
        )
    return _walk_problems(tree)


def check_source_messages(source: str, mode: Mode) -> list[Message]:
    """Like :func:`check_source`, with each reason as a (Dutch, English) pair."""
    if mode not in ("eval", "exec"):
        raise ValueError(f"unknown mode {mode!r}")
    if not isinstance(source, str):
        return [("Er is geen code opgegeven (verwacht tekst).", "No code was given (expected text).")]
    return list(_check_cached(source, mode))


def check_source(source: str, mode: Mode) -> list[str]:
    """Every reason (in Dutch) why ``source`` may not run in the sandbox; empty if it may."""
    return [dutch for dutch, _ in check_source_messages(source, mode)]


@lru_cache(maxsize=4096)
def _compile_checked(source: str, mode: Mode) -> Any:
    """Check and compile ``source``; the result is cached per source string."""
    problems = check_source(source, mode)
    if problems:
        raise SandboxViolation(source, problems)
    # "<string>" keeps SpiffWorkflow's error-line lookup working (it searches for that name).
    parsed = ast.parse(normalize_source(source, mode), mode=mode)
    assert isinstance(parsed, ast.Module | ast.Expression)
    tree = guard(parsed)
    return compile(tree, "<string>", mode, dont_inherit=True)


def compile_restricted(source: str, mode: Mode) -> Any:
    """The code object for ``source``, or :class:`SandboxViolation` if the check fails."""
    if not isinstance(source, str):
        raise SandboxViolation(repr(source), check_source(source, mode))
    return _compile_checked(source, mode)


def _fresh_builtins() -> dict[str, Any]:
    # The guards the rewritten code calls (engine.bounded); their names start with "__", which
    # the check refuses in any source text, so diagram code cannot reach them itself.
    return dict(SAFE_BUILTINS) | GUARDS


class SandboxedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment that checks every source text and runs it with safe builtins."""

    def __init__(self, environment_globals: Mapping[str, Any] | None = None) -> None:
        super().__init__(dict(environment_globals or {}))

    def evaluate(self, expression: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> Any:
        code = compile_restricted(expression, "eval")
        my_globals = copy.copy(self.globals)
        self._prepare_context(context)
        my_globals.update(external_context or {})
        my_globals.update(context)
        my_globals["__builtins__"] = _fresh_builtins()
        with budget():
            return eval(code, my_globals)  # noqa: S307 - checked by compile_restricted

    def execute(self, script: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> bool:
        code = compile_restricted(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        my_globals = copy.copy(self.globals)
        self._prepare_context(context)
        my_globals.update(external_context or {})
        context.update(my_globals)
        context["__builtins__"] = _fresh_builtins()
        try:
            with budget():
                exec(code, context)  # noqa: S102 - checked by compile_restricted
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True


def make_script_engine(functions: Mapping[str, Callable[..., Any]]) -> PythonScriptEngine:
    """A SpiffWorkflow script engine whose scripts and expressions run in the sandbox."""
    return PythonScriptEngine(environment=SandboxedEnvironment(dict(functions)))
