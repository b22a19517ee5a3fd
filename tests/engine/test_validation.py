"""Model validation: every problem reported, in Dutch and English, and it never raises.
The rule-by-rule checks are in test_validation_rules.py."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from engine.errors import ModelProblem
from engine.parsing import executable_process_ids, load_parser
from engine.validation import validate_paths
from engine.xmlsafe import MAX_MODEL_BYTES
from tests.engine.validation_support import (
    MODELS,
    VALID,
    by_element,
    codes,
    known_form,
    known_handler,
    valid_files,
    validate,
)

# --- the happy path ---------------------------------------------------------------------------


def test_valid_models_have_no_problems() -> None:
    assert validate(valid_files()) == []


def test_valid_models_load_and_build() -> None:
    parser = load_parser(valid_files())
    assert set(executable_process_ids(parser)) == {"initiatief_aanvraag", "groen_afhandelen"}
    parser.get_spec("initiatief_aanvraag")
    assert set(parser.get_subprocess_specs("initiatief_aanvraag")) == {"groen_afhandelen"}


def test_validate_paths_expands_folders_recursively(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    for path in VALID.iterdir():
        (nested / path.name).write_bytes(path.read_bytes())
    (nested / "notities.txt").write_text("geen model")
    assert validate_paths([tmp_path], form_exists=known_form, handler_exists=known_handler) == []


def test_validate_paths_reports_a_missing_path() -> None:
    problems = validate_paths([VALID, Path("/bestaat/niet")], form_exists=known_form, handler_exists=known_handler)
    assert codes(problems) == ["file.missing"]
    assert problems[0].file == "/bestaat/niet"


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    assert codes(validate_paths([tmp_path], form_exists=known_form, handler_exists=known_handler)) == ["model.no_files"]


# --- hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["xxe.bpmn", "billion_laughs.bpmn"])
def test_dtd_attacks_are_one_problem_each(name: str) -> None:
    data = (MODELS / "hostile" / name).read_bytes()
    problems = validate({name: data})
    assert codes(problems) == ["xml.doctype"]
    assert "root:" not in problems[0].message_nl


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "groot.bpmn"
    big.write_bytes(b"<a>" + b" " * (MAX_MODEL_BYTES + 10) + b"</a>")
    problems = validate_paths([big], form_exists=known_form, handler_exists=known_handler)
    assert codes(problems) == ["xml.too_large"]


def test_script_escapes_are_each_reported() -> None:
    problems = validate({"escapes.bpmn": (MODELS / "hostile" / "script_escapes.bpmn").read_bytes()})
    assert by_element(problems) == {
        "Script_subclasses": ["expression.script"],
        "Script_import": ["expression.script", "expression.prescript"],
        "Flow_format": ["expression.condition"],
        "Task_getattr": ["expression.candidate_groups"],
    }
    text = " ".join(problem.message_nl for problem in problems)
    for fragment in ("__subclasses__", "'import'", "__import__", ".format", "getattr"):
        assert fragment in text


# --- exports from other modelers --------------------------------------------------------------


def test_camunda_export_gets_concrete_advice() -> None:
    problems = validate({"camunda7.bpmn": (MODELS / "exports" / "camunda7.bpmn").read_bytes()})
    assert by_element(problems) == {
        "Activity_beoordelen": ["usertask.form_missing"],
        "Activity_betalen": ["servicetask.operator_missing"],
        "Activity_regels": ["businessrule.decision_missing"],
        "Activity_log": ["expression.script"],
        "Flow_ja": ["expression.condition"],
        "Flow_nee": ["expression.condition"],
        "Event_herinnering": ["timer.invalid"],
    }
    messages = {problem.element_id: problem.message_nl for problem in problems}
    assert "camunda:formKey" in messages["Activity_beoordelen"]
    assert "aanhalingstekens" in messages["Event_herinnering"] and '"PT5M"' in messages["Event_herinnering"]


def test_signavio_export() -> None:
    problems = validate({"signavio.bpmn": (MODELS / "exports" / "signavio.bpmn").read_bytes()})
    assert codes(problems) == ["model.no_executable_process", "usertask.form_missing"]


def test_plain_bpmn_io_export() -> None:
    problems = validate({"diagram.bpmn": (MODELS / "exports" / "bpmnio_plain.bpmn").read_bytes()})
    assert codes(problems) == ["model.no_executable_process"]
    assert "isExecutable" in problems[0].message_nl


def test_aris_collaboration_with_lanes() -> None:
    problems = validate({"aris.bpmn": (MODELS / "exports" / "aris.bpmn").read_bytes()})
    assert by_element(problems) == {"ID_task_intake": ["usertask.form_missing"]}


def test_bizagi_export() -> None:
    problems = validate({"bizagi.bpmn": (MODELS / "exports" / "bizagi.bpmn").read_bytes()})
    assert by_element(problems) == {"Id_sf_ja": ["expression.condition"], "Id_sf_nee": ["spiff.validation"]}
    assert "standaardroute" in problems[1].message_nl


def test_all_exports_together() -> None:
    files = {path.name: path.read_bytes() for path in sorted((MODELS / "exports").iterdir())}
    problems = validate(files)
    # once some process is executable, the non-executable ones are documentation only
    assert {problem.file for problem in problems} == {"aris.bpmn", "bizagi.bpmn", "camunda7.bpmn"}
    assert len(problems) == 7 + 1 + 2


# --- robustness -------------------------------------------------------------------------------


def _assert_sane(files: dict[str, bytes]) -> list[ModelProblem]:
    problems = validate(files)
    assert isinstance(problems, list)
    assert all(isinstance(problem, ModelProblem) for problem in problems)
    if not problems:  # nothing reported means the engine can really load it
        parser = load_parser(files)
        for process_id in executable_process_ids(parser):
            parser.get_spec(process_id)
            parser.get_subprocess_specs(process_id)
    return problems


def _truncations(data: bytes) -> Iterator[bytes]:
    yield from (data[:offset] for offset in range(0, len(data), 23))


def _byte_flips(data: bytes, seed: int, count: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(count):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            mutated[rng.randrange(len(mutated))] = rng.choice(b"<>/\"'=&; \x00\xffaZ09")
        yield bytes(mutated)


def _without_each_attribute(data: bytes) -> Iterator[bytes]:
    root = etree.fromstring(data)
    positions = [(i, name) for i, element in enumerate(root.iter()) for name in element.attrib]
    for index, name in positions:
        copy = etree.fromstring(data)
        element = list(copy.iter())[index]
        del element.attrib[name]
        yield etree.tostring(copy)


def _without_each_element(data: bytes) -> Iterator[bytes]:
    count = sum(1 for _ in etree.fromstring(data).iter())
    for index in range(1, count):
        copy = etree.fromstring(data)
        element = list(copy.iter())[index]
        if element.getparent() is not None:
            element.getparent().remove(element)
            yield etree.tostring(copy)


@pytest.mark.parametrize("name", ["initiatief.bpmn", "categorie.dmn", "groen.bpmn"])
def test_mutations_never_raise(name: str) -> None:
    original = valid_files()
    data = original[name]
    mutations = [
        *_truncations(data),
        *_byte_flips(data, seed=1234, count=250),
        *_without_each_attribute(data),
        *_without_each_element(data),
    ]
    assert len(mutations) > 300
    reported = 0
    for mutated in mutations:
        reported += bool(_assert_sane({**original, name: mutated}))
    assert reported > len(mutations) // 2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 100,
        bytes(range(256)) * 4,
        b"PK\x03\x04" + b"\x00" * 60,
        "<?xml version='1.0' encoding='utf-16'?><a/>".encode("utf-16"),
        b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'><bpmn:process/></bpmn:definitions>",
        b"<definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL'><process id='p'><startEvent id='s'/>"
        b"<sequenceFlow id='f' sourceRef='s' targetRef='nergens'/></process></definitions>",
        b"<definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL'><process id='p'><startEvent id='s'/>"
        b"<sequenceFlow id='f1' sourceRef='s' targetRef='s'/></process></definitions>",
        b"<definitions xmlns='https://www.omg.org/spec/DMN/20191111/MODEL/'><decision id='d'><decisionTable id='t'>"
        b"<rule id='r'><inputEntry id='i'><text>1</text></inputEntry></rule></decisionTable></decision></definitions>",
    ],
)
def test_garbage_never_raises(data: bytes) -> None:
    for name in ("x.bpmn", "x.dmn", "x.xml"):
        _assert_sane({name: data})
        _assert_sane({**valid_files(), name: data})
