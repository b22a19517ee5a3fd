"""Diagram code that cannot run away: every loop round counts against one budget per evaluation
(rounds and seconds), and every operation that can make something big (``*``, ``+``, ``**``,
``<<``) first checks the size of what it would make. The sandbox rewrites checked code this way
before compiling it, so the same bounds hold when the check previews an expression in the web
process and when a worker runs a script.

Static checks (:mod:`engine.sandbox`) refuse what is visible in the text; these guards catch what
only shows while running (``'a' * 10 ** 9``, ``s = s + s`` in a loop, nested loops)."""

from __future__ import annotations

import ast
import operator
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from engine.limits import MAX_EXPONENT, MAX_INT_BITS, MAX_SECONDS, MAX_SIZE, MAX_STEPS

ITERATE = "__loket_iterate"
OPERATE = "__loket_operate"


class LimitExceeded(ValueError):
    """Diagram code went past a limit (:mod:`engine.limits`); the message says which, in Dutch."""


class _Budget(threading.local):
    def __init__(self) -> None:
        self.steps = 0
        self.deadline = 0.0
        self.depth = 0


_budget = _Budget()


@contextmanager
def budget() -> Iterator[None]:
    """One evaluation's budget; nested evaluations (a script calling a helper) share the outer one."""
    if _budget.depth == 0:
        _budget.steps = 0
        _budget.deadline = time.monotonic() + MAX_SECONDS
    _budget.depth += 1
    try:
        yield
    finally:
        _budget.depth -= 1


def _tick() -> None:
    _budget.steps += 1
    if _budget.steps > MAX_STEPS:
        raise LimitExceeded(f"de code herhaalt te vaak (meer dan {MAX_STEPS} keer)")
    if _budget.steps % 1024 == 0 and time.monotonic() > _budget.deadline:
        raise LimitExceeded(f"de code duurt te lang (meer dan {MAX_SECONDS:g} seconden)")


def iterate(iterable: Iterable[Any]) -> Iterator[Any]:
    for item in iterable:
        _tick()
        yield item


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _too_big(what: str) -> LimitExceeded:
    return LimitExceeded(f"{what} wordt te groot (hoogstens {MAX_SIZE} tekens of elementen)")


def _check_multiply(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        size = _size(sequence)
        if size is not None and isinstance(count, int) and size * max(count, 0) > MAX_SIZE:
            raise _too_big("de herhaalde tekst of lijst")
    if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise LimitExceeded("het getal wordt te groot")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_power(left: Any, right: Any) -> None:
    if _is_int(right) and abs(right) > MAX_EXPONENT:
        raise LimitExceeded(f"machtsverheffen mag tot de macht {MAX_EXPONENT}")
    if _is_int(left) and _is_int(right) and right > 0 and left.bit_length() * right > MAX_INT_BITS:
        raise LimitExceeded("het getal wordt te groot")


def _check_shift(left: Any, right: Any) -> None:
    if _is_int(right) and _is_int(left) and left.bit_length() + right > MAX_INT_BITS:
        raise LimitExceeded("het getal wordt te groot")


def _check_add(left: Any, right: Any) -> None:
    sizes = (_size(left), _size(right))
    if sizes[0] is not None and sizes[1] is not None and sizes[0] + sizes[1] > MAX_SIZE:
        raise _too_big("de samengevoegde tekst of lijst")


_OPERATIONS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], None]]] = {
    "Mult": (operator.mul, _check_multiply),
    "Pow": (operator.pow, _check_power),
    "LShift": (operator.lshift, _check_shift),
    "Add": (operator.add, _check_add),
}


def operate(name: str, left: Any, right: Any) -> Any:
    function, check = _OPERATIONS[name]
    check(left, right)
    return function(left, right)


class _Guard(ast.NodeTransformer):
    """Rewrites checked code: loops go through :func:`iterate`, big-making operations through
    :func:`operate`. Only runs after the sandbox check, on code that passed it."""

    def _operate(self, op: ast.operator, left: ast.expr, right: ast.expr, at: ast.AST) -> ast.expr:
        call = ast.Call(func=ast.Name(id=OPERATE, ctx=ast.Load()),
                        args=[ast.Constant(type(op).__name__), left, right], keywords=[])
        return ast.copy_location(call, at)

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:  # noqa: N802 - ast.NodeTransformer API
        self.generic_visit(node)
        if type(node.op).__name__ in _OPERATIONS:
            return self._operate(node.op, node.left, node.right, node)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.stmt:  # noqa: N802
        self.generic_visit(node)
        if type(node.op).__name__ not in _OPERATIONS or not isinstance(node.target, ast.Name | ast.Subscript
                                                                        | ast.Attribute):
            return node
        current = _as_load(node.target)
        value = self._operate(node.op, current, node.value, node)
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def _iterate(self, iterable: ast.expr) -> ast.expr:
        call = ast.Call(func=ast.Name(id=ITERATE, ctx=ast.Load()), args=[iterable], keywords=[])
        return ast.copy_location(call, iterable)

    def visit_For(self, node: ast.For) -> ast.stmt:  # noqa: N802
        self.generic_visit(node)
        node.iter = self._iterate(node.iter)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        self.generic_visit(node)
        node.iter = self._iterate(node.iter)
        return node


def _as_load(target: ast.expr) -> ast.expr:
    copy = ast.parse(ast.unparse(target), mode="eval").body
    return ast.copy_location(copy, target)


def guard(tree: ast.Module | ast.Expression) -> ast.Module | ast.Expression:
    """The tree with every loop and big-making operation going through the guards."""
    guarded = ast.fix_missing_locations(_Guard().visit(tree))
    assert isinstance(guarded, ast.Module | ast.Expression)
    return guarded


GUARDS: dict[str, Any] = {ITERATE: iterate, OPERATE: operate}
"""The functions the rewritten code calls; the sandbox puts them among the builtins."""
