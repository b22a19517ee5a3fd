"""A service task's status text reaches the initiator like any other step's."""

from __future__ import annotations

from typing import Any

from engine.handlers import HandlerContext, HandlerRegistry
from tests.factories import create_engine

MODEL = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="besluit_mailen" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="mailen" name="Resultaat mailen">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="mail_resultaat" resultVariable="gemaild">
          <spiffworkflow:parameters />
        </spiffworkflow:serviceTaskOperator>
        <spiffworkflow:properties>
          <spiffworkflow:property name="statusText" value="Er is een besluit over uw initiatief." />
          <spiffworkflow:property name="informInitiator" value="true" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:userTask id="enquete" name="Enquete">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formId" value="tevredenheid" />
        <spiffworkflow:property name="candidateGroups" value="'initiatiefnemer'" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="eind"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="mailen" />
    <bpmn:sequenceFlow id="f2" sourceRef="mailen" targetRef="enquete" />
    <bpmn:sequenceFlow id="f3" sourceRef="enquete" targetRef="eind" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_status_of_a_service_task_is_recorded_and_mailed(database_url: str) -> None:
    handlers = HandlerRegistry()

    @handlers.register("mail_resultaat")
    def mail_resultaat(ctx: HandlerContext, params: dict[str, Any]) -> bool:
        return True

    engine = create_engine(database_url, handlers=handlers)
    engine.deploy_files({"besluit.bpmn": MODEL})
    info = engine.start("besluit_mailen", {"email": "a@example.nl", "titel": "Geveltuin"}, actor="burger")
    assert info.status_text is None
    assert engine.run_due_jobs() >= 1

    after = engine.instance(info.id)
    assert after.status_text == "Er is een besluit over uw initiatief."
    statuses = [e.detail for e in engine.audit_trail(info.id) if e.kind == "status"]
    assert statuses and statuses[-1]["text"] == "Er is een besluit over uw initiatief."  # type: ignore[index]
    assert [job.payload["template"] for job in engine.outbox(info.id)] == ["status_gewijzigd"]
