"""Helpers for the model-validation tests: small BPMN documents and problem summaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.errors import ModelProblem
from engine.validation import validate_files

MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"
VALID = MODELS / "valid"
FORMS = {"aanvraag", "beoordeling"}
HANDLERS = {"send_mail"}


def known_form(name: str) -> bool:
    return name in FORMS


def known_handler(name: str) -> bool:
    return name in HANDLERS


def validate(files: dict[str, bytes], **kwargs: Callable[[str], bool]) -> list[ModelProblem]:
    kwargs.setdefault("form_exists", known_form)
    kwargs.setdefault("handler_exists", known_handler)
    return validate_files(files, **kwargs)


def codes(problems: list[ModelProblem]) -> list[str]:
    return [problem.code for problem in problems]


def by_element(problems: list[ModelProblem]) -> dict[str | None, list[str]]:
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
