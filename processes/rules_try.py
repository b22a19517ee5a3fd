"""Try a decision table before putting it into use: the process owner answers the table's inputs
in the editor and sees which rule fires, with its outputs and its explanation. The table is the
one on the screen (sent by the editor, not deployed); the engine evaluates it exactly as a case
would (:func:`engine.try_decision`). The answers come from a form, so they are text: each is read
by its input's type, with a message per field in Dutch and English when it cannot be read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import DecisionInput, DecisionInputs, DecisionTrial, FiredRule, ModelProblem, decision_inputs, try_decision
from forms import ConversionError, parse_amount

__all__ = ["AnswerProblem", "DecisionInput", "DecisionInputs", "DecisionTrial", "FiredRule", "ModelProblem", "Trial",
           "read_answer", "table_inputs", "try_table"]

MAX_ANSWER_CHARS = 1_000
TRUE_WORDS = frozenset({"ja", "true", "yes", "waar"})
FALSE_WORDS = frozenset({"nee", "false", "no", "onwaar"})


@dataclass(frozen=True)
class AnswerProblem:
    """An answer that cannot be read as its input's type."""

    input_id: str
    label: str
    message_nl: str
    message_en: str

    def message(self, lang: str = "nl") -> str:
        return self.message_en if lang == "en" else self.message_nl


@dataclass(frozen=True)
class Trial:
    """The outcome of a try: what the engine decided (``decision``), or why the answers could not
    be read (``answer_problems``; then the table was not evaluated)."""

    table: DecisionInputs
    decision: DecisionTrial | None
    answer_problems: tuple[AnswerProblem, ...] = ()

    @property
    def problems(self) -> tuple[ModelProblem, ...]:
        """What is wrong with the table (or made it stop) — empty when it decided."""
        return self.decision.problems if self.decision is not None else self.table.problems


def _problem(item: DecisionInput, nl: str, en: str) -> AnswerProblem:
    return AnswerProblem(item.input_id, item.name, nl.format(label=item.name), en.format(label=item.name))


def _number(item: DecisionInput, text: str) -> int | float | AnswerProblem:
    try:
        amount = parse_amount(text)
    except ConversionError as error:
        if error.kind == "money_decimals":
            return _problem(item, "Gebruik bij ‘{label}’ niet meer dan 2 cijfers achter de komma.",
                            "Use no more than 2 digits after the decimal point for ‘{label}’.")
        return _problem(item, "Vul bij ‘{label}’ een getal in, zoals 3 of 1.250,50.",
                        "Enter a number for ‘{label}’, such as 3 or 1,250.50.")
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _boolean(item: DecisionInput, text: str) -> bool | AnswerProblem:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return _problem(item, "Kies ja of nee bij ‘{label}’.", "Choose yes or no for ‘{label}’.")


def read_answer(item: DecisionInput, raw: str) -> Any:
    """The answer ``raw`` (form text) as a value of ``item``'s type; None when it is empty (not
    answered); an AnswerProblem when it cannot be read."""
    text = raw.strip()
    if not text:
        return None
    if len(text) > MAX_ANSWER_CHARS:
        return _problem(item, f"Het antwoord bij ‘{{label}}’ is te lang (hoogstens {MAX_ANSWER_CHARS} tekens).",
                        f"The answer for ‘{{label}}’ is too long (at most {MAX_ANSWER_CHARS} characters).")
    if item.type == "number":
        return _number(item, text)
    if item.type == "boolean":
        return _boolean(item, text)
    return text


def table_inputs(content: bytes, filename: str) -> DecisionInputs:
    """The inputs of the decision table in ``content`` (the file ``filename`` as edited), to ask
    for them; ``problems`` says why the table cannot be tried."""
    return decision_inputs(content, filename=filename)


def try_table(content: bytes, raw_answers: Mapping[str, str], filename: str) -> Trial:
    """Read the answers (input id → form text; an empty or missing answer is not answered) and let
    the engine decide on them with the table in ``content``."""
    table = table_inputs(content, filename)
    if table.problems:
        return Trial(table, None)
    answers: dict[str, Any] = {}
    problems: list[AnswerProblem] = []
    for item in table.inputs:
        value = read_answer(item, str(raw_answers.get(item.input_id, "")))
        if isinstance(value, AnswerProblem):
            problems.append(value)
        elif value is not None:
            answers[item.input_id] = value
    if problems:
        return Trial(table, None, tuple(problems))
    return Trial(table, try_decision(content, answers, table.decision_id, filename=filename))
