"""Proefdraaien in the browser: the owner's draft — the files in use with the owner's drafts in
their place — runs its scenarios, and a new scenario is recorded by walking the draft through its
own forms in a sandbox (in memory, as :mod:`processes.scenarios` runs them: no case, no mail, no
row). A recording is the start answers and the steps taken so far; every page replays it from the
start, so the browser holds nothing the server has to trust. Saving it keeps the scenario as the
owner's draft (``scenarios/<name>.json``), with what happened as what is expected."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from engine import ScenarioOpenTask, ScenarioTrace
from forms import FieldError, FormDefinition, FormNotFound, clean
from forms.coerce import RawForm
from processes import scenarios, studio, studio_drafts
from processes.bundle_content import BundleContent
from processes.errors import UseCaseError
from processes.intake import with_organisation_choices
from processes.loket import Loket
from processes.scenario_files import SCENARIO_FOLDER, ScenarioInvalid, parse_scenario
from processes.scenarios import Outcome

MAX_RECORDING_BYTES = 256 * 1024
"""A recording travels with each page; one far larger than any real walk is refused."""
MAX_STEPS = 60


class RecordingInvalid(UseCaseError):
    """The recording cannot go on (``code``: ``invalid`` or ``too_large`` – what the browser sent
    back cannot be read; ``no_start_form``; ``not_waiting`` – the draft does not wait at that
    task; ``no_title``; ``not_runnable`` – the draft cannot run the recording to a stop)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class Recording:
    start: dict[str, Any] = field(default_factory=dict)
    steps: tuple[dict[str, Any], ...] = ()
    started: bool = False

    def as_json(self) -> str:
        return json.dumps({"start": self.start, "stappen": list(self.steps), "gestart": self.started},
                          ensure_ascii=False, separators=(",", ":"))

    def with_step(self, step: dict[str, Any]) -> Recording:
        return Recording(self.start, (*self.steps, step), True)

    def undone(self) -> Recording:
        """One step back (before the first step: back to the start form)."""
        if self.steps:
            return Recording(self.start, self.steps[:-1], True)
        return Recording(self.start, (), False)


def read_recording(text: str | None) -> Recording:
    if not text:
        return Recording()
    if len(text.encode("utf-8")) > MAX_RECORDING_BYTES:
        raise RecordingInvalid("too_large")
    try:
        raw = json.loads(text)
        steps = raw.get("stappen") or [] if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(steps, list) or len(steps) > MAX_STEPS:
            raise RecordingInvalid("invalid")
        # the scenario parser is the authority on what a step may be
        parse_scenario("opname.json", json.dumps({"start": raw.get("start") or {}, "stappen": steps}).encode())
    except (ValueError, AttributeError, ScenarioInvalid) as error:
        raise RecordingInvalid("invalid") from error
    return Recording(dict(raw.get("start") or {}), tuple(steps), bool(raw.get("gestart")))


@dataclass(frozen=True)
class DraftBundle:
    """The files the owner's proefdraaien runs on, and which of them are the owner's drafts."""

    files: dict[str, bytes]
    drafts: list[str]
    content: BundleContent


def draft_bundle(loket: Loket, owner: str) -> DraftBundle:
    files = studio.bundle_in_use(loket)
    mine = {info.name for info in studio_drafts.list_for(loket, owner)}
    drafts = studio_drafts.load_many(loket, owner, mine)
    for name, draft in drafts.items():
        files[name] = draft.content.encode("utf-8")
    return DraftBundle(files, sorted(drafts), loket.bundle_content(files))


@dataclass(frozen=True)
class ScenarioRun:
    outcomes: list[Outcome]
    broken: dict[str, str]
    drafts: list[str]

    @property
    def failed(self) -> int:
        return sum(not outcome.passed for outcome in self.outcomes) + len(self.broken)


def run_draft(loket: Loket, owner: str) -> ScenarioRun:
    """Every scenario of the owner's draft (their draft scenarios included) run on it."""
    bundle = draft_bundle(loket, owner)
    outcomes, broken = scenarios.run_all(bundle.files, bundle.content)
    return ScenarioRun(outcomes, broken, bundle.drafts)


@dataclass(frozen=True)
class Position:
    """Where the recording has brought the draft: what it waits for, or how it ended."""

    recording: Recording
    trace: ScenarioTrace
    start_form: FormDefinition | None
    forms: dict[str, FormDefinition]
    """The form of each open task (element id → form)."""

    @property
    def open_tasks(self) -> list[ScenarioOpenTask]:
        return self.trace.open_tasks if self.recording.started else []

    @property
    def messages(self) -> list[str]:
        if not self.recording.started:
            return []
        return [item.removeprefix("bericht:") for item in self.trace.waiting if item.startswith("bericht:")]

    @property
    def mails(self) -> list[str]:
        return scenarios.mails_of(self.trace)


def _stand_in_run(bundle: DraftBundle, recording: Recording) -> ScenarioTrace:
    scenario = parse_scenario("opname.json", json.dumps({
        "start": recording.start, "stappen": list(recording.steps)}).encode())
    return scenarios.run(bundle.files, scenario, bundle.content).trace


def _form(loket: Loket, content: BundleContent, form_id: str | None) -> FormDefinition | None:
    if not form_id:
        return None
    try:
        definition = content.get(form_id)
    except FormNotFound:
        return None
    with loket.reading() as session:
        return with_organisation_choices(definition, session)


def position(loket: Loket, owner: str, recording: Recording) -> Position:
    bundle = draft_bundle(loket, owner)
    trace = _stand_in_run(bundle, recording)
    forms = {task.element: found for task in trace.open_tasks
             if (found := _form(loket, bundle.content, task.form)) is not None}
    return Position(recording, trace, _form(loket, bundle.content, trace.start_form), forms)


@dataclass(frozen=True)
class Answered:
    recording: Recording
    values: dict[str, Any]
    errors: list[FieldError]


def answer_start(loket: Loket, owner: str, recording: Recording, posted: RawForm, lang: str) -> Answered:
    """The start form filled in: the recording starts (or the answers and what is wrong with them)."""
    here = position(loket, owner, Recording())
    if here.start_form is None:
        raise RecordingInvalid("no_start_form")
    values, errors = clean(here.start_form, posted, step=None, lang=lang)
    if errors:
        return Answered(recording, values, errors)
    return Answered(Recording(values, (), True), values, [])


def answer_task(loket: Loket, owner: str, recording: Recording, element: str, posted: RawForm,
                lang: str) -> Answered:
    """A task the draft waits at completed with the answers posted."""
    here = position(loket, owner, recording)
    if element not in {task.element for task in here.open_tasks}:
        raise RecordingInvalid("not_waiting")
    form = here.forms.get(element)
    values, errors = (clean(form, posted, step=None, lang=lang, context=here.trace.data)
                      if form is not None else ({}, []))
    if errors:
        return Answered(recording, values, errors)
    return Answered(recording.with_step({"taak": element, "antwoorden": values}), values, [])


def receive_message(recording: Recording, message: str) -> Recording:
    return recording.with_step({"bericht": message, "gegevens": {}})


def let_time_pass(recording: Recording, working_days: int) -> Recording:
    return recording.with_step({"wacht": {"werkdagen": working_days}})


def file_name(title: str) -> str:
    """``scenarios/<name>.json`` for a scenario's title (letters, digits and underscores)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:60] or "scenario"
    return f"{SCENARIO_FOLDER}/opgenomen_{slug}.json"


def scenario_json(title: str, here: Position) -> str:
    """The recording as a scenario file, with what happened as what is expected."""
    trace = here.trace
    expected: dict[str, Any] = {
        "categorie": trace.data.get("categorie") or trace.data.get("categorie_voorstel"),
        "regel": trace.data.get("categorie_regel"),
        "pad": trace.path,
        "mails": here.mails,
    }
    expected = {key: value for key, value in expected.items() if value is not None}
    if trace.ended_at:
        expected["einde"] = trace.ended_at
    else:
        expected["wacht_op"] = trace.waiting
    document = {"naam": title, "start": here.recording.start, "stappen": list(here.recording.steps),
                "verwacht": expected}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def save(loket: Loket, owner: str, title: str, recording: Recording) -> str:
    """Keep the recording as the owner's draft scenario; its file name. Refused (RecordingInvalid)
    while the draft cannot run the recording to a stop."""
    title = " ".join(title.split())[:120]
    if not title:
        raise RecordingInvalid("no_title")
    here = position(loket, owner, recording)
    if not recording.started or here.trace.problem:
        raise RecordingInvalid("not_runnable")
    name = file_name(title)
    studio_drafts.save(loket, owner, name, scenario_json(title, here))
    return name


def deploy_drafts(loket: Loket, owner: str, *, note: str | None, reason: str | None
                  ) -> tuple[studio.Check, Any] | None:
    """Put all the owner's drafts into use at once (None when there are none)."""
    bundle = draft_bundle(loket, owner)
    if not bundle.drafts:
        return None
    uploaded = {name: bundle.files[name] for name in bundle.drafts}
    return studio_drafts.deploy(loket, uploaded, actor=owner, note=note, reason=reason)

