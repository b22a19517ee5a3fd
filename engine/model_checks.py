"""Checks that make the check the run: every name an expression reads must come from somewhere,
the loket's own properties must be spelled right, candidate groups must name existing teams,
flows must point at elements that exist, and a status text needs its English twin.

What a name may come from: a field of a form in the bundle, a service task's result variable,
a message variable, a variable a script sets, an output of a decision table, or one of the
helpers and builtins diagram code has (``werkdagen``, ``len`` …)."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.errors import ModelProblem
from engine.limits import MAX_STEPS
from engine.parsing import NSMAP, ModelDocument, make_problem
from engine.sandbox import SAFE_BUILTINS, SandboxedEnvironment, check_source_messages, normalize_source
from engine.scripting import DIAGRAM_FUNCTIONS

FormFields = Callable[[str], Iterable[str] | None]
LOKET_PROPERTIES = ("formId", "candidateGroups", "assignee", "statusText", "statusText_en", "informInitiator",
                    "overdue")
"""The properties (spiffworkflow:property) the loket reads; any other name is a typing error."""
INITIATOR_GROUP = "initiatiefnemer"
HELPERS = frozenset(DIAGRAM_FUNCTIONS) | frozenset(SAFE_BUILTINS)
DMN_INPUT = "dmninputexpr"
STRUCTURAL = frozenset({"flow.dangling"})
"""Problems of the structure itself: what the library then says about the same file follows from them."""


@dataclass
class DataContext:
    """What the bundle defines, for checking what its expressions read."""

    known: frozenset[str] | None = frozenset()
    """None: not every name can be known (a form is missing), so names are not checked."""
    teams: frozenset[str] | None = None
    districts: tuple[str, ...] = ()
    district_field: str = "wijk"
    decision_outputs: dict[str, list[str]] = field(default_factory=dict)


def _xpath(node: Any, path: str) -> list[Any]:
    return list(node.xpath(path, namespaces=NSMAP))


def _owner(node: Any) -> Any:
    return (_xpath(node, "ancestor-or-self::bpmn:*[@id][1]") or [None])[0]


def expression_problems(file: str, element: Any, source: str, mode: str, code: str,
                        what: tuple[str, str]) -> list[ModelProblem]:
    """One problem listing every sandbox objection to ``source`` (none if it is fine)."""
    messages = check_source_messages(source, "eval" if mode == "eval" else "exec")
    if not messages:
        return []
    detail_nl, detail_en = " ".join(nl for nl, _ in messages), " ".join(en for _, en in messages)
    return [make_problem(file, code, f"{what[0]} kan zo niet worden gebruikt: {detail_nl}",
                         f"{what[1]} cannot be used as is: {detail_en}", element)]


# --- which names a bundle defines ---------------------------------------------------------------


def _assigned_by_script(source: str) -> set[str]:
    try:
        tree = ast.parse(normalize_source(source, "exec"), mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _bpmn_names(root: Any) -> set[str]:
    names = {op.get("resultVariable") for op in _xpath(root, "//spiffworkflow:serviceTaskOperator")}
    names |= {(node.text or "").strip() for node in _xpath(root, "//spiffworkflow:messageVariable")}
    for script in _xpath(root, "//bpmn:script|//spiffworkflow:preScript|//spiffworkflow:postScript"):
        names |= _assigned_by_script(script.text or "")
    return {name for name in names if name}


def _forms_of(root: Any) -> set[str]:
    return {node.get("value") for node in _xpath(root, "//spiffworkflow:property[@name='formId']")
            if node.get("value")}


def decision_outputs(documents: Sequence[ModelDocument]) -> dict[str, list[str]]:
    """Per decision id, the names of its table's outputs."""
    found: dict[str, list[str]] = {}
    for doc in documents:
        if doc.kind != "dmn":
            continue
        for decision in doc.root.xpath("//*[local-name()='decision']"):
            outputs = decision.xpath(".//*[local-name()='output']")
            found[str(decision.get("id"))] = [str(o.get("name")) for o in outputs if o.get("name")]
    return found


def known_names(documents: Sequence[ModelDocument], form_fields: FormFields) -> frozenset[str] | None:
    """Every name the bundle provides; None when a form it names is missing (then what its
    fields would provide is unknown, and the missing form is the problem to report)."""
    names: set[str] = set()
    for doc in documents:
        if doc.kind == "bpmn":
            names |= _bpmn_names(doc.root)
            for form in _forms_of(doc.root):
                fields = _safe_fields(form_fields, form)
                if fields is None:
                    return None
                names |= set(fields)
    for outputs in decision_outputs(documents).values():
        names |= set(outputs)
    return frozenset(names)


def _safe_fields(form_fields: FormFields, form: str) -> Iterable[str] | None:
    try:
        return form_fields(form)
    except Exception:  # a broken lookup means "no fields known", never a crash
        return None


# --- the names an expression reads --------------------------------------------------------------


def free_names(source: str, mode: str) -> set[str]:
    """The names ``source`` reads that it does not set itself (None when it does not parse)."""
    try:
        tree = ast.parse(normalize_source(source, "eval" if mode == "eval" else "exec"), mode=mode)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    read: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store | ast.Del) else read).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read - bound


def _unknown(ctx: DataContext, source: str, mode: str, allowed: Collection[str] = ()) -> list[str]:
    if ctx.known is None:
        return []
    return sorted(free_names(source, mode) - ctx.known - HELPERS - set(allowed))


def _suggestion(name: str, options: Iterable[str]) -> tuple[str, str]:
    close = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.75)
    return (f" Bedoelt u '{close[0]}'?", f" Did you mean '{close[0]}'?") if close else ("", "")


def unknown_name_problem(file: str, element: Any, what: tuple[str, str], names: list[str],
                         ctx: DataContext) -> ModelProblem:
    listed = ", ".join(f"'{name}'" for name in names)
    hint_nl, hint_en = _suggestion(names[0], ctx.known or ())
    return make_problem(
        file, "expression.unknown_name",
        f"{what[0]} leest {listed}, maar geen formulier, taak of beslistabel in deze modellen levert dat. "
        f"Controleer de spelling of voeg het veld toe aan een formulier.{hint_nl}",
        f"{what[1]} reads {listed}, but no form, task or decision table in these models provides it. "
        f"Check the spelling or add the field to a form.{hint_en}",
        element,
    )


# (xpath of the source text, mode, what) of the expressions checked for their names.
# fmt: off
_SOURCES: tuple[tuple[str, str, tuple[str, str]], ...] = (
    ("bpmn:sequenceFlow/bpmn:conditionExpression", "eval",
     ("De voorwaarde op deze pijl", "The condition on this flow")),
    ("bpmn:scriptTask/bpmn:script", "exec", ("Het script", "The script")),
    ("bpmn:timerEventDefinition/*", "eval", ("De timer", "The timer")),
    ("bpmn:extensionElements/spiffworkflow:serviceTaskOperator/spiffworkflow:parameters/spiffworkflow:parameter",
     "eval", ("Een parameter van deze servicetaak", "A parameter of this service task")),
)
# fmt: on


def _source_text(node: Any) -> str:
    return str(node.get("value") if node.get("value") is not None else (node.text or ""))


def check_names(ctx: DataContext, file: str, process: Any) -> Iterator[ModelProblem]:
    for path, mode, what in _SOURCES:
        for node in _xpath(process, f".//{path}"):
            source = _source_text(node)
            if not source.strip() or check_source_messages(source, "eval" if mode == "eval" else "exec"):
                continue  # empty, or refused by the sandbox check already
            names = _unknown(ctx, source, mode)
            if names:
                yield unknown_name_problem(file, _owner(node), what, names, ctx)
    for prop in _xpath(process, ".//spiffworkflow:property[@name='candidateGroups' or @name='assignee']"):
        source = prop.get("value") or ""
        if source.strip() and not check_source_messages(source, "eval"):
            names = _unknown(ctx, source, "eval")
            if names:
                what = (f"De eigenschap {prop.get('name')}", f"The property {prop.get('name')}")
                yield unknown_name_problem(file, _owner(prop), what, names, ctx)


# --- loops that could never finish within the budget ----------------------------------------------


def _rounds(node: ast.For) -> int | None:
    """How often a ``for … in range(<fixed numbers>)`` goes round; None for any other loop."""
    call = node.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "range"):
        return None
    numbers = [arg.value for arg in call.args if isinstance(arg, ast.Constant) and type(arg.value) is int]
    if len(numbers) != len(call.args) or not numbers:
        return None
    return len(range(*numbers))


def _most_rounds(node: ast.AST, outer: int = 1) -> int:
    most = outer
    for child in ast.iter_child_nodes(node):
        rounds = _rounds(child) if isinstance(child, ast.For) else None
        most = max(most, _most_rounds(child, outer * rounds if rounds is not None else outer))
    return most


def check_loop_rounds(ctx: DataContext, file: str, process: Any) -> Iterator[ModelProblem]:
    for script in _xpath(process, ".//bpmn:script|.//spiffworkflow:preScript|.//spiffworkflow:postScript"):
        source = script.text or ""
        if check_source_messages(source, "exec"):
            continue
        rounds = _most_rounds(ast.parse(normalize_source(source, "exec"), mode="exec"))
        if rounds > MAX_STEPS:
            yield make_problem(
                file, "script.too_many_rounds",
                f"De lussen in dit script gaan samen {rounds} keer rond; meer dan {MAX_STEPS} kan niet "
                "(het script zou worden afgebroken). Maak de lussen kleiner.",
                f"The loops in this script go round {rounds} times together; more than {MAX_STEPS} is not "
                "possible (the script would be stopped). Make the loops smaller.", _owner(script))


# --- the loket's properties ---------------------------------------------------------------------


def check_properties(ctx: DataContext, file: str, process: Any) -> Iterator[ModelProblem]:
    for element in _xpath(process, ".//bpmn:*[bpmn:extensionElements/spiffworkflow:properties]"):
        names = [node.get("name") for node in
                 _xpath(element, "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property")
                 if node.get("name") and node.get("value")]
        for name in names:
            if name not in LOKET_PROPERTIES:
                hint_nl, hint_en = _suggestion(name, LOKET_PROPERTIES)
                yield make_problem(
                    file, "property.unknown",
                    f"De eigenschap '{name}' kent het loket niet; ze zou stil worden genegeerd.{hint_nl}",
                    f"The loket does not know the property '{name}'; it would be ignored silently.{hint_en}",
                    element)
        if "statusText" in names and "statusText_en" not in names:
            yield make_problem(
                file, "property.status_without_english",
                "Deze statustekst heeft geen Engelse vertaling (statusText_en); Engelstalige initiatiefnemers "
                "krijgen de Nederlandse tekst.",
                "This status text has no English translation (statusText_en); English-speaking initiators get "
                "the Dutch text.", element, severity="warning")


def check_start_forms(ctx: DataContext, file: str, process: Any, form_exists: Callable[[str], bool]) -> Iterator[
        ModelProblem]:
    for event in _xpath(process, "./bpmn:startEvent"):
        form = next((node.get("value") for node in
                     _xpath(event, "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property"
                                   "[@name='formId']")), None)
        if form and not _exists(form_exists, form):
            yield make_problem(
                file, "startevent.form_unknown",
                f"Het startformulier '{form}' bestaat niet; dan kan niemand een initiatief aanmelden. "
                "Kies een bestaand formulier.",
                f"The start form '{form}' does not exist; then nobody can register an initiative. "
                "Choose an existing form.", event)


def _exists(lookup: Callable[[str], bool], name: str) -> bool:
    try:
        return bool(lookup(name))
    except Exception:
        return False


# --- candidate groups name teams ----------------------------------------------------------------


def _groups(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple | set) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def _group_outcomes(ctx: DataContext, source: str) -> list[tuple[str | None, Any]]:
    """(district, result) of the expression for every district, or once when it reads no district;
    an error is the result when evaluating fails."""
    names = free_names(source, "eval") - HELPERS
    if names - {ctx.district_field}:
        return []  # depends on other answers: cannot be tried here
    environment = SandboxedEnvironment(dict(DIAGRAM_FUNCTIONS))
    districts: list[str | None] = list(ctx.districts) if names else [None]
    outcomes: list[tuple[str | None, Any]] = []
    for district in districts:
        data = {ctx.district_field: district} if district is not None else {}
        try:
            outcomes.append((district, environment.evaluate(source, data)))
        except Exception as error:
            outcomes.append((district, error))
    return outcomes


def check_candidate_groups(ctx: DataContext, file: str, process: Any) -> Iterator[ModelProblem]:
    if ctx.teams is None:
        return
    for prop in _xpath(process, ".//spiffworkflow:property[@name='candidateGroups']"):
        source = prop.get("value") or ""
        if not source.strip() or check_source_messages(source, "eval"):
            continue
        for district, outcome in _group_outcomes(ctx, source):
            groups = None if isinstance(outcome, Exception) else _groups(outcome)
            missing = [group for group in groups or [] if group not in ctx.teams and group != INITIATOR_GROUP]
            if groups is not None and not missing:
                continue
            where_nl = f" voor wijk '{district}'" if district else ""
            where_en = f" for district '{district}'" if district else ""
            named = ", ".join(f"'{group}'" for group in missing) or repr(outcome)[:80]
            hint_nl, hint_en = _suggestion(missing[0], ctx.teams) if missing else ("", "")
            yield make_problem(
                file, "candidategroups.unknown_team",
                f"De kandidaatgroep{where_nl} wordt {named}, maar zo'n team bestaat niet; niemand zou de taak "
                f"zien. Kies een bestaand team of maak het eerst aan.{hint_nl}",
                f"The candidate group{where_en} becomes {named}, but no such team exists; nobody would see "
                f"the task. Choose an existing team or create it first.{hint_en}",
                _owner(prop))
            break  # one problem per property: the first district that fails


# --- flows point at elements that exist ---------------------------------------------------------


def check_flows(ctx: DataContext, file: str, process: Any) -> Iterator[ModelProblem]:
    ids = {element.get("id") for element in _xpath(process, ".//bpmn:*[@id]")}
    for flow in _xpath(process, ".//bpmn:sequenceFlow"):
        for end, nl, en in (("sourceRef", "begint bij", "starts at"), ("targetRef", "wijst naar", "points to")):
            ref = flow.get(end)
            if not ref or ref not in ids:
                yield make_problem(
                    file, "flow.dangling",
                    f"Deze pijl {nl} '{ref or ''}', maar dat element bestaat niet in dit proces. "
                    "Verbind de pijl opnieuw of verwijder hem.",
                    f"This flow {en} '{ref or ''}', but that element does not exist in this process. "
                    "Connect the flow again or remove it.", flow)
