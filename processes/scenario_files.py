"""Scenario files ("proefdraaien"): files in the bundle (``scenarios/<name>.json``) that walk the
process from the start form to its end, with what is expected on the way. They run in memory
against any set of bundle files — the models in use, a draft, a folder — with no case, mail or
database row (:func:`engine.run_scenario`).

A scenario::

    {
      "naam": "Eenvoudig: geveltuin toegekend",
      "start": {"soort_initiatiefnemer": "inwoner", …},          # the start form's answers
      "stappen": [
        {"taak": "categorie_bevestigen", "antwoorden": {…}},     # a task completed
        {"bericht": "aanvulling_ontvangen", "gegevens": {…}},     # a message from the initiator
        {"wacht": {"werkdagen": 5}}                               # time passes (or "dagen")
      ],
      "diensten": {"reserve_district_budget": {"reserved": false}},   # what a service gives back
      "verwacht": {"categorie": "eenvoudig", "regel": "R5",
                   "pad": ["categorie_bevestigen", "groen_beoordelen"],
                   "mails": ["resultaat"], "einde": "einde_toegekend"}
    }

Every ``verwacht`` key is optional; ``wacht_op`` lists what the process waits for at the end
(task ids, ``bericht:<name>``) when it has not ended."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from engine import ScenarioStep
from processes.vocabulary import INITIATIVE_PROCESS

SCENARIO_FOLDER = "scenarios"
SCENARIO_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}\.json$")
"""A scenario file's own name (the sandbox names the scenarios it records so)."""
EXPECTATIONS = ("categorie", "regel", "pad", "mails", "einde", "wacht_op")


class ScenarioInvalid(ValueError):
    """The scenario file itself is wrong; the message says what to fix (in Dutch)."""


@dataclass(frozen=True)
class Scenario:
    file: str
    name: str
    process: str
    start: dict[str, Any]
    steps: tuple[ScenarioStep, ...]
    services: dict[str, dict[str, Any]]
    expected: dict[str, Any]


def is_scenario_file(name: str) -> bool:
    path = PurePosixPath(name)
    return path.suffix.lower() == ".json" and SCENARIO_FOLDER in path.parts[:-1]


def looks_like_scenario(data: bytes) -> bool:
    """Whether a JSON file is a scenario rather than a form (a form has a ``schema``)."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(raw, dict) and "schema" not in raw and bool({"stappen", "verwacht"} & set(raw))


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScenarioInvalid(f"{where} moet een lijst van vragen en antwoorden zijn ({{ … }}).")
    return value


def _step(raw: Any, number: int) -> ScenarioStep:
    where = f"Stap {number}"
    if not isinstance(raw, dict):
        raise ScenarioInvalid(f"{where} moet {{\"taak\": …}}, {{\"bericht\": …}} of {{\"wacht\": …}} zijn.")
    if isinstance(raw.get("taak"), str):
        return ScenarioStep(task=raw["taak"], data=_mapping(raw.get("antwoorden"), f"{where}: antwoorden"))
    if isinstance(raw.get("bericht"), str):
        return ScenarioStep(message=raw["bericht"], data=_mapping(raw.get("gegevens"), f"{where}: gegevens"))
    wait = raw.get("wacht")
    if isinstance(wait, dict) and set(wait) <= {"dagen", "werkdagen"}:
        days, working = wait.get("dagen", 0), wait.get("werkdagen", 0)
        if isinstance(days, int) and isinstance(working, int) and days >= 0 and working >= 0 and days + working:
            return ScenarioStep(days=days, working_days=working)
    raise ScenarioInvalid(f"{where} moet {{\"taak\": …}}, {{\"bericht\": …}} of "
                          "{\"wacht\": {\"dagen\": 3}} / {\"wacht\": {\"werkdagen\": 5}} zijn.")


def parse_scenario(name: str, data: bytes) -> Scenario:
    """The scenario in a file; ScenarioInvalid says what is wrong with it."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ScenarioInvalid(f"Dit is geen goede JSON ({error}).") from error
    if not isinstance(raw, dict):
        raise ScenarioInvalid("Een scenario is één JSON-object ({ … }).")
    unknown = sorted(set(raw) - {"naam", "proces", "start", "stappen", "diensten", "verwacht", "toelichting"})
    if unknown:
        raise ScenarioInvalid(f"Onbekende onderdelen: {', '.join(unknown)}.")
    steps = raw.get("stappen") or []
    if not isinstance(steps, list):
        raise ScenarioInvalid("\"stappen\" moet een lijst zijn ([ … ]).")
    services = _mapping(raw.get("diensten"), "\"diensten\"")
    if not all(isinstance(value, dict) for value in services.values()):
        raise ScenarioInvalid("Elke dienst in \"diensten\" krijgt een antwoord als { … }.")
    expected = _mapping(raw.get("verwacht"), "\"verwacht\"")
    unknown = sorted(set(expected) - set(EXPECTATIONS))
    if unknown:
        raise ScenarioInvalid(f"Onbekend in \"verwacht\": {', '.join(unknown)}. Wel: {', '.join(EXPECTATIONS)}.")
    return Scenario(name, str(raw.get("naam") or PurePosixPath(name).stem), str(raw.get("proces") or
                    INITIATIVE_PROCESS), _mapping(raw.get("start"), "\"start\""),
                    tuple(_step(item, number) for number, item in enumerate(steps, start=1)), services, expected)


def scenarios_in(files: Mapping[str, bytes]) -> tuple[list[Scenario], dict[str, str]]:
    """The scenarios of a bundle, and per broken scenario file what is wrong with it."""
    found: list[Scenario] = []
    broken: dict[str, str] = {}
    for name, data in sorted(files.items()):
        if is_scenario_file(name):
            try:
                found.append(parse_scenario(name, data))
            except ScenarioInvalid as invalid:
                broken[name] = str(invalid)
    return found, broken
