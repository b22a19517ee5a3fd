"""Check uploaded BPMN/DMN models against the loket's conventions; report every problem.

:func:`validate_files` never raises: whatever bytes it gets, it returns a list of
:class:`~engine.errors.ModelProblem` (empty when the models can be deployed). Each problem names
the file and element, has a stable ``code`` and says in Dutch (and English) what to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.bundle import BundleCatalog, CatalogFor, engine_files
from engine.dmn_checks import dmn_problems
from engine.errors import ModelProblem
from engine.model_checks import (
    HELPERS,
    STRUCTURAL,
    DataContext,
    FormFields,
    check_candidate_groups,
    check_flows,
    check_loop_rounds,
    check_names,
    check_properties,
    check_start_forms,
    expression_problems,
    known_names,
)
from engine.parsing import (
    NSMAP,
    ModelDocument,
    build_parser,
    build_specs,
    make_problem,
    read_documents,
    read_paths,
    unexpected_problem,
)
from engine.preview import TimerKind, preview_timer
from engine.sandbox import Mode

Exists = Callable[[str], bool]
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"

# code -> (Dutch, English); {placeholders} are filled with values from the model.
# fmt: off
MESSAGES: dict[str, tuple[str, str]] = {
    "model.no_files": ("Er zijn geen .bpmn- of .dmn-bestanden gevonden.", "No .bpmn or .dmn files found."),
    "model.no_process": ("Er staat geen enkel proces in de modellen. Teken een proces (bpmn:process).",
                         "The models contain no process at all. Draw a process (bpmn:process)."),
    "model.no_executable_process": (
        "Geen enkel proces is uitvoerbaar. Zet 'isExecutable' op true bij het proces dat de engine moet uitvoeren.",
        "No process is executable. Set 'isExecutable' to true on the process the engine should run."),
    "process.missing_id": ("Een proces heeft geen id. Geef het proces een id.", "A process has no id. Give it an id."),
    "process.no_start_event": ("Dit proces heeft geen startgebeurtenis. Voeg een startgebeurtenis toe.",
                               "This process has no start event. Add a start event."),
    "element.reserved_id": (
        "Het id '{id}' is gereserveerd door de engine; het element zou stil worden overgeslagen. Kies een ander id.",
        "The id '{id}' is reserved by the engine; the element would be skipped silently. Choose another id."),
    "property.incomplete": ("Een eigenschap (spiffworkflow:property) mist 'name' of 'value'. Vul beide in.",
                            "A property (spiffworkflow:property) lacks 'name' or 'value'. Fill in both."),
    "usertask.form_missing": ("Deze gebruikerstaak heeft geen formulier. Voeg de eigenschap formId toe.{hint_nl}",
                              "This user task has no form. Add the formId property.{hint_en}"),
    "usertask.form_unknown": (
        "Het formulier '{form}' bestaat niet. Maak forms/{form}.json of kies een bestaand formulier.",
        "The form '{form}' does not exist. Create forms/{form}.json or choose an existing form."),
    "servicetask.operator_missing": (
        "Deze servicetaak noemt geen handler. Voeg spiffworkflow:serviceTaskOperator met een id toe "
        "(camunda:class, delegateExpression of topic worden niet gelezen).",
        "This service task names no handler. Add spiffworkflow:serviceTaskOperator with an id "
        "(camunda:class, delegateExpression or topic are not read)."),
    "servicetask.handler_unknown": (
        "De handler '{handler}' bestaat niet. Kies een handler die in processes/ is geregistreerd.",
        "The handler '{handler}' does not exist. Choose a handler registered in processes/."),
    "servicetask.parameter_incomplete": (
        "Een parameter van deze servicetaak mist 'id', 'type' of 'value'. Vul ze alle drie in.",
        "A parameter of this service task lacks 'id', 'type' or 'value'. Fill in all three."),
    "scripttask.script_missing": ("Deze scripttaak heeft geen script. Schrijf het script (Python) in de taak.",
                                  "This script task has no script. Write the (Python) script in the task."),
    "callactivity.called_element_missing": (
        "Deze aanroepactiviteit noemt geen proces. Vul calledElement in met het id van een proces.",
        "This call activity names no process. Set calledElement to the id of a process."),
    "callactivity.unknown_process": (
        "Het proces '{called}' bestaat niet in deze modellen of is niet uitvoerbaar. Controleer calledElement.",
        "The process '{called}' does not exist in these models or is not executable. Check calledElement."),
    "businessrule.decision_missing": (
        "Deze bedrijfsregeltaak noemt geen beslistabel. Vul spiffworkflow:calledDecisionId in "
        "(camunda:decisionRef wordt niet gelezen).",
        "This business rule task names no decision. Fill in spiffworkflow:calledDecisionId "
        "(camunda:decisionRef is not read)."),
    "businessrule.unknown_decision": (
        "De beslissing '{decision}' staat in geen enkel DMN-bestand. Controleer het id of voeg de tabel toe.",
        "The decision '{decision}' is not in any DMN file. Check the id or add the table."),
    "timer.missing": (
        'Deze timer heeft geen tijd. Vul timeDuration (bijv. "P10D") of timeDate (bijv. werkdagen(10)) in.',
        'This timer has no time. Fill in timeDuration (e.g. "P10D") or timeDate (e.g. werkdagen(10)).'),
    "timer.invalid": ("De timer ({kind_nl}) is ongeldig: {detail_nl} Schrijf bijvoorbeeld {example}.",
                      "The timer ({kind_en}) is invalid: {detail_en} Write for example {example}."),
    "expression": ("{what_nl} kan zo niet worden gebruikt: {detail_nl}", "{what_en} cannot be used as is: {detail_en}"),
}
_TIMER_KINDS: dict[TimerKind, tuple[str, str, str]] = {
    "timeDate": ("datum/tijd", "date/time", "werkdagen(10)"),
    "timeDuration": ("duur", "duration", '"P10D"'),
    "timeCycle": ("herhaling", "cycle", '"R3/P1D"'),
}
# fmt: on
# SpiffWorkflow names its own task specs like this; an element with such an id is mistaken for them.
_RESERVED_IDS = frozenset({"Start", "End", "Root", "StartEventSplit", "StartEventJoin"})
_RESERVED_SUFFIXES = (".EndJoin", ".BoundaryEventSplit", ".BoundaryEventJoin", " [child]")


_ASSIGNMENT = (("candidateGroups", "expression.candidate_groups"), ("assignee", "expression.assignee"))
_HELPERS = HELPERS


@dataclass
class _Context:
    process_ids: set[str]
    decision_ids: set[str]
    complete: bool  # every file was loaded, so references to other files can be checked
    form_exists: Exists
    handler_exists: Exists
    data: DataContext | None = None  # None: what expressions read is not checked (no forms given)


def _problem(file: str, code: str, element: Any = None, message: str | None = None, **values: Any) -> ModelProblem:
    nl, en = MESSAGES[message or code]
    return make_problem(file, code, nl.format(**values), en.format(**values), element)


def _xpath(node: Any, path: str) -> list[Any]:
    return list(node.xpath(path, namespaces=NSMAP))


def _extension(element: Any, name: str) -> list[Any]:
    return _xpath(element, f"./bpmn:extensionElements/spiffworkflow:{name}")


def _properties(element: Any) -> dict[str, str]:
    nodes = _xpath(element, "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property")
    return {node.get("name"): node.get("value") for node in nodes if node.get("name") and node.get("value")}


def _ask(exists: Exists, name: str) -> bool:
    try:
        return bool(exists(name))
    except Exception:  # a broken lookup means "not found", never a crash
        return False


_expression = expression_problems


# --- element checks (each gets one process element) ------------------------------------------


def _check_reserved_ids(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for element in _xpath(process, ".//bpmn:*[@id]"):
        element_id = element.get("id")
        if element_id in _RESERVED_IDS or element_id.endswith(_RESERVED_SUFFIXES):
            yield _problem(file, "element.reserved_id", element, id=element_id)


def _check_properties(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for prop in _xpath(process, ".//spiffworkflow:property[not(@name) or not(@value)]"):
        yield _problem(file, "property.incomplete", (_xpath(prop, "ancestor::bpmn:*[@id][1]") or [None])[0])


def _check_user_tasks(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for task in _xpath(process, ".//bpmn:userTask"):
        props = _properties(task)
        form = props.get("formId", "").strip()
        if not form:
            key = task.get(f"{{{CAMUNDA_NS}}}formKey")
            hint_nl = f" (camunda:formKey '{key}' wordt niet gelezen.)" if key else ""
            hint_en = f" (camunda:formKey '{key}' is not read.)" if key else ""
            yield _problem(file, "usertask.form_missing", task, hint_nl=hint_nl, hint_en=hint_en)
        elif not _ask(ctx.form_exists, form):
            yield _problem(file, "usertask.form_unknown", task, form=form)
        for name, code in _ASSIGNMENT:
            if name in props:
                what = (f"De eigenschap {name}", f"The property {name}")
                yield from _expression(file, task, props[name], "eval", code, what)


def _check_service_tasks(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for task in _xpath(process, ".//bpmn:serviceTask"):
        operators = [op for op in _extension(task, "serviceTaskOperator") if op.get("id")]
        if not operators:
            yield _problem(file, "servicetask.operator_missing", task)
            continue
        if not _ask(ctx.handler_exists, operators[0].get("id")):
            yield _problem(file, "servicetask.handler_unknown", task, handler=operators[0].get("id"))
        for param in _xpath(operators[0], ".//spiffworkflow:parameter"):
            name, value = param.get("id"), param.get("value")
            if not name or value is None or param.get("type") is None:
                yield _problem(file, "servicetask.parameter_incomplete", task)
                continue
            what = (f"De parameter '{name}'", f"The parameter '{name}'")
            yield from _expression(file, task, value, "eval", "expression.parameter", what)


def _check_scripts(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for task in _xpath(process, ".//bpmn:scriptTask"):
        scripts = _xpath(task, "./bpmn:script")
        source = scripts[0].text if scripts else None
        if source is None or not source.strip():
            yield _problem(file, "scripttask.script_missing", task)
        else:
            yield from _expression(file, task, source, "exec", "expression.script", ("Het script", "The script"))


# (xpath, code, mode, what) of the other code SpiffWorkflow runs in the sandbox.
# fmt: off
_EXPRESSIONS: tuple[tuple[str, str, Mode, tuple[str, str]], ...] = (
    ("bpmn:sequenceFlow/bpmn:conditionExpression", "condition", "eval",
     ("De voorwaarde op deze pijl", "The condition on this flow")),
    ("bpmn:extensionElements/spiffworkflow:preScript", "prescript", "exec", ("Het pre-script", "The pre-script")),
    ("bpmn:extensionElements/spiffworkflow:postScript", "postscript", "exec", ("Het post-script", "The post-script")),
    ("bpmn:conditionalEventDefinition/bpmn:condition", "other", "eval",
     ("De voorwaarde van deze gebeurtenis", "The event condition")),
    ("bpmn:loopCardinality", "other", "eval", ("Het aantal herhalingen", "The loop cardinality")),
    ("bpmn:completionCondition", "other", "eval", ("De stopvoorwaarde", "The completion condition")),
    ("bpmn:loopCondition", "other", "eval", ("De herhaalvoorwaarde", "The loop condition")),
    ("bpmn:extensionElements/spiffworkflow:payloadExpression", "other", "eval", ("De signaalinhoud", "The payload")),
)
# fmt: on


def _check_expressions(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for path, code, mode, what in _EXPRESSIONS:
        for node in _xpath(process, f".//{path}"):
            if node.text is None and code == "condition":
                continue  # without text SpiffWorkflow treats the flow as unconditional
            owner = (_xpath(node, "ancestor::bpmn:*[@id][1]") or [None])[0]
            yield from _expression(file, owner, node.text or "", mode, f"expression.{code}", what)


def _check_call_activities(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for call in _xpath(process, ".//bpmn:callActivity"):
        called = (call.get("calledElement") or "").strip()
        if not called:
            yield _problem(file, "callactivity.called_element_missing", call)
        elif ctx.complete and called not in ctx.process_ids:
            yield _problem(file, "callactivity.unknown_process", call, called=called)


def _check_business_rules(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for task in _xpath(process, ".//bpmn:businessRuleTask"):
        refs = _extension(task, "calledDecisionId")
        decision = (refs[0].text or "").strip() if refs else ""
        if not decision:
            yield _problem(file, "businessrule.decision_missing", task)
        elif ctx.complete and decision not in ctx.decision_ids:
            yield _problem(file, "businessrule.unknown_decision", task, decision=decision)


# --- timers ------------------------------------------------------------------------------------


def _check_timers(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    for definition in _xpath(process, ".//bpmn:timerEventDefinition"):
        event = definition.getparent()
        found = [(kind, node) for kind in _TIMER_KINDS for node in _xpath(definition, f"./bpmn:{kind}")]
        if not found or not (found[0][1].text or "").strip():
            yield _problem(file, "timer.missing", event)
            continue
        kind, source = found[0][0], found[0][1].text
        syntax = _expression(file, event, source, "eval", "timer.expression", ("De timer", "The timer"))
        yield from syntax
        failure = None if syntax else preview_timer(source, kind)
        if failure is not None:
            kind_nl, kind_en, example = _TIMER_KINDS[kind]
            details = {"detail_nl": failure[0], "detail_en": failure[1], "example": example}
            yield _problem(file, "timer.invalid", event, kind_nl=kind_nl, kind_en=kind_en, **details)


def _check_loket_properties(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    yield from check_properties(ctx.data or DataContext(), file, process)
    yield from check_start_forms(ctx.data or DataContext(), file, process, ctx.form_exists)
    yield from check_flows(ctx.data or DataContext(), file, process)
    yield from check_loop_rounds(ctx.data or DataContext(), file, process)


def _check_data(ctx: _Context, file: str, process: Any) -> Iterator[ModelProblem]:
    if ctx.data is not None:
        yield from check_names(ctx.data, file, process)
        yield from check_candidate_groups(ctx.data, file, process)


_ELEMENT_CHECKS: tuple[Callable[[_Context, str, Any], Iterator[ModelProblem]], ...] = (
    _check_reserved_ids, _check_properties, _check_user_tasks, _check_service_tasks, _check_scripts,
    _check_expressions, _check_timers, _check_call_activities, _check_business_rules, _check_loket_properties,
    _check_data,
)  # fmt: skip


# --- putting it together -----------------------------------------------------------------------


def _processes(documents: Sequence[ModelDocument]) -> list[tuple[str, Any]]:
    return [
        (doc.filename, process)
        for doc in documents
        if doc.kind == "bpmn"
        for process in _xpath(doc.root, "./bpmn:process")
    ]


def _process_problems(files: Sequence[str], processes: list[tuple[str, Any]], complete: bool) -> list[ModelProblem]:
    if not files:
        return [_problem("", "model.no_files")]
    if not processes:  # when a file could not be read, its processes are unknown: say nothing more
        return [_problem(files[0], "model.no_process")] if complete else []
    problems = [_problem(file, "process.missing_id", process) for file, process in processes if not process.get("id")]
    executable = [(file, p) for file, p in processes if p.get("isExecutable", "true") == "true"]
    if not executable and complete:
        problems.append(_problem(processes[0][0], "model.no_executable_process"))
    for file, process in executable:
        if not _xpath(process, "./bpmn:startEvent"):
            problems.append(_problem(file, "process.no_start_event", process))
    return problems


def _safely(file: str, check: Callable[..., Iterator[ModelProblem]], *args: Any) -> list[ModelProblem]:
    try:
        return list(check(*args))
    except Exception as error:  # one broken check must not hide the others' findings
        return [unexpected_problem(file, error)]


def _validate(files: Mapping[str, bytes], form_exists: Exists, handler_exists: Exists,
              data: _DataInput | None) -> list[ModelProblem]:
    documents, problems = read_documents(files)
    parser, parse_problems = build_parser(documents)
    processes, complete = _processes(documents), len(documents) == len(files)
    ours = _process_problems(list(files), processes, complete)
    executable = [(f, p) for f, p in processes if p.get("isExecutable", "true") == "true"]
    ctx = _Context(
        process_ids={p.get("id") for _, p in executable},
        decision_ids=set(parser.dmn_parsers),
        complete=complete,
        form_exists=form_exists,
        handler_exists=handler_exists,
        data=data.context(documents) if data is not None else None,
    )
    for file, process in executable or processes:  # nothing executable: still show all the work
        for check in _ELEMENT_CHECKS:
            ours.extend(_safely(file, check, ctx, file, process))
    for doc in documents:
        if doc.kind == "dmn":
            ours.extend(_safely(doc.filename, dmn_problems, doc, ctx.data))
    problems += _new_findings(ours, parse_problems) + ours
    return problems + _new_findings(problems, build_specs(parser))


def _new_findings(known: list[ModelProblem], found: list[ModelProblem]) -> list[ModelProblem]:
    """SpiffWorkflow's findings, minus those about an element we already reported (ours say
    more) and those about a file whose structure we found broken (the library's follow from it)."""
    elements = {(p.file, p.element_id) for p in known if p.element_id}
    files = {p.file for p in known if p.code in STRUCTURAL}
    messages = {p.message_en for p in known}
    return [p for p in found
            if (p.file, p.element_id) not in elements and p.file not in files and p.message_en not in messages]


@dataclass(frozen=True)
class Organisation:
    """What the organisation has now, for trying candidate groups: the team codes, and the
    districts (the values of ``district_field`` an expression such as ``'regiegroep-' + wijk`` may get)."""

    teams: frozenset[str]
    districts: tuple[str, ...]
    district_field: str


@dataclass(frozen=True)
class _DataInput:
    form_fields: FormFields
    organisation: Organisation | None

    def context(self, documents: Sequence[ModelDocument]) -> DataContext:
        org = self.organisation
        if org is None or not org.teams:  # a new database without teams yet: nothing to try against
            return DataContext(known_names(documents, self.form_fields))
        return DataContext(known_names(documents, self.form_fields), org.teams, org.districts, org.district_field)


def validate_files(
    files: Mapping[str, bytes], *, form_exists: Exists, handler_exists: Exists, form_fields: FormFields | None = None,
    organisation: Organisation | None = None, catalog: BundleCatalog | None = None,
) -> list[ModelProblem]:
    """Every problem in the given bundle files (name → bytes); deployable when none is blocking.

    With ``form_fields`` (a form id's field names) every name an expression reads is checked;
    with ``organisation`` every candidate group is tried for every district against the teams.
    With ``catalog`` the bundle's own forms and texts are read (and checked) by it."""
    if catalog is not None:
        form_exists, form_fields = catalog.exists, catalog.fields
    data = None if form_fields is None else _DataInput(form_fields, organisation)
    try:
        found = _validate(engine_files(files), form_exists, handler_exists, data)
        return [*(catalog.problems() if catalog is not None else []), *found]
    except Exception as error:
        return [unexpected_problem(", ".join(map(str, files)), error)]


def validate_paths(paths: Sequence[Path], *, form_exists: Exists, handler_exists: Exists,
                   form_fields: FormFields | None = None, catalog_for: CatalogFor | None = None) -> list[ModelProblem]:
    """Validate files and folders (folders: every bundle file in them, recursively)."""
    files, problems = read_paths(paths)
    if files or not problems:
        problems.extend(validate_files(files, form_exists=form_exists, handler_exists=handler_exists,
                                       form_fields=form_fields,
                                       catalog=catalog_for(files) if catalog_for is not None else None))
    return problems
