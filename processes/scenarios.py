"""Running scenarios (``processes.scenario_files`` has their format) in memory against any set of
bundle files — the models in use, a draft, a folder — with no case, mail or database row
(:func:`engine.run_scenario`); each outcome says the first difference with what was expected."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine import ScenarioTrace, read_bundle_files, run_scenario
from processes.bundle_content import BundleContent
from processes.handlers.stand_ins import stand_in
from processes.scenario_files import EXPECTATIONS, Scenario, scenarios_in
from processes.vocabulary import ESCALATION_TEXT

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""Every scenario starts on a Monday morning, so working days count the same in every run."""
MAIL_HANDLERS = {"send_initiator_mail", "notify_team_lead"}


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    difference: str | None
    """The first difference with what was expected (None: the scenario passed)."""
    trace: ScenarioTrace = field(repr=False)

    @property
    def passed(self) -> bool:
        return self.difference is None


def run(files: Mapping[str, bytes], scenario: Scenario, content: BundleContent) -> Outcome:
    """Run one scenario on the bundle ``files`` (whose forms ``content`` reads)."""

    def answer(handler: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        return {**stand_in(handler, params, data), **scenario.services.get(handler, {})}

    def check(form_id: str, answers: dict[str, Any]) -> list[str]:
        if not content.exists(form_id):
            return [f"het formulier {form_id} bestaat niet"]
        return [f"{error.field}: {error.message}" if error.field else error.message
                for error in content.errors(form_id, answers)]

    trace = run_scenario(files, scenario.process, scenario.start, scenario.steps, answer, start=START, check=check)
    return Outcome(scenario, _difference(scenario, trace), trace)


def run_all(files: Mapping[str, bytes], content: BundleContent) -> tuple[list[Outcome], dict[str, str]]:
    scenarios, broken = scenarios_in(files)
    return [run(files, scenario, content) for scenario in scenarios], broken


def run_folder(folder: Path, content_for: Callable[[Mapping[str, bytes]], BundleContent]
               ) -> tuple[list[Outcome], dict[str, str]]:
    """Run the scenarios of the bundle in ``folder`` (``loket models test``)."""
    files = read_bundle_files(folder)
    return run_all(files, content_for(files))


def mails_of(trace: ScenarioTrace) -> list[str]:
    """The texts the run sent, in order."""
    return [str(params.get("template") or "") if handler == "send_initiator_mail" else ESCALATION_TEXT
            for _element, handler, params in trace.services if handler in MAIL_HANDLERS]


def _difference(scenario: Scenario, trace: ScenarioTrace) -> str | None:
    expected = scenario.expected
    if trace.problem and trace.steps_done < len(scenario.steps):
        return f"na {trace.steps_done} van {len(scenario.steps)} stappen: {trace.problem}"
    if trace.problem:
        return trace.problem
    actual: dict[str, Any] = {
        "categorie": trace.data.get("categorie") or trace.data.get("categorie_voorstel"),
        "regel": trace.data.get("categorie_regel"),
        "pad": trace.path,
        "mails": mails_of(trace),
        "einde": trace.ended_at,
        "wacht_op": trace.waiting,
    }
    for key in EXPECTATIONS:
        if key not in expected:
            continue
        wanted, got = expected[key], actual[key]
        if isinstance(wanted, list) and isinstance(got, list):
            found = _first_list_difference(key, wanted, got)
            if found:
                return found
        elif wanted != got:
            return f"{key}: verwacht {_shown(wanted)}, maar het was {_shown(got)}"
    return None


def _first_list_difference(key: str, wanted: list[Any], got: list[Any]) -> str | None:
    for index, (want, have) in enumerate(zip(wanted, got, strict=False), start=1):
        if want != have:
            return f"{key}: op plaats {index} verwacht {_shown(want)}, maar het was {_shown(have)}"
    if len(wanted) > len(got):
        return f"{key}: verwacht ook nog {_shown(wanted[len(got):])}"
    if len(got) > len(wanted):
        return f"{key}: er kwam nog {_shown(got[len(wanted):])} bij"
    return None


def _shown(value: Any) -> str:
    if value is None:
        return "niets"
    return json.dumps(value, ensure_ascii=False)
