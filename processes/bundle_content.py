"""The forms and texts of a model bundle, as the loket reads them (the engine's ``BundleCatalog``).

A bundle holds, beside its diagrams and decision tables, the forms its tasks show
(``forms/<id>.json``), the texts it sends (``texts/<name>.<lang>.txt``, first line
``Onderwerp:``/``Subject:``) and its scenarios (``scenarios/<name>.json``). A case keeps the
bundle of its version, so a changed form or text reaches new initiatives only. Bundles deployed
before forms and texts were part of them read the ones shipped in ``bpmn_models/``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment, TemplateSyntaxError

from engine import BPMN_NS, ModelProblem, UnsafeXml, parse_xml
from forms import FieldError, FormDefinition, FormDefinitionError, FormNotFound, FormRegistry, FormSet, validate
from processes.scenario_files import is_scenario_file, scenarios_in
from processes.text_safety import unsafe_part
from processes.vocabulary import APPLICATION_TEXTS

TEXT_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<lang>nl|en)\.txt$")
SUBJECT_LABELS = ("Onderwerp", "Subject")
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
LITERAL = re.compile(r"""^\s*(['"])(?P<value>[^'"]*)\1\s*$""")


class BundleContent:
    """The forms and texts of one set of bundle files (name → content)."""

    def __init__(self, files: Mapping[str, bytes], shipped_forms: FormRegistry,
                 shipped_texts: Iterable[str] = ()) -> None:
        self.files = dict(files)
        own = FormSet({name: data for name, data in files.items() if not is_scenario_file(name)})
        self.own_forms = bool(own.files)
        self.registry: FormSet | FormRegistry = own if self.own_forms else shipped_forms
        self.texts = {PurePosixPath(name).name: data for name, data in files.items() if name.lower().endswith(".txt")}
        self._text_names = set(self.texts) if self.texts else set(shipped_texts)

    # forms ------------------------------------------------------------------------------------
    def exists(self, form_id: str) -> bool:
        return self.registry.exists(form_id)

    def ids(self) -> list[str]:
        return self.registry.ids()

    def get(self, form_id: str) -> FormDefinition:
        return self.registry.get(form_id)

    def definitions(self) -> list[FormDefinition]:
        return self.registry.definitions()

    def fields(self, form_id: str) -> list[str] | None:
        """The field names of a form (what the tasks after it may read); None when it does not exist."""
        try:
            return list(self.registry.get(form_id).fields)
        except (FormNotFound, FormDefinitionError):
            return None

    def errors(self, form_id: str, data: dict[str, Any]) -> list[FieldError]:
        try:
            definition = self.registry.get(form_id)
        except FormNotFound:
            return [FieldError(field="", message=f"Het formulier '{form_id}' bestaat niet.")]
        return validate(definition, data)

    def has_text(self, name: str) -> bool:
        return f"{name}.nl.txt" in self._text_names

    # checking ---------------------------------------------------------------------------------
    def problems(self) -> list[ModelProblem]:
        """Every mistake in the bundle's forms and texts, and every text a diagram names that
        the bundle does not have."""
        found = [*self._form_problems(), *self._text_problems()]
        return found + self._missing_texts() + self._scenario_problems()

    def _scenario_problems(self) -> list[ModelProblem]:
        _scenarios, broken = scenarios_in(self.files)
        return [ModelProblem(name, None, None, "scenario.invalid", f"Dit scenario klopt niet: {message}",
                             f"This scenario is not right: {message}") for name, message in broken.items()]

    def _form_problems(self) -> list[ModelProblem]:
        if not isinstance(self.registry, FormSet):
            return []
        found = [ModelProblem(name, None, None, "form.invalid", item.message("nl"), item.message("en"))
                 for name, items in self.registry.problems_per_file().items() for item in items]
        seen: dict[str, str] = {}
        for name in sorted(self.registry.files):
            stem = PurePosixPath(name).stem
            if stem in seen:
                found.append(ModelProblem(
                    name, None, None, "form.duplicate",
                    f"Er zijn twee formulieren '{stem}' ({seen[stem]} en {name}). Geef er één een andere naam.",
                    f"There are two forms '{stem}' ({seen[stem]} and {name}). Rename one of them."))
            seen[stem] = name
        return found

    def _text_problems(self) -> list[ModelProblem]:
        found: list[ModelProblem] = []
        environment = Environment(autoescape=False)  # noqa: S701 - mail texts are plain text
        for path, data in sorted(self.files.items()):
            if path.lower().endswith(".txt"):
                found.extend(_text_problems(environment, path, data))
        if self.texts:
            found.extend(ModelProblem(
                f"texts/{text}.nl.txt", None, None, "text.missing",
                f"De tekst '{text}' ontbreekt: het loket stuurt die zelf. Zet texts/{text}.nl.txt terug.",
                f"The text '{text}' is missing: the loket sends it itself. Put texts/{text}.nl.txt back.")
                for text in APPLICATION_TEXTS if not self.has_text(text))
        return found

    def _missing_texts(self) -> list[ModelProblem]:
        found: list[ModelProblem] = []
        for name, data in sorted(self.files.items()):
            if not name.lower().endswith(".bpmn"):
                continue
            for element_id, element_name, text in _named_texts(name, data):
                if not self.has_text(text):
                    found.append(ModelProblem(
                        name, element_id, element_name, "text.unknown",
                        f"Deze stap stuurt de tekst '{text}', maar die bestaat niet. "
                        f"Maak texts/{text}.nl.txt of kies een bestaande tekst.",
                        f"This step sends the text '{text}', which does not exist. "
                        f"Create texts/{text}.nl.txt or choose an existing text."))
        return found


def _text_problems(environment: Environment, path: str, data: bytes) -> list[ModelProblem]:
    name = PurePosixPath(path).name
    if not TEXT_NAME.fullmatch(name):
        return [ModelProblem(path, None, None, "text.name",
                             f"De naam '{name}' past niet: gebruik <naam>.nl.txt of <naam>.en.txt "
                             "(kleine letters, cijfers, - en _).",
                             f"The name '{name}' does not fit: use <name>.nl.txt or <name>.en.txt "
                             "(lower-case letters, digits, - and _).")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [ModelProblem(path, None, None, "text.encoding", "Sla de tekst op als UTF-8.",
                             "Save the text as UTF-8.")]
    first = text.partition("\n")[0]
    label, colon, subject = first.partition(":")
    if not colon or label.strip() not in SUBJECT_LABELS or not subject.strip():
        return [ModelProblem(path, None, None, "text.subject",
                             "De eerste regel moet het onderwerp zijn: 'Onderwerp: …' (of 'Subject: …').",
                             "The first line must be the subject: 'Subject: …' (or 'Onderwerp: …').")]
    try:
        unsafe = unsafe_part(environment, text)
    except TemplateSyntaxError as error:
        return [ModelProblem(path, None, None, "text.syntax",
                             f"Regel {error.lineno}: een {{{{ … }}}} of {{% … %}} klopt niet ({error.message}).",
                             f"Line {error.lineno}: a {{{{ … }}}} or {{% … %}} is not right ({error.message}).")]
    if unsafe is not None:
        return [ModelProblem(path, None, None, "text.unsafe", unsafe.message("nl"), unsafe.message("en"))]
    return []


def _named_texts(name: str, data: bytes) -> list[tuple[str | None, str | None, str]]:
    """(element id, element name, text) for every service task parameter ``template`` that
    names a text literally."""
    try:
        root = parse_xml(data, name)
    except UnsafeXml:
        return []  # the engine's own check reports it
    found = []
    for parameter in root.iter(f"{{{SPIFF_NS}}}parameter"):
        if parameter.get("id") != "template":
            continue
        literal = LITERAL.match(parameter.get("value") or "")
        if literal is None:
            continue
        task = next((parent for parent in parameter.iterancestors() if parent.tag.startswith(f"{{{BPMN_NS}}}")
                     and not parent.tag.endswith("}extensionElements")), None)
        found.append((task.get("id") if task is not None else None, task.get("name") if task is not None else None,
                      literal.group("value")))
    return found
