"""What a mail text may do with ``{{ … }}`` and ``{% … %}``: fill in values, choose with ``if``,
repeat with ``for`` over a value it gets, and a few plain filters. Nothing else.

The texts are Jinja2 templates written by the process owner and rendered by the worker and by
the editor's preview. Unchecked, a template reaches Python's insides (``{{ x.__class__ }}``,
``'{0._app}'.format(x)``), or stalls the renderer (``'a' * 10**9``, ``range(10**9)``). This
allow-list refuses all of that before a text is previewed or put into use."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, nodes

SAFE_FILTERS = frozenset({
    "abs", "capitalize", "count", "d", "default", "e", "escape", "first", "float", "int", "join", "last",
    "length", "lower", "replace", "round", "string", "striptags", "title", "trim", "upper", "wordcount",
})
"""Filters whose work is bounded by the text and the values it gets (``center(10**9)``,
``format``, ``attr`` and ``map`` are not among them)."""

SAFE_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If, nodes.CondExpr,
    nodes.Compare, nodes.Operand, nodes.Test, nodes.Not, nodes.And, nodes.Or, nodes.Concat, nodes.Add,
    nodes.Sub, nodes.Div, nodes.FloorDiv, nodes.Neg, nodes.Pos, nodes.List, nodes.Tuple, nodes.Dict,
    nodes.Pair, nodes.Keyword, nodes.Slice, nodes.Assign, nodes.For, nodes.Getattr, nodes.Getitem, nodes.Filter,
)
MAX_LOOP_DEPTH = 2


@dataclass(frozen=True)
class Unsafe:
    """The first thing a text may not do: on line ``line``, ``what`` (Dutch and English)."""

    line: int
    what_nl: str
    what_en: str

    def message(self, lang: str = "nl") -> str:
        if lang == "en":
            return (f"Line {self.line}: a text cannot {self.what_en}. Use only {{{{ name }}}}, "
                    "{% if %} and {% for %} with the values this text gets.")
        return (f"Regel {self.line}: dit kan niet in een tekst: {self.what_nl}. Gebruik alleen {{{{ naam }}}}, "
                "{% if %} en {% for %} met de waarden die deze tekst krijgt.")


def unsafe_part(environment: Environment, source: str) -> Unsafe | None:
    """The first construct of ``source`` outside the allow-list, or None when it has none
    (TemplateSyntaxError when it cannot be read at all)."""
    return _walk(environment.parse(source), 0)


def _walk(node: nodes.Node, loops: int) -> Unsafe | None:
    found = _refused(node, loops)
    if found is not None:
        return found
    depth = loops + 1 if isinstance(node, nodes.For) else loops
    for child in node.iter_child_nodes():
        found = _walk(child, depth)
        if found is not None:
            return found
    return None


def _refused(node: nodes.Node, loops: int) -> Unsafe | None:  # noqa: C901 - one case per kind of node
    line = node.lineno or 1
    if not isinstance(node, SAFE_NODES):
        return _what(node, line)
    if isinstance(node, nodes.Getattr) and (node.attr.startswith("_") or node.attr in ("format", "format_map")):
        return Unsafe(line, f"de eigenschap '{node.attr}' gebruiken", f"use the attribute '{node.attr}'")
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"):
        return Unsafe(line, f"het onderdeel '{node.arg.value}' gebruiken", f"use the item '{node.arg.value}'")
    if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const | nodes.Slice):
        return Unsafe(line, "een onderdeel kiezen met een berekende naam", "pick an item by a computed name")
    if isinstance(node, nodes.Filter) and (node.name not in SAFE_FILTERS or _reaches_attributes(node)):
        return Unsafe(line, f"het filter '{node.name}' zo gebruiken", f"use the filter '{node.name}' so")
    if isinstance(node, nodes.For) and (node.recursive or loops >= MAX_LOOP_DEPTH):
        return Unsafe(line, "meer dan twee {% for %} in elkaar", "nest more than two {% for %}")
    if isinstance(node, nodes.For) and not isinstance(node.iter, nodes.Name | nodes.Getattr | nodes.Getitem):
        return Unsafe(line, "{% for %} over iets anders dan een waarde die de tekst krijgt",
                      "loop with {% for %} over anything but a value the text gets")
    return None


def _reaches_attributes(node: nodes.Filter) -> bool:
    """``join(attribute=…)`` reads attributes by name, and ``**`` arguments could say anything."""
    return (node.dyn_args is not None or node.dyn_kwargs is not None
            or any(keyword.key == "attribute" for keyword in node.kwargs))


def _what(node: nodes.Node, line: int) -> Unsafe:
    if isinstance(node, nodes.Call):
        return Unsafe(line, "een functie aanroepen (…())", "call a function (…())")
    if isinstance(node, nodes.Mul | nodes.Pow | nodes.Mod):
        return Unsafe(line, "rekenen met *, ** of %", "calculate with *, ** or %")
    if isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends | nodes.Block):
        return Unsafe(line, "een andere tekst invoegen", "take in another text")
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        return Unsafe(line, "een macro maken of gebruiken", "make or use a macro")
    tag = type(node).__name__.lower()
    return Unsafe(line, f"{{% {tag} %}}", f"use {{% {tag} %}}")
