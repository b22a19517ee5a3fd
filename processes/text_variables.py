"""Who sends a mail text and which values it gets: what the ``{{ … }}`` of a text may use.

The loket sends some texts itself (``vocabulary.APPLICATION_TEXTS``); the diagrams send the
others through the service task ``send_initiator_mail`` (``template`` and ``context``
parameters) and the escalation through ``notify_team_lead``. Every text also sees
``loket_url``, the loket's address (empty when it is not configured)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from engine import UnsafeXml, now, parse_xml
from processes.bundle_content import LITERAL, SPIFF_NS
from processes.case_status import DECISION_VALUES
from processes.dates import long_date
from processes.portal_login import LOGIN_LINK_LIFETIME
from processes.vocabulary import (
    CONFIRMATION_TEXT,
    ESCALATION_TEXT,
    INITIATOR_REPLY_TEXT,
    LOGIN_TEXT,
    NEWS_TEXT,
    RESUME_TEXT,
    TASK_ASSIGNED_TEXT,
    TEAM_DIGEST_TEXT,
    TEAM_TASK_TEXT,
)

GLOBAL = "loket_url"
INITIATOR_MAIL = "send_initiator_mail"
TEAM_LEAD_MAIL = "notify_team_lead"
ALWAYS_FROM_DIAGRAM = ("titel", "case_ref", "naam", *DECISION_VALUES)
"""What ``send_initiator_mail`` gives every text it sends (the decision's values are empty
before there is a decision)."""

APPLICATION_SENDERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    CONFIRMATION_TEXT: (("intake",), ("case_ref", "titel", "naam")),
    RESUME_TEXT: (("resume",), ("link", "geldig_tot", "naam")),
    LOGIN_TEXT: (("login",), ("link", "minuten", "naam")),
    NEWS_TEXT: (("message", "status"), ("case_ref", "title", "naam")),
    ESCALATION_TEXT: ((), ("titel", "case_ref", "taak", "team")),
    TASK_ASSIGNED_TEXT: (("assigned",), ("naam", "taak", "taak_id", "case_ref", "titel", "uiterlijk")),
    TEAM_TASK_TEXT: (("team_task",), ("team", "taak", "taak_id", "case_ref", "titel", "uiterlijk")),
    TEAM_DIGEST_TEXT: (("digest",), ("team", "aantal", "overzicht")),
    INITIATOR_REPLY_TEXT: (("reply",), ("naam", "soort", "taak", "case_ref", "titel")),
}
"""Per text the loket sends itself: who sends it (``processes.intake``, ``form_steps``,
``portal_login``, ``case_actions``, the engine's ``informInitiator`` mail, the
``notify_team_lead`` handler) and the values it passes."""

_EXAMPLES = {
    "case_ref": "INI-2026-000123",
    "titel": "Geveltuin in de Bloemstraat",
    "title": "Geveltuin in de Bloemstraat",
    "minuten": str(int(LOGIN_LINK_LIFETIME.total_seconds() // 60)),
    "taak": "Kennismakingsgesprek voeren",
    "team": "Initiatieventeam",
    "uitkomst": "toegekend",
    "naam": "Ilse de Wit",
    "taak_id": "0b6f2c1e-7d1a-4c55-9b9e-3f1d2a4b5c6d",
    "uiterlijk": "12 december 2026",
    "aantal": "2",
    "overzicht": "- Categorie bevestigen · INI-2026-000123 · \"Geveltuin in de Bloemstraat\"",
    "soort": "antwoord",
    "besluit": "toegekend",
    "besluit_bedrag": "€ 6.000",
    "besluit_gevraagd": "€ 8.000",
    "besluit_reden": "Het budget van de wijk is bijna op; de regiegroep betaalt de huur en de materialen.",
    "besluit_advies": "",
    "besluit_voorwaarden": "- Het hek is maximaal 1,20 m hoog.",
    "besluit_afspraken": "Bewaar de bonnetjes en stuur na afloop een foto.",
    "volgende_stap": "We maken het bedrag binnen 4 weken over.",
}


@dataclass(frozen=True)
class Sender:
    """``kind``: ``intake``, ``resume``, ``login``, ``message``, ``status`` (the loket itself) or
    ``diagram`` (a service task: ``file``, ``element_id``, ``element_name``)."""

    kind: str
    file: str | None = None
    element_id: str | None = None
    element_name: str | None = None


@dataclass(frozen=True)
class Variable:
    """A value a text gets; ``expression``: where a diagram's ``context`` takes it from."""

    name: str
    expression: str | None = None


@dataclass(frozen=True)
class TextUse:
    senders: list[Sender]
    variables: list[Variable]
    open: bool = False
    """A diagram passes a ``context`` that is not written out: it may give more values."""
    names: frozenset[str] = field(default_factory=frozenset)


def text_use(files: Mapping[str, bytes], text: str) -> TextUse:
    """Who sends ``text`` (among the diagrams in ``files`` and the loket itself) and every value it gets."""
    kinds, passed = APPLICATION_SENDERS.get(text, ((), ()))
    senders = [Sender(kind) for kind in kinds]
    variables: dict[str, Variable] = {name: Variable(name) for name in passed}
    is_open = False
    for name, data in sorted(files.items()):
        if not name.lower().endswith(".bpmn"):
            continue
        for task, parameters in _mail_tasks(name, data):
            sends = _sent_text(parameters)
            if sends != text:
                continue
            senders.append(Sender("diagram", name, task.get("id"), task.get("name")))
            if parameters.get("handler") == INITIATOR_MAIL:
                for key in ALWAYS_FROM_DIAGRAM:
                    variables.setdefault(key, Variable(key))
                keys, known = _context_keys(parameters.get("context") or "{}")
                is_open = is_open or not known
                for key, expression in keys.items():
                    variables.setdefault(key, Variable(key, expression))
    if not senders:  # a text nobody sends yet: a diagram would send it with the title and number
        variables = {key: Variable(key) for key in ALWAYS_FROM_DIAGRAM}
        is_open = True
    variables[GLOBAL] = Variable(GLOBAL)
    found = list(variables.values())
    return TextUse(senders, found, is_open, frozenset(variable.name for variable in found))


def _mail_tasks(name: str, data: bytes) -> list[tuple[Any, dict[str, str]]]:
    """(service task element, its handler and parameter expressions) for every task that sends mail."""
    try:
        root = parse_xml(data, name)
    except UnsafeXml:
        return []
    found = []
    for operator in root.iter(f"{{{SPIFF_NS}}}serviceTaskOperator"):
        handler = operator.get("id")
        if handler not in (INITIATOR_MAIL, TEAM_LEAD_MAIL):
            continue
        parameters = {"handler": handler}
        for parameter in operator.iter(f"{{{SPIFF_NS}}}parameter"):
            parameters[str(parameter.get("id"))] = parameter.get("value") or ""
        extensions = operator.getparent()
        task = extensions.getparent() if extensions is not None else None
        if task is not None:
            found.append((task, parameters))
    return found


def _sent_text(parameters: dict[str, str]) -> str | None:
    if parameters["handler"] == TEAM_LEAD_MAIL:
        return ESCALATION_TEXT
    literal = LITERAL.match(parameters.get("template") or "")
    return literal.group("value") if literal else None


def _context_keys(expression: str) -> tuple[dict[str, str], bool]:
    """The keys of a ``context`` written as a dict with fixed keys (each with the expression it
    takes its value from), and whether that is all it can hold."""
    try:
        tree = ast.parse(expression.strip() or "{}", mode="eval").body
    except SyntaxError:
        return {}, False
    if not isinstance(tree, ast.Dict):
        return {}, False
    keys: dict[str, str] = {}
    for key, value in zip(tree.keys, tree.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return keys, False
        keys[key.value] = ast.get_source_segment(expression.strip(), value) or ""
    return keys, True


def default_example(name: str, lang: str, base_url: str) -> str:
    """A believable value for ``name`` in a preview in ``lang``."""
    if name == GLOBAL:
        return base_url
    if name == "link":
        return f"{base_url}/mijn-initiatieven/voorbeeld-link"
    if name == "geldig_tot":
        return long_date(now() + timedelta(days=30), lang)
    return _EXAMPLES.get(name, "…")


def examples(use: TextUse, lang: str, base_url: str, given: Mapping[str, str]) -> dict[str, str]:
    """The values for a preview in ``lang``: what the process owner gave, else the default; a
    default of the other language is replaced by this language's one."""
    values: dict[str, str] = {}
    for variable in use.variables:
        defaults = {default_example(variable.name, other, base_url) for other in ("nl", "en")}
        value = given.get(variable.name)
        values[variable.name] = default_example(variable.name, lang, base_url) if value is None or value in defaults \
            else value
    return values
