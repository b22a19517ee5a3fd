"""The process owner's form editor: a form of the bundle in use (``forms/<id>.json``) opened as
JSON, previewed as the loket shows it, and checked and put into use together with the rest of
the bundle (:mod:`processes.studio`), so versioning is the same as for a diagram: new initiatives
get the changed form, running ones keep the form of their version. A new form starts as a small
valid form and becomes part of the bundle when it is put into use."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from engine import MAX_MODEL_BYTES, DeployResult, ModelProblem
from forms import FormDefinition, find_problems, parse_definition
from forms.checks import ID_PATTERN
from processes import studio, studio_drafts
from processes.errors import InvalidInput, UseCaseError
from processes.intake import with_organisation_choices
from processes.loket import Loket
from processes.scenario_files import is_scenario_file, looks_like_scenario

FORMS_FOLDER = "forms"
MAX_DEPTH = 40
"""Deeper nesting than this is no form (and would only cost the parser and the check)."""
MAX_ID_LENGTH = 60
MAX_TITLE_LENGTH = 200
STARTER_FIELD = "toelichting"

NEW_FORM = parse_definition({
    "id": "nieuw_formulier",
    "title": {"nl": "Nieuw formulier", "en": "New form"},
    "schema": {"type": "object", "required": ["id", "titel"], "properties": {
        "id": {"type": "string", "maxLength": MAX_ID_LENGTH, "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "titel": {"type": "string", "maxLength": MAX_TITLE_LENGTH},
        "titel_en": {"type": "string", "maxLength": MAX_TITLE_LENGTH},
    }},
    "fields": {
        "id": {"label": {"nl": "Id van het formulier", "en": "Form id"},
               "phrase": {"nl": "het id van het formulier", "en": "the form id"},
               "help": {"nl": "Kleine letters, cijfers, - en _, bijvoorbeeld buurtbudget_beoordelen. Dit wordt de "
                              "bestandsnaam. In het procesmodel kiest u het formulier met dit id bij een taak.",
                        "en": "Lower-case letters, digits, - and _, for example buurtbudget_beoordelen. This becomes "
                              "the file name. In the process model you choose the form with this id for a task."},
               "messages": {"pattern": {"nl": "Gebruik voor het id alleen kleine letters, cijfers, - en _, en begin "
                                              "met een letter of cijfer.",
                                        "en": "Use only lower-case letters, digits, - and _ for the id, and start "
                                              "with a letter or digit."}}},
        "titel": {"label": {"nl": "Titel (Nederlands)", "en": "Title (Dutch)"},
                  "phrase": {"nl": "de Nederlandse titel", "en": "the Dutch title"},
                  "help": {"nl": "Wat de medewerker of initiatiefnemer boven het formulier ziet.",
                           "en": "What the employee or initiator sees above the form."}},
        "titel_en": {"label": {"nl": "Titel (Engels)", "en": "Title (English)"},
                     "phrase": {"nl": "de Engelse titel", "en": "the English title"}},
    },
})
"""The question the "Nieuw formulier" page asks (checked like every form of the loket)."""


class FormExists(UseCaseError):
    """There is already a file with this form's name in the bundle in use."""

    def __init__(self, form_id: str, name: str) -> None:
        self.form_id = form_id
        self.name = name
        super().__init__(f"{form_id}: {name}")


@dataclass(frozen=True)
class EditableForm:
    """A form as the editor opens it: its place in the bundle, its id and its JSON text."""

    name: str
    form_id: str
    text: str
    new: bool = False


@dataclass(frozen=True)
class Message:
    """A sentence for the process owner, in Dutch and in English."""

    nl: str
    en: str

    def text(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class Preview:
    """The form as the loket would show it (``definition``), or what is wrong with it."""

    definition: FormDefinition | None
    problems: list[str]


def form_id_of(name: str) -> str | None:
    """The form id of a bundle path that can hold a form (``forms/intake.json`` → ``intake``);
    None for scenarios and anything else."""
    path = PurePosixPath(name)
    if path.suffix != ".json" or is_scenario_file(name):
        return None
    return path.stem if ID_PATTERN.fullmatch(path.stem) else None


def form_in_use(loket: Loket, name: str) -> EditableForm | None:
    """A form of the bundle in use, to edit; None when ``name`` is not one."""
    form_id = form_id_of(name)
    content = studio.file_in_use(loket, name) if form_id else None
    if form_id is None or content is None:
        return None
    return EditableForm(name, form_id, content.decode("utf-8"))


def editable_name(loket: Loket, name: str) -> str | None:
    """``name`` when the editor may send it: a form in use, or ``forms/<id>.json`` for a new form
    whose file name no file in use has (a new form must not replace a scenario of that name)."""
    form_id = form_id_of(name)
    if form_id is None:
        return None
    in_use = studio.files_in_use(loket)
    if name in in_use:
        return name
    taken = any(PurePosixPath(other).name == f"{form_id}.json" for other in in_use)
    return name if name == f"{FORMS_FOLDER}/{form_id}.json" and not taken else None


def new_form(loket: Loket, form_id: str, title_nl: str, title_en: str = "") -> EditableForm:
    """A small valid form with this id and title, not yet in use (FormExists when the bundle has
    a file of that name: then open that one; InvalidInput for an id or title that cannot be used)."""
    problems = {"id": "invalid"} if not ID_PATTERN.fullmatch(form_id) or len(form_id) > MAX_ID_LENGTH else {}
    problems |= {"titel": "required"} if not title_nl.strip() else {}
    if problems:
        raise InvalidInput(problems)
    name = f"{FORMS_FOLDER}/{form_id}.json"
    for other in studio.files_in_use(loket):
        if PurePosixPath(other).name == f"{form_id}.json":
            raise FormExists(form_id, other)
    title = {"nl": title_nl.strip()} | ({"en": title_en.strip()} if title_en.strip() else {})
    raw = {
        "id": form_id,
        "title": title,
        "schema": {"type": "object", "properties": {STARTER_FIELD: {"type": "string", "maxLength": 2000}},
                   "required": []},
        "fields": {STARTER_FIELD: {"label": {"nl": "Toelichting", "en": "Explanation"}, "widget": "textarea"}},
    }
    return EditableForm(name, form_id, formatted(raw), new=True)


def formatted(raw: Any) -> str:
    """A form's JSON as the bundle keeps it (two spaces, UTF-8 as it is, a newline at the end)."""
    return json.dumps(raw, ensure_ascii=False, indent=2) + "\n"


def _depth(value: Any) -> int:
    """How deep lists and objects are nested (without recursion, so any input is safe)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in (current.values() if isinstance(current, dict)
                                                               else current))
    return deepest


def read_json(text: str) -> tuple[Any, Message | None]:
    """The JSON of a form, or why it cannot be read (in words a process owner understands)."""
    if len(text.encode("utf-8")) > MAX_MODEL_BYTES:
        return None, Message("Het formulier is groter dan 5 MB.", "The form is larger than 5 MB.")
    too_deep = Message(f"Het formulier is te diep genest (meer dan {MAX_DEPTH} niveaus).",
                       f"The form is nested too deeply (more than {MAX_DEPTH} levels).")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, Message(
            f"Dit is geen geldige JSON (regel {error.lineno}, teken {error.colno}). Kijk of er een komma, "
            "aanhalingsteken of haakje ontbreekt of te veel is.",
            f"This is not valid JSON (line {error.lineno}, character {error.colno}). Check for a missing or "
            "extra comma, quote or bracket.")
    except RecursionError:
        return None, too_deep
    return (None, too_deep) if _depth(raw) > MAX_DEPTH else (raw, None)


def preview(loket: Loket, name: str, text: str, lang: str = "nl") -> Preview:
    """The edited form as the loket would show it now (choices from the organisation, such as the
    districts, filled in), or every mistake ``forms.find_problems`` finds, in ``lang``."""
    raw, unreadable = read_json(text)
    if unreadable is not None:
        return Preview(None, [unreadable.text(lang)])
    found = find_problems(raw, expected_id=form_id_of(name))
    if found:
        return Preview(None, [problem.message(lang) for problem in found])
    definition = parse_definition(raw)
    with loket.reading() as session:
        return Preview(with_organisation_choices(definition, session), [])


def _upload(name: str, data: bytes) -> tuple[dict[str, bytes], studio.Check | None]:
    """The form to merge into the bundle, tidied as the bundle keeps its forms, or a check that
    refuses it (it cannot be read as JSON; then the rest of the bundle does not matter yet)."""
    try:
        raw, unreadable = read_json(data.decode("utf-8"))
    except UnicodeDecodeError:
        raw, unreadable = None, Message("Sla het formulier op als UTF-8.", "Save the form as UTF-8.")
    if unreadable is None and looks_like_scenario(data):  # it would be put with the scenarios
        unreadable = Message("Dit is geen formulier: een formulier heeft een 'schema' met de vragen.",
                             "This is not a form: a form has a 'schema' with the questions.")
    if unreadable is not None:
        problem = ModelProblem(name, None, None, "form.invalid", unreadable.nl, unreadable.en)
        return {}, studio.Check([], [], [problem])
    return {PurePosixPath(name).name: formatted(raw).encode("utf-8")}, None


def check(loket: Loket, name: str, data: bytes) -> studio.Check:
    """What putting this form into use would find in the whole bundle; changes nothing."""
    files, refused = _upload(name, data)
    return refused or studio.check(loket, files)


def deploy(loket: Loket, name: str, data: bytes, *, actor: str, note: str | None = None,
           reason: str | None = None) -> tuple[studio.Check, DeployResult | None]:
    """Put the bundle in use with this form in place, when the whole bundle passes the check:
    a new version for every process, so running initiatives keep the form they started with."""
    files, refused = _upload(name, data)
    if refused is not None:
        return refused, None
    what = (note or "").strip() or f"Formulier {PurePosixPath(name).name} gewijzigd in de formulier-editor."
    return studio_drafts.deploy(loket, files, actor=actor, note=what, reason=reason)
