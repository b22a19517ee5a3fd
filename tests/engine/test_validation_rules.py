"""Model validation, rule by rule: each problem names its file, element and a fix."""

from __future__ import annotations

import re
import time

import pytest

from engine.parsing import ModelParseError, load_parser
from tests.engine.validation_support import (
    MODELS,
    VALID,
    by_element,
    chain,
    codes,
    process,
    timer_task,
    user_task,
    valid_files,
    validate,
)

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
    assert "forms/bestaat_niet.json" in problems[1].message_nl


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
