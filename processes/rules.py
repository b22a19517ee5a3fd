"""The categorisation rules in plain language, read from the deployed DMN tables.

The rules are an algorithm applied to residents' data, so the public must be able to read
them (Woo, AVG). Each rule's ``<description>`` is the explanation a process owner wrote; the
conditions are read as what they test (:class:`Meaning`), which the pages put into words:
``True`` → "ja", ``>= 3`` → "3 of meer", ``'groen'`` → the label of that answer on the start
form, ``? in ('wijk', 'stad')`` → "De hele wijk of De hele stad". A condition that cannot be
read is shown as it is written.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine import ModelBundle, ModelVersion, UnsafeXml, parse_xml
from forms import Field, FormDefinition, format_number
from processes.errors import StartUnavailable
from processes.intake import with_organisation_choices
from processes.loket import Loket
from processes.vocabulary import INITIATIVE_PROCESS

_COMPARISONS = {ast.GtE: "ge", ast.LtE: "le", ast.Gt: "gt", ast.Lt: "lt", ast.Eq: "eq", ast.NotEq: "ne"}


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child) == name]


def _child_text(element: Any, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "").strip() if found else ""


@dataclass(frozen=True)
class Input:
    label: str
    expression: str


Value = str | bool
"""A value in words (a choice's label, an amount), or a yes/no the page translates."""


@dataclass(frozen=True)
class Meaning:
    """What a cell tests: ``kind`` is ``eq`` (the value itself), ``ne``, ``ge``, ``le``, ``gt``,
    ``lt`` (one value) or ``any_of`` (one of the values)."""

    kind: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Condition:
    label: str
    label_lang: str  # the language the label is written in ("nl" when it comes from the DMN file)
    counts: bool  # the input counts the answers to ``label`` (``len(field)``)
    meaning: Meaning | None  # None: the cell cannot be put in words and is shown as written
    text: str  # the cell as the table writes it

    @property
    def literal(self) -> bool:
        return self.meaning is None


@dataclass(frozen=True)
class Rule:
    rule_id: str
    conditions: list[Condition]
    outputs: dict[str, str]
    explanation: str
    explanation_lang: str = "nl"


@dataclass(frozen=True)
class Decision:
    decision_id: str
    name: str
    description: str
    hit_policy: str
    rules: list[Rule]
    text_lang: str = "nl"  # the language ``name`` and ``description`` are written in

    def rules_for(self, output: str, value: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.outputs.get(output) == value]


_NOT_LITERAL = object()


def _literal(text: str) -> Any:
    """The Python literal ``text`` writes, or ``_NOT_LITERAL``."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _field_for(expression: str, form: FormDefinition) -> tuple[Field | None, bool]:
    """The start-form field an input expression reads, and whether it counts its answers."""
    text = expression.strip()
    if text in form.fields:
        return form.fields[text], False
    if text.startswith("len(") and text.endswith(")") and text[4:-1].strip() in form.fields:
        return form.fields[text[4:-1].strip()], True
    return None, False


class _Reading:
    """Reads one input's cells, for one language."""

    def __init__(self, field: Field | None, lang: str) -> None:
        self.field, self.lang = field, lang

    def value(self, value: Any) -> Value:
        if isinstance(value, bool):
            return value
        if self.field is not None:
            for option in self.field.options:
                if option.value == value:
                    return option.label(self.lang)
        if isinstance(value, int | float):
            money = self.field is not None and self.field.widget == "money"
            return ("€ " if money else "") + format_number(value, self.lang, money=money)
        return str(value)

    def cell(self, text: str) -> Meaning | None:
        """What a cell tests; None when it cannot be put in words."""
        source = text.replace("?", "_cell_")
        if source.lstrip().startswith((">", "<", "=", "!", "in ", "not in ")):
            source = "_cell_ " + source  # a unary test: the input is the left side
        try:
            tree = ast.parse(source, mode="eval").body
        except SyntaxError:
            return None
        if isinstance(tree, ast.Compare) and len(tree.ops) == 1:
            return self._compare(tree)
        if isinstance(tree, ast.Tuple | ast.List):
            return self._any_of(tree.elts)
        value = _literal(text)
        return None if value is _NOT_LITERAL else Meaning("eq", (self.value(value),))

    def _compare(self, tree: ast.Compare) -> Meaning | None:
        op, right = tree.ops[0], tree.comparators[0]
        if isinstance(op, ast.In) and isinstance(right, ast.Tuple | ast.List | ast.Set):
            return self._any_of(right.elts)
        kind = _COMPARISONS.get(type(op))
        value = _literal(ast.unparse(right))
        if kind is None or not isinstance(value, int | float | str | bool):
            return None
        return Meaning(kind, (self.value(value),))

    def _any_of(self, items: Iterable[ast.expr]) -> Meaning | None:
        values = [_literal(ast.unparse(item)) for item in items]
        if not values or any(value is _NOT_LITERAL for value in values):
            return None
        return Meaning("any_of", tuple(self.value(value) for value in values))


def _condition(inp: Input, text: str, form: FormDefinition, lang: str) -> Condition | None:
    cell = text.strip()
    if cell in ("", "-"):
        return None
    field, counts = _field_for(inp.expression, form)
    label, label_lang = inp.label or inp.expression, "nl"
    if field is not None:
        label, label_lang = field.label(lang), lang
    return Condition(label, label_lang, counts, _Reading(None if counts else field, lang).cell(cell), cell)


def _rule(element: Any, inputs: list[Input], outputs: list[str], form: FormDefinition, lang: str) -> Rule:
    entries = [_child_text(entry, "text") for entry in _children(element, "inputEntry")]
    conditions = [c for inp, text in zip(inputs, entries, strict=False)
                  if (c := _condition(inp, text, form, lang)) is not None]
    texts = [_child_text(entry, "text") for entry in _children(element, "outputEntry")]
    values = [value if (value := _literal(text)) is not _NOT_LITERAL else text for text in texts]
    result = {name: str(value) for name, value in zip(outputs, values, strict=False)}
    rule_id = next((value for name, value in result.items() if name.endswith("_regel")), None)
    explanation, explanation_lang = _child_text(element, "description"), "nl"
    translated = next((value for name, value in result.items() if name.endswith(f"_uitleg_{lang}") and value), None)
    if lang != "nl" and translated:
        explanation, explanation_lang = translated, lang
    return Rule(rule_id or str(element.get("id") or ""), conditions, result, explanation, explanation_lang)


def _translation(element: Any, lang: str) -> Any | None:
    """The ``<loket:translation lang="en" name="…" description="…"/>`` of an element, if written."""
    for extensions in _children(element, "extensionElements"):
        for found in _children(extensions, "translation"):
            if found.get("lang") == lang:
                return found
    return None


def _decision(element: Any, form: FormDefinition, lang: str) -> Decision | None:
    tables = _children(element, "decisionTable")
    if not tables:
        return None
    table = tables[0]
    inputs = [Input(str(node.get("label") or ""), _child_text(_children(node, "inputExpression")[0], "text")
                    if _children(node, "inputExpression") else "") for node in _children(table, "input")]
    outputs = [str(node.get("name") or node.get("label") or "") for node in _children(table, "output")]
    rules = [_rule(rule, inputs, outputs, form, lang) for rule in _children(table, "rule")]
    name, description, text_lang = str(element.get("name") or ""), _child_text(element, "description"), "nl"
    translated = _translation(element, lang) if lang != "nl" else None
    if translated is not None and translated.get("name"):
        name, description, text_lang = str(translated.get("name")), str(translated.get("description") or ""), lang
    return Decision(str(element.get("id") or ""), name, description, str(table.get("hitPolicy") or "UNIQUE"), rules,
                    text_lang)


def decisions_in(files: dict[str, str], form: FormDefinition, lang: str) -> list[Decision]:
    """Every decision table in the ``.dmn`` files of a deployed bundle, its inputs named the way
    ``form`` (the start form) asks for them."""
    found = []
    for name in sorted(files):
        if not name.lower().endswith(".dmn"):
            continue
        try:
            root = parse_xml(files[name].encode("utf-8"), name)
        except UnsafeXml:
            continue
        for element in _children(root, "decision"):
            decision = _decision(element, form, lang)
            if decision is not None:
                found.append(decision)
    return found


_READ: dict[tuple[str, str, str], list[Decision]] = {}
"""Decisions read from a bundle, by the bundle's content hash, language and the form's fields as they are now: a
deployed bundle never changes, and the public home page shows them on every visit."""
_READ_LIMIT = 64


def deployed_decisions(loket: Loket, lang: str) -> list[Decision]:
    """The decisions deployed with the process new initiatives start on."""
    try:
        form = loket.start_form()
    except StartUnavailable:
        return []
    with loket.reading() as session:
        form = with_organisation_choices(form, session)
        bundle_hash = session.scalar(
            select(ModelBundle.content_hash).join(ModelVersion, ModelVersion.bundle_id == ModelBundle.id)
            .where(ModelVersion.process_id == INITIATIVE_PROCESS)
            .order_by(ModelVersion.version_no.desc()).limit(1)
        )
        if bundle_hash is None:
            return []
        key = (bundle_hash, lang, repr(form.fields))
        if key in _READ:
            return list(_READ[key])
        files = dict(session.scalar(select(ModelBundle.files).where(ModelBundle.content_hash == bundle_hash)) or {})
    found = decisions_in(files, form, lang)
    if len(_READ) >= _READ_LIMIT:
        _READ.clear()
    _READ[key] = found
    return list(found)
