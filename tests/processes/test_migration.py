"""Moving running cases to a new version with SpiffWorkflow's spec diff: a case waiting at
"Categorie bevestigen" moves to a version with a new task on the complex path and then follows
it; a case at a removed step cannot move and says why; the move is in the audit trail."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from engine import AuditEvent
from engine.migration import CannotMove
from engine.service import Engine
from processes import MODELS_DIR, moving, studio
from processes.loket import Loket
from tests.processes.factories import Case, complex_data
from tests.web.staff.support import ACCEPT, INTAKE, INTAKEGESPREK, PROCES
from web.cli import cli

NEW_TASK = '''    <bpmn:userTask id="participatiecheck" name="Participatiecheck">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formId" value="toets_participatie"/>
          <spiffworkflow:property name="candidateGroups" value="'initiatieventeam'"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_start_complex_intakegesprek</bpmn:incoming>
      <bpmn:outgoing>Flow_participatiecheck_intakegesprek</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_participatiecheck_intakegesprek" sourceRef="participatiecheck"
      targetRef="intakegesprek"/>
'''


def with_participation_check() -> bytes:
    diagram = (MODELS_DIR / "complex.bpmn").read_text(encoding="utf-8")
    diagram = diagram.replace('<bpmn:sequenceFlow id="Flow_start_complex_intakegesprek" sourceRef="start_complex" '
                              'targetRef="intakegesprek"/>',
                              '<bpmn:sequenceFlow id="Flow_start_complex_intakegesprek" sourceRef="start_complex" '
                              'targetRef="participatiecheck"/>')
    diagram = diagram.replace("      <bpmn:incoming>Flow_start_complex_intakegesprek</bpmn:incoming>\n",
                              "      <bpmn:incoming>Flow_participatiecheck_intakegesprek</bpmn:incoming>\n")
    task = '    <bpmn:userTask id="intakegesprek"'
    return diagram.replace(task, NEW_TASK + task, 1).encode()


def deploy_new_version(loket: Loket) -> int:
    check, result = studio.deploy(loket, {"complex.bpmn": with_participation_check()}, actor=PROCES,
                                  reason="de scenario's van het complexe pad krijgen de nieuwe stap later")
    assert result is not None, [problem.format() for problem in check.problems]
    return next(version.version_id for version in result.versions if version.process_id == "initiatief")


def test_a_case_at_the_intake_moves_and_then_follows_the_new_task(loket: Loket, engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    task_before = case.task("categorie_bevestigen").task_id
    new_version = deploy_new_version(loket)
    [check] = engine.check_moves([case.id], new_version)
    assert check.can_move and check.at == ("categorie_bevestigen",)

    engine.move_case(case.id, new_version, actor=PROCES)
    assert case.refresh().model_version_id == new_version
    assert case.task("categorie_bevestigen").task_id == task_before  # the same task, still in the lists
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert case.task_names() == ["participatiecheck"]
    with engine.db.reading() as session:
        moved = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == case.id,
                                                         AuditEvent.kind == "migrated")).one()
    assert moved.actor == PROCES and moved.detail is not None and moved.detail["to_version"] == new_version


def test_a_case_inside_the_changed_call_activity_moves_when_its_step_still_exists(loket: Loket,
                                                                                engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    case.complete("intakegesprek", INTAKEGESPREK, actor=INTAKE)
    assert case.task_names() == ["begeleider_koppelen"]
    new_version = deploy_new_version(loket)
    engine.move_case(case.id, new_version, actor=PROCES)
    case.complete("begeleider_koppelen", {"begeleider_akkoord": True}, actor=INTAKE)
    assert "toets_regels" in case.task_names()


def test_a_case_at_a_removed_step_stays_and_says_why(loket: Loket, engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert case.task_names() == ["intakegesprek"]
    renamed = ((MODELS_DIR / "complex.bpmn").read_bytes().replace(b'"intakegesprek"', b'"kennismaking"')
               .replace(b'name="formId" value="kennismaking"', b'name="formId" value="intakegesprek"'))
    check, result = studio.deploy(loket, {"complex.bpmn": renamed}, actor=PROCES, reason="proef")
    assert result is not None, [problem.format() for problem in check.problems]
    new_version = next(version.version_id for version in result.versions if version.process_id == "initiatief")
    [found] = engine.check_moves([case.id], new_version)
    assert found.reason == ("het initiatief is bij 'Kennismakingsgesprek voeren', "
                            "en die stap bestaat niet in de nieuwe versie")
    try:
        engine.move_case(case.id, new_version, actor=PROCES)
    except CannotMove as refused:
        assert "Kennismakingsgesprek voeren" in str(refused)
    else:
        raise AssertionError("the case moved")
    assert case.refresh().model_version_id != new_version
    assert case.task_names() == ["intakegesprek"]


def test_the_cli_shows_a_dry_run_then_moves_the_cases_that_can(app: Flask, loket: Loket, engine: Engine) -> None:
    waiting = Case.start(engine, complex_data())
    deploy_new_version(loket)
    complex_version = 2
    runner = app.test_cli_runner()
    dry = runner.invoke(cli, ["models", "migrate", "--process", "complex", "--to-version", str(complex_version),
                              "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{waiting.info.case_ref} (bij categorie_bevestigen): kan mee" in dry.output
    assert waiting.refresh().model_version_id != moving.target(loket, "complex", complex_version).version_id
    done = runner.invoke(cli, ["models", "migrate", "--process", "complex", "--to-version", str(complex_version),
                               "--case", waiting.info.case_ref])
    assert f"{waiting.info.case_ref}: overgezet" in done.output
    assert waiting.refresh().model_version_id == moving.target(loket, "complex", complex_version).version_id
    unknown = runner.invoke(cli, ["models", "migrate", "--process", "complex", "--to-version", "99"])
    assert unknown.exit_code == 1 and "complex heeft geen versie 99." in unknown.output
