"""Model validation: every problem reported, in Dutch and English, and it never raises."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from engine.errors import Problem
from engine.parsing import ModelParseError, executable_process_ids, load_parser
from engine.validation import validate_files, validate_paths
from engine.xmlsafe import MAX_MODEL_BYTES

MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"
VALID = MODELS / "valid"
FORMS = {"aanvraag", "beoordeling"}
HANDLERS = {"send_mail"}


def known_form(name: str) -> bool:
    return name in FORMS


def known_handler(name: str) -> bool:
    return name in HANDLERS


def validate(files: dict[str, bytes], **kwargs: Callable[[str], bool]) -> list[Problem]:
    kwargs.setdefault("form_exists", known_form)
    kwargs.setdefault("handler_exists", known_handler)
    return validate_files(files, **kwargs)


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def by_element(problems: list[Problem]) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.element_id, []).append(problem.code)
    return found


def valid_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(VALID.iterdir())}


def process(body: str, process_id: str = "proces", executable: str = "true") -> bytes:
    """A spiff-flavoured BPMN document with one process around ``body``."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="Definitions_test" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="{process_id}" isExecutable="{executable}">
{body}
  </bpmn:process>
</bpmn:definitions>""".encode()


def chain(*elements: str) -> str:
    """StartEvent_1 → the elements (each '<tag id=... >...</tag>' with id 'E1', 'E2', ...) → EndEvent_1."""
    ids = ["StartEvent_1"] + [f"E{index}" for index in range(1, len(elements) + 1)] + ["EndEvent_1"]
    flows = "\n".join(
        f'<bpmn:sequenceFlow id="Flow_{i}" sourceRef="{a}" targetRef="{b}" />'
        for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False))
    )
    start, end = '<bpmn:startEvent id="StartEvent_1" />', '<bpmn:endEvent id="EndEvent_1" />'
    return "\n".join([start, *elements, end, flows])


def user_task(element_id: str, properties: dict[str, str], extra: str = "") -> str:
    props = "".join(f'<spiffworkflow:property name="{k}" value="{v}" />' for k, v in properties.items())
    return (
        f'<bpmn:userTask id="{element_id}" name="Taak {element_id}"><bpmn:extensionElements>'
        f"<spiffworkflow:properties>{props}</spiffworkflow:properties>{extra}</bpmn:extensionElements></bpmn:userTask>"
    )


def timer_task(kind: str, expression: str) -> str:
    return (
        user_task("E1", {"formId": "aanvraag"})
        + f'<bpmn:boundaryEvent id="Timer_1" name="Norm" cancelActivity="false" attachedToRef="E1">'
        f'<bpmn:timerEventDefinition id="TimerDef_1"><bpmn:{kind}>{expression}</bpmn:{kind}>'
        "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
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


# --- the individual rules ---------------------------------------------------------------------


def test_no_process_and_no_start_event() -> None:
    empty = b"""<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"
        targetNamespace="x" />"""
    assert codes(validate({"leeg.bpmn": empty})) == ["model.no_process"]
    problems = validate({"p.bpmn": process('<bpmn:task id="T1" />')})
    assert by_element(problems) == {"proces": ["process.no_start_event"]}


def test_user_task_forms() -> None:
    body = chain(
        user_task("E1", {}),
        user_task("E2", {"formId": "bestaat_niet"}),
        user_task("E3", {"formId": "aanvraag", "candidateGroups": "'team-' + ", "assignee": "__import__('os')"}),
    )
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {
        "E1": ["usertask.form_missing"],
        "E2": ["usertask.form_unknown"],
        "E3": ["expression.candidate_groups", "expression.assignee"],
    }
    assert "forms/definitions/bestaat_niet.json" in problems[1].message_nl


def test_a_failing_form_lookup_is_not_a_crash() -> None:
    def broken(name: str) -> bool:
        raise RuntimeError("registry down")

    problems = validate({"p.bpmn": process(chain(user_task("E1", {"formId": "aanvraag"})))}, form_exists=broken)
    assert codes(problems) == ["usertask.form_unknown"]


def test_incomplete_property() -> None:
    body = chain(
        user_task(
            "E1",
            {"formId": "aanvraag"},
            '<spiffworkflow:properties><spiffworkflow:property name="x" /></spiffworkflow:properties>',
        )
    )
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {"E1": ["property.incomplete"]}


def service_task(element_id: str, operator: str) -> str:
    extensions = f"<bpmn:extensionElements>{operator}</bpmn:extensionElements>"
    return f'<bpmn:serviceTask id="{element_id}">{extensions}</bpmn:serviceTask>'


def test_service_tasks() -> None:
    params = (
        '<spiffworkflow:parameters><spiffworkflow:parameter id="aan" type="str" value="email" />'
        '<spiffworkflow:parameter id="x" type="str" value="().__class__" />'
        '<spiffworkflow:parameter id="y" value="1" /></spiffworkflow:parameters>'
    )
    body = chain(
        '<bpmn:serviceTask id="E1" />',
        service_task(
            "E2",
            '<spiffworkflow:serviceTaskOperator id="onbekend"><spiffworkflow:parameters />'
            "</spiffworkflow:serviceTaskOperator>",
        ),
        service_task(
            "E3", f'<spiffworkflow:serviceTaskOperator id="send_mail">{params}</spiffworkflow:serviceTaskOperator>'
        ),
    )
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {
        "E1": ["servicetask.operator_missing"],
        "E2": ["servicetask.handler_unknown"],
        "E3": ["expression.parameter", "servicetask.parameter_incomplete"],
    }
    assert "'onbekend'" in problems[1].message_nl


def test_scripts_pre_and_post_scripts() -> None:
    body = chain(
        '<bpmn:scriptTask id="E1"><bpmn:script>x = (</bpmn:script></bpmn:scriptTask>',
        '<bpmn:scriptTask id="E2" />',
        user_task("E3", {"formId": "aanvraag"}, "<spiffworkflow:postScript>import os</spiffworkflow:postScript>"),
        '<bpmn:scriptTask id="E4"><bpmn:script>\n      a = 1\n      b = a + 1\n    </bpmn:script></bpmn:scriptTask>',
    )
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {
        "E1": ["expression.script"],
        "E2": ["scripttask.script_missing"],
        "E3": ["expression.postscript"],
    }
    assert "Regel 1" in problems[0].message_nl and "Line 1" in problems[0].message_en


def test_conditions() -> None:
    body = """<bpmn:startEvent id="StartEvent_1" />
      <bpmn:exclusiveGateway id="G" default="F_default" />
      <bpmn:endEvent id="End_a" /><bpmn:endEvent id="End_b" /><bpmn:endEvent id="End_c" />
      <bpmn:sequenceFlow id="F_in" sourceRef="StartEvent_1" targetRef="G" />
      <bpmn:sequenceFlow id="F_ok" sourceRef="G" targetRef="End_a">
        <bpmn:conditionExpression>bedrag &gt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="F_bad" sourceRef="G" targetRef="End_b">
        <bpmn:conditionExpression>bedrag &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="F_default" sourceRef="G" targetRef="End_c" />"""
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {"F_bad": ["expression.condition"]}


def test_loop_and_event_expressions() -> None:
    body = chain(
        '<bpmn:task id="E1"><bpmn:multiInstanceLoopCharacteristics>'
        "<bpmn:loopCardinality>__import__('os')</bpmn:loopCardinality>"
        "<bpmn:completionCondition>klaar ==</bpmn:completionCondition>"
        "</bpmn:multiInstanceLoopCharacteristics></bpmn:task>",
        '<bpmn:task id="E2"><bpmn:standardLoopCharacteristics>'
        "<bpmn:loopCondition>teller &lt; 3</bpmn:loopCondition></bpmn:standardLoopCharacteristics></bpmn:task>",
        '<bpmn:intermediateCatchEvent id="E3"><bpmn:conditionalEventDefinition>'
        "<bpmn:condition>import os</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>",
    )
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {"E1": ["expression.other", "expression.other"], "E3": ["expression.other"]}


@pytest.mark.parametrize(
    ("kind", "expression", "expected"),
    [
        ("timeDuration", '"P10D"', None),
        ("timeDuration", '"PT1H30M"', None),
        ("timeDate", "werkdagen(10)", None),
        ("timeDate", "vandaag()", None),
        ("timeDate", "nu()", None),
        ("timeDate", '"2030-01-01T09:00:00+01:00"', None),
        ("timeCycle", '"R3/P1D"', None),
        ("timeDuration", "P10D", "timer.invalid"),
        ("timeDuration", '"P10X"', "timer.invalid"),
        ("timeDuration", "werkdagen(10)", "timer.invalid"),
        ("timeDuration", '"P99999999999Y"', "timer.invalid"),
        ("timeDate", '"P10D"', "timer.invalid"),
        ("timeDate", '"2024-13-01"', "timer.invalid"),
        ("timeDate", "werkdagen(-1)", "timer.invalid"),
        ("timeDate", "termijn", "timer.invalid"),
        ("timeDuration", "10", "timer.invalid"),
        ("timeCycle", '"R3/nooit"', "timer.invalid"),
        ("timeDuration", "__import__('os')", "timer.expression"),
        ("timeDuration", "${PT5M}", "timer.expression"),
        ("timeDuration", "", "timer.missing"),
    ],
)
def test_timers(kind: str, expression: str, expected: str | None) -> None:
    started = time.perf_counter()
    problems = validate({"p.bpmn": process(chain(timer_task(kind, expression)))})
    assert codes(problems) == ([expected] if expected else [])
    assert all(problem.element_id == "Timer_1" for problem in problems)
    assert time.perf_counter() - started < 2


def test_call_activity_references() -> None:
    body = chain('<bpmn:callActivity id="E1" calledElement="bestaat_niet" />', '<bpmn:callActivity id="E2" />')
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {
        "E1": ["callactivity.unknown_process"],
        "E2": ["callactivity.called_element_missing"],
    }


def test_call_activity_to_a_process_in_another_file() -> None:
    files = valid_files()
    del files["groen.bpmn"]
    problems = validate(files)
    assert by_element(problems) == {"Call_groen": ["callactivity.unknown_process"]}


def test_business_rule_references() -> None:
    files = valid_files()
    del files["categorie.dmn"]
    problems = validate(files)
    # SpiffWorkflow's own "No DMN Diagram available" for the same task is not repeated
    assert by_element(problems) == {"Task_categorie": ["businessrule.unknown_decision"]}
    body = chain('<bpmn:businessRuleTask id="E1" />')
    assert by_element(validate({"p.bpmn": process(body)})) == {"E1": ["businessrule.decision_missing"]}


def test_references_are_not_judged_when_a_file_could_not_be_read() -> None:
    files = valid_files()
    files["groen.bpmn"] = b"<kapot"
    problems = validate(files)
    assert codes(problems) == ["xml.malformed"]


def test_dmn_cells_are_checked() -> None:
    dmn = (VALID / "categorie.dmn").read_bytes()
    dmn = dmn.replace(b"<text>&lt;= 5000</text>", b"<text>&lt;= __import__('os')</text>")
    dmn = dmn.replace(b'<text>"complex"</text>', b'<text>"complex" +</text>')
    files = {**valid_files(), "categorie.dmn": dmn}
    problems = validate(files)
    assert by_element(problems) == {"Entry_wijk_bedrag": ["dmn.expression"], "Out_complex": ["dmn.expression"]}
    assert problems[0].message_nl.startswith("Regel 2 van de beslistabel")


def test_dmn_without_decision_and_duplicate_decisions() -> None:
    empty = b'<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="D" name="D" namespace="x" />'
    assert "dmn.no_decision" in codes(validate({**valid_files(), "leeg.dmn": empty}))
    copy = (VALID / "categorie.dmn").read_bytes()
    assert "dmn.duplicate_decision" in codes(validate({**valid_files(), "kopie.dmn": copy}))


def test_schema_errors_name_the_element() -> None:
    data = process(chain('<bpmn:task id="E1"><bpmn:onzin /></bpmn:task>'))
    problems = validate({"p.bpmn": data})
    assert codes(problems) == ["xml.schema"]
    assert problems[0].element_id == "E1"
    assert "bpmn:onzin" in problems[0].message_nl and "{http" not in problems[0].message_nl


def test_reserved_ids_are_reported() -> None:
    body = """<bpmn:startEvent id="Start" /><bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="F" sourceRef="Start" targetRef="End" />"""
    problems = validate({"p.bpmn": process(body)})
    assert by_element(problems) == {"Start": ["element.reserved_id"], "End": ["element.reserved_id"]}


def test_file_types() -> None:
    dmn = (VALID / "categorie.dmn").read_bytes()
    assert codes(validate({"verkeerd.bpmn": dmn})) == ["file.not_bpmn"]
    assert codes(validate({"notitie.xml": b"<notitie>hallo</notitie>"})) == ["file.unknown_type"]
    assert validate({"initiatief.xml": (VALID / "groen.bpmn").read_bytes()}) == []


def test_duplicate_process_ids_across_files() -> None:
    groen = (VALID / "groen.bpmn").read_bytes()
    problems = validate({"a.bpmn": groen, "b.bpmn": groen})
    assert codes(problems) == ["bpmn.parse_error"]
    assert "meer dan één keer" in problems[0].message_nl


def test_load_parser_raises_with_all_problems() -> None:
    with pytest.raises(ModelParseError) as caught:
        load_parser({"a.bpmn": b"<kapot", "b.dmn": b"", "c.bpmn": (VALID / "groen.bpmn").read_bytes()})
    assert codes(caught.value.problems) == ["xml.malformed", "xml.empty"]


def test_every_problem_is_complete_and_codes_are_stable() -> None:
    files = {path.name: path.read_bytes() for folder in ("hostile", "exports") for path in (MODELS / folder).iterdir()}
    problems = validate(files)
    assert problems
    for problem in problems:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", problem.code), problem.code
        assert problem.file in files
        assert problem.message_nl.strip() and problem.message_en.strip()
        assert problem.format("nl") and problem.format("en")


# --- robustness -------------------------------------------------------------------------------


def _assert_sane(files: dict[str, bytes]) -> list[Problem]:
    problems = validate(files)
    assert isinstance(problems, list)
    assert all(isinstance(problem, Problem) for problem in problems)
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
