"""Why a decision table could not decide on a set of answers, in words a process owner can act
on (Dutch and English): an answer of the wrong kind, an input left empty that a rule needs, a
cell that names something the table has no input for, a cell the sandbox refuses or that goes
past a limit, a cell the engine cannot read."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bounded import LimitExceeded
from engine.dmn_table import DecisionInput, DecisionInputs
from engine.errors import ModelProblem
from engine.sandbox import SandboxViolation, check_source_messages

_ROW = re.compile(r"on row (\d+)")
_SHOWN = 160
"""The most characters of a cell or a technical message a problem quotes."""
_TYPES_NL = {"number": "een getal", "boolean": "ja of nee", "string": "tekst"}
_TYPES_EN = {"number": "a number", "boolean": "yes or no", "string": "text"}
# The limits' messages (engine.bounded) are Dutch; their English by how they begin.
_LIMITS_EN = (
    ("de code herhaalt te vaak", "the code repeats too often"),
    ("de code duurt te lang", "the code takes too long"),
    ("de herhaalde tekst of lijst wordt te groot", "the repeated text or list becomes too large"),
    ("de samengevoegde tekst of lijst wordt te groot", "the joined text or list becomes too large"),
    ("het getal wordt te groot", "the number becomes too large"),
    ("machtsverheffen mag tot de macht", "a power may only go up to a fixed exponent"),
    ("range() met meer dan", "range() gives too many numbers"),
)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def _fits(kind: str, value: Any) -> bool:
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


def input_problem(file: str, item: DecisionInput, value: Any, same_as: DecisionInput | None = None
                  ) -> ModelProblem | None:
    """Why ``value`` cannot be the answer for ``item`` (None: it can)."""
    name = item.name
    if same_as is not None:
        return ModelProblem(file, item.input_id, name, "dmn_try.conflict",
                            f"‘{name}’ en ‘{same_as.name}’ lezen allebei ‘{item.variable}’. Vul bij allebei "
                            "hetzelfde in.",
                            f"‘{name}’ and ‘{same_as.name}’ both read ‘{item.variable}’. Give both the same answer.")
    if _fits(item.type, value):
        return None
    return ModelProblem(file, item.input_id, name, "dmn_try.type",
                        f"‘{name}’ moet {_TYPES_NL[item.type]} zijn, niet {_short(repr(value))}.",
                        f"‘{name}’ must be {_TYPES_EN[item.type]}, not {_short(repr(value))}.")


def _root_cause(error: BaseException) -> BaseException:
    """The error underneath SpiffWorkflow's wrappers (they raise inside ``except``)."""
    for _ in range(10):
        if not isinstance(error, SpiffWorkflowException):
            break
        inner = error.__cause__ or error.__context__
        if inner is None:
            break
        error = inner
    return error


def _row(error: BaseException, current: Any) -> int | None:
    if current is not None:
        return int(current.row_number)
    for note in getattr(error, "notes", []) or []:
        found = _ROW.search(str(note))
        if found:
            return int(found.group(1))
    return None


def _limit_en(message: str) -> str:
    return next((english for dutch, english in _LIMITS_EN if message.startswith(dutch)), "the code goes past a limit")


def _not_answered(name: str, names: Mapping[str, DecisionInput], table: DecisionInputs) -> tuple[str, str] | None:
    item = names.get(name)
    if item is None:
        return None
    also_nl = " De engine bekijkt alle regels, ook als een eerdere regel al past." \
        if table.hit_policy not in ("UNIQUE",) else ""
    also_en = " The engine looks at every rule, even when an earlier rule fits." if also_nl else ""
    return (f"heeft een antwoord nodig bij ‘{item.name}’. Vul dat in. Een lopend initiatief zonder dit "
            f"gegeven stopt hier ook.{also_nl}",
            f"needs an answer for ‘{item.name}’. Fill it in. A running initiative without it stops here "
            f"too.{also_en}")


def _cause_text(cause: BaseException, expression: str, names: Mapping[str, DecisionInput],
                table: DecisionInputs) -> tuple[str, str]:
    cell = _short(expression)
    if isinstance(cause, NameError):
        name = str(getattr(cause, "name", "") or "")
        answered = _not_answered(name, names, table)
        if answered is not None:
            return answered
        return (f"gebruikt ‘{name}’, maar dat is geen invoer van deze tabel. Dat gegeven kunt u hier niet "
                "invullen. Maak er een invoer van of gebruik een invoer die er al is.",
                f"uses ‘{name}’, but that is not an input of this table. You cannot fill it in here. "
                "Make it an input or use an input the table has.")
    if isinstance(cause, LimitExceeded):
        return f"de cel ‘{cell}’ gaat over een grens: {cause}.", f"the cell ‘{cell}’ goes past a limit: " \
                                                                 f"{_limit_en(str(cause))}."
    if isinstance(cause, SandboxViolation):
        messages = check_source_messages(cause.source, "eval") or [(str(cause), str(cause))]
        nl, en = (_short(" ".join(pair[index] for pair in messages).replace("dmninputexpr", "?")) for index in (0, 1))
        return f"de cel ‘{cell}’ mag niet worden uitgevoerd: {nl}", f"the cell ‘{cell}’ may not run: {en}"
    if isinstance(cause, RecursionError | MemoryError):
        return (f"de cel ‘{cell}’ is te lang of te diep genest. Maak de cel eenvoudiger.",
                f"the cell ‘{cell}’ is too long or too deeply nested. Make the cell simpler.")
    if isinstance(cause, SyntaxError):
        return ("de engine kan een cel van deze regel niet lezen. Zet een ? waar de invoer hoort, "
                "bijvoorbeeld ‘? >= 3’ of ‘? in (\"a\", \"b\")’.",
                "the engine cannot read a cell of this rule. Put a ? where the input belongs, "
                "for example ‘? >= 3’ or ‘? in (\"a\", \"b\")’.")
    detail = _short(f"{cause.__class__.__name__}: {cause}")
    return (f"de cel ‘{cell}’ werkt niet met deze antwoorden ({detail}). Kijk of het antwoord de goede "
            "soort is, zoals een getal of tekst.",
            f"the cell ‘{cell}’ does not work with these answers ({detail}). Check that the answer is of "
            "the right kind, such as a number or text.")


def failure_problem(file: str, error: BaseException, rules: Sequence[Any], current: Any, expression: str,
                    names: Mapping[str, DecisionInput], table: DecisionInputs) -> ModelProblem:
    """The problem for an error the engine raised while deciding (or making the outputs)."""
    row = _row(error, current)
    nl, en = _cause_text(_root_cause(error), expression, names, table)
    if row is None or not 1 <= row <= len(rules):
        return ModelProblem(file, None, None, "dmn_try.failed", f"De tabel kan niet beslissen: {nl}",
                            f"The table cannot decide: {en}")
    rule = rules[row - 1]
    return ModelProblem(file, str(rule.id), f"Regel {row}", "dmn_try.rule",
                        f"Regel {row} {nl}" if nl.startswith(("heeft", "gebruikt")) else f"Regel {row}: {nl}",
                        f"Rule {row} {en}" if en.startswith(("needs", "uses")) else f"Rule {row}: {en}")
