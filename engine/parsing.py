"""Load uploaded BPMN/DMN files into SpiffWorkflow's parser, safely and with readable problems.

Every file goes through :func:`engine.xmlsafe.parse_xml` first, then XSD validation (the
schemas SpiffWorkflow ships, with all schema errors of a file reported instead of only the
first), then into a :class:`SpiffBpmnParser` (spiff flavour, with DMN).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.errors import ModelInvalid, ModelProblem
from engine.xmlsafe import MAX_MODEL_BYTES, UnsafeXml, parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NSMAP = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
MAX_SCHEMA_ERRORS_PER_FILE = 10
BUNDLE_SUFFIXES = (".bpmn", ".dmn", ".json", ".txt")  # as engine.bundle (which imports this module's users)

Kind = Literal["bpmn", "dmn"]

_schema_lock = threading.Lock()  # an XMLSchema's error_log is shared state

# SpiffWorkflow's English messages (by prefix) in Dutch, for the process owner.
# fmt: off
_SPIFF_MESSAGES_NL: tuple[tuple[str, str], ...] = (
    ("No start event found", "Dit proces heeft geen startgebeurtenis. Voeg een startgebeurtenis toe."),
    ("Duplicate process ID", "Dit proces-id komt meer dan één keer voor. Geef elk proces een eigen id."),
    ("Multiple outgoing flows are not supported",
     "Deze taak heeft meer dan één uitgaande pijl. Splits de route met een gateway."),
    ("Non-default exclusive outgoing sequence flow without condition",
     "Een uitgaande pijl van deze gateway heeft geen voorwaarde en is ook niet de standaardroute. "
     "Geef de pijl een voorwaarde of maak hem de standaardroute."),
    ("There is no support implemented for this task type",
     "Dit soort element kan de engine niet uitvoeren. Gebruik een ander elementtype."),
    ("Time Specification Error", "De timer is niet goed ingesteld. Controleer de tijdsexpressie."),
    ("A Service Task must have an operator", "Deze servicetaak noemt geen handler (serviceTaskOperator)."),
    ("No DMN Diagram available", "De beslistabel (DMN) die deze taak gebruikt, is niet gevonden."),
    ("Exactly one start event is required", "Een subproces moet precies één startgebeurtenis hebben."),
    ("A SubWorkflow Must contain an End event", "Een subproces moet een eindgebeurtenis hebben."),
    ('No "calledElement" attribute', "Deze aanroepactiviteit noemt geen proces (calledElement)."),
    ("Cancel Events may only be used with transactions", "Een annuleergebeurtenis mag alleen aan een transactie."),
    ("Multiple decision tables are not", "Zet maar één beslissing (decision) in een DMN-bestand."),
)
# fmt: on


@dataclass(frozen=True)
class ModelDocument:
    """One uploaded file that is well-formed XML of a known kind."""

    filename: str
    kind: Kind
    root: Any  # lxml.etree._Element


class ModelParseError(ModelInvalid):
    """The files could not be loaded into the parser; ``problems`` says why, file by file."""

    problems: list[ModelProblem]

    def __init__(self, problems: list[ModelProblem]) -> None:
        super().__init__(list(problems))


def make_problem(file: str, code: str, message_nl: str, message_en: str, element: Any = None, *,
                 severity: str = "error") -> ModelProblem:
    """A :class:`ModelProblem` about ``element`` (an lxml element, or ``None`` for the whole file)."""
    element_id = element_name = None
    if element is not None:
        element_id = element.get("id") or None
        element_name = element.get("name") or None
    return ModelProblem(file, element_id, element_name, code, message_nl, message_en, severity)


def unexpected_problem(file: str, error: BaseException, element: Any = None) -> ModelProblem:
    detail = f"{error.__class__.__name__}: {error}"[:300]
    return make_problem(
        file,
        "internal.unexpected",
        f"Bij het controleren ging iets onverwacht mis ({detail}). "
        "Controleer dit deel van het model of vraag een beheerder om hulp.",
        f"Something unexpected went wrong while checking ({detail}). "
        "Check this part of the model or ask an administrator for help.",
        element,
    )


def spiff_problem(error: ValidationException, fallback_file: str, code: str = "spiff.validation") -> ModelProblem:
    """Turn SpiffWorkflow's (English) ValidationException into a :class:`ModelProblem`."""
    raw = str(error.args[0]) if error.args else str(error)
    dutch = next((nl for prefix, nl in _SPIFF_MESSAGES_NL if raw.startswith(prefix)), None)
    message_nl = f"{dutch} (Technische melding: {raw})" if dutch else f"De engine kan dit niet verwerken: {raw}"
    element_id = str(getattr(error, "id", "") or "") or None
    element_name = str(getattr(error, "name", "") or "") or None
    file = str(getattr(error, "file_name", "") or "") or fallback_file
    return ModelProblem(file, element_id, element_name, code, message_nl, raw)


def _localname(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _namespace(tag: Any) -> str:
    return (etree.QName(tag).namespace or "") if isinstance(tag, str) else ""


def _is_dmn_namespace(namespace: str) -> bool:
    return namespace in DMN_SCHEMAS or "omg.org/spec/DMN" in namespace


def _content_kind(root: Any) -> Kind | None:
    if _localname(root.tag) != "definitions":
        return None
    namespace = _namespace(root.tag)
    if namespace == BPMN_NS:
        return "bpmn"
    return "dmn" if _is_dmn_namespace(namespace) else None


def _kind_problem(filename: str, expected: Kind | None) -> ModelProblem:
    if expected is None:
        return make_problem(
            filename,
            "file.unknown_type",
            f"{filename} is geen BPMN 2.0- of DMN-bestand. Exporteer het model als BPMN 2.0 XML (.bpmn) of DMN (.dmn).",
            f"{filename} is not a BPMN 2.0 or DMN file. Export the model as BPMN 2.0 XML (.bpmn) or DMN (.dmn).",
        )
    label = expected.upper()
    return make_problem(
        filename,
        f"file.not_{expected}",
        f"{filename} heeft de extensie .{expected}, maar is geen {label}-bestand "
        f"(het hoofdelement moet {label} 'definitions' zijn). Exporteer het model opnieuw als {label}.",
        f"{filename} has the extension .{expected} but is not a {label} file "
        f"(the root element must be {label} 'definitions'). Export the model again as {label}.",
    )


def _document(filename: str, data: bytes) -> tuple[ModelDocument | None, list[ModelProblem]]:
    try:
        root = parse_xml(data, filename)
    except UnsafeXml as error:
        return None, [ModelProblem(filename, None, None, error.code, error.message_nl, error.message_en)]
    found = _content_kind(root)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    expected: Kind | None = "bpmn" if extension == "bpmn" else "dmn" if extension == "dmn" else None
    if found is None or (expected is not None and found != expected):
        return None, [_kind_problem(filename, expected)]
    document = ModelDocument(filename, found, root)
    return document, schema_problems(document)


def read_documents(files: Mapping[str, bytes]) -> tuple[list[ModelDocument], list[ModelProblem]]:
    """Parse every file safely and check it against the XSD; never raises."""
    documents: list[ModelDocument] = []
    problems: list[ModelProblem] = []
    for filename, data in files.items():
        try:
            document, found = _document(str(filename), data)
        except Exception as error:  # a file we cannot even look at is one problem, not a crash
            document, found = None, [unexpected_problem(str(filename), error)]
        problems.extend(found)
        if document is not None:
            documents.append(document)
    return documents, problems


@lru_cache(maxsize=8)
def _dmn_schema(namespace: str) -> Any:
    path = DMN_SCHEMAS.get(namespace)
    if path is None:
        return None
    with open(path, "rb") as handle:
        return etree.XMLSchema(etree.parse(handle))


def _schema_for(document: ModelDocument) -> Any:
    if document.kind == "bpmn":
        VALIDATOR.preprocess(document.root)  # the same bpmn-js workaround SpiffWorkflow applies
        return VALIDATOR.validator
    return _dmn_schema(_namespace(document.root.tag))


def _element_on_line(root: Any, line: int | None) -> Any:
    if not line:
        return None
    for element in root.iter():
        if element.sourceline == line and isinstance(element.tag, str) and element.get("id"):
            return element
    return None


def _short_names(message: str) -> str:
    for prefix, namespace in NSMAP.items():
        message = message.replace(f"{{{namespace}}}", f"{prefix}:")
    return message[:400]


def schema_problems(document: ModelDocument) -> list[ModelProblem]:
    """Every XSD error of the document (at most :data:`MAX_SCHEMA_ERRORS_PER_FILE` are listed)."""
    schema = _schema_for(document)
    if schema is None:
        return []
    with _schema_lock:
        valid = schema.validate(document.root)
        errors = [] if valid else [(entry.line, _short_names(entry.message)) for entry in schema.error_log]
    label = document.kind.upper()
    problems = [
        make_problem(
            document.filename,
            "xml.schema",
            f"Regel {line}: het bestand volgt de {label}-standaard niet: {message.rstrip('.')}. "
            "Sla het model opnieuw op vanuit de modeler of verbeter dit element.",
            f"Line {line}: the file does not follow the {label} standard: {message.rstrip('.')}. "
            "Save the model again from the modeler or correct this element.",
            _element_on_line(document.root, line),
        )
        for line, message in errors[:MAX_SCHEMA_ERRORS_PER_FILE]
    ]
    hidden = len(errors) - MAX_SCHEMA_ERRORS_PER_FILE
    if hidden > 0:
        problems.append(
            make_problem(
                document.filename,
                "xml.schema",
                f"Er zijn nog {hidden} andere schemafouten in dit bestand.",
                f"There are {hidden} more schema errors in this file.",
            )
        )
    return problems


def _add_bpmn(parser: SpiffBpmnParser, document: ModelDocument) -> list[ModelProblem]:
    try:
        parser.add_bpmn_xml(document.root, document.filename)
    except ValidationException as error:
        return [spiff_problem(error, document.filename, "bpmn.parse_error")]
    return []


def _decision_elements(root: Any) -> list[Any]:
    return [child for child in root if _localname(child.tag) == "decision"]


def _add_dmn(parser: SpiffBpmnParser, document: ModelDocument) -> list[ModelProblem]:
    decisions = _decision_elements(document.root)
    if not decisions:
        return [
            make_problem(
                document.filename,
                "dmn.no_decision",
                "Dit DMN-bestand bevat geen beslissing (decision). Voeg een beslistabel toe.",
                "This DMN file contains no decision. Add a decision table.",
            )
        ]
    decision_id = decisions[0].get("id")
    if decision_id in parser.dmn_parsers:
        return [
            make_problem(
                document.filename,
                "dmn.duplicate_decision",
                f"De beslissing '{decision_id}' staat ook in {parser.dmn_parsers[decision_id].filename}. "
                "Geef elke beslissing een eigen id.",
                f"The decision '{decision_id}' is also in {parser.dmn_parsers[decision_id].filename}. "
                "Give every decision its own id.",
                decisions[0],
            )
        ]
    try:
        parser.add_dmn_xml(document.root, document.filename)
        parser.dmn_parsers[decision_id].parse()
    except ValidationException as error:
        return [spiff_problem(error, document.filename, "dmn.parse_error")]
    return []


def build_parser(documents: Iterable[ModelDocument]) -> tuple[SpiffBpmnParser, list[ModelProblem]]:
    """Feed parsed documents to a new SpiffBpmnParser (DMN first); never raises."""
    parser = SpiffBpmnParser()
    problems: list[ModelProblem] = []
    ordered = sorted(documents, key=lambda document: document.kind != "dmn")
    for document in ordered:
        add = _add_dmn if document.kind == "dmn" else _add_bpmn
        try:
            problems.extend(add(parser, document))
        except Exception as error:
            problems.append(unexpected_problem(document.filename, error))
    return parser, problems


def load_parser(files: Mapping[str, bytes]) -> SpiffBpmnParser:
    """A parser holding all ``files`` (``*.bpmn`` and ``*.dmn``, name → bytes).

    Raises :class:`ModelParseError` listing every problem if any file cannot be loaded. The
    forms and texts of a bundle are not the parser's (the application reads them).
    """
    documents, problems = read_documents({name: data for name, data in files.items()
                                          if not name.lower().endswith((".json", ".txt"))})
    parser, more = build_parser(documents)
    problems.extend(more)
    if problems:
        raise ModelParseError(problems)
    return parser


def executable_process_ids(parser: SpiffBpmnParser) -> list[str]:
    """Ids of the executable top-level processes (not embedded subprocesses), in file order."""
    process_tag = f"{{{BPMN_NS}}}process"
    return [
        process_id
        for process_id, process_parser in parser.process_parsers.items()
        if process_parser.process_executable and process_parser.node.tag == process_tag
    ]


def build_specs(parser: SpiffBpmnParser) -> list[ModelProblem]:
    """Build the spec of every executable process (and what it calls); never raises.

    Missing call-activity targets are not reported here (validation reports them per element).
    """
    problems: list[ModelProblem] = []
    for process_id in executable_process_ids(parser):
        process_parser = parser.process_parsers[process_id]
        file = str(process_parser.filename or "")
        try:
            parser.get_spec(process_id)
            parser.get_subprocess_specs(process_id, require_call_activity_specs=False)
        except ValidationException as error:
            problems.append(spiff_problem(error, file))
        except Exception as error:  # SpiffWorkflow raises KeyError, RecursionError, ... on odd input
            problems.append(unexpected_problem(file, error, process_parser.node))
    return problems


def _expand(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for folder, subfolders, names in os.walk(path):  # os.walk does not follow symlinked folders
        subfolders.sort()
        found.extend(Path(folder) / name for name in sorted(names) if name.lower().endswith(BUNDLE_SUFFIXES))
    return found


def _read(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(MAX_MODEL_BYTES + 1)  # parse_xml reports the size; no need to read more


def read_paths(paths: Iterable[Path | str]) -> tuple[dict[str, bytes], list[ModelProblem]]:
    """The bytes of the given files, and of every bundle file (models, forms, texts) under given folders."""
    files: dict[str, bytes] = {}
    problems: list[ModelProblem] = []
    for path in map(Path, paths):
        if not path.exists():
            problems.append(make_problem(str(path), "file.missing", f"{path} bestaat niet.", f"{path} does not exist."))
            continue
        for file in _expand(path):
            try:
                files[str(file)] = _read(file)
            except OSError as error:
                detail = error.strerror or str(error)
                nl, en = (
                    f"Het bestand kan niet worden gelezen: {detail}.",
                    f"The file cannot be read: {detail}.",
                )
                problems.append(make_problem(str(file), "file.unreadable", nl, en))
    return files, problems
