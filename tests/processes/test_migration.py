"""Moving running cases to a new version with SpiffWorkflow's spec diff: a case waiting at
"Categorie bevestigen" moves to a version with a new task on the complex path and then follows
it; a case at a removed step cannot move and says why; the move is in the audit trail."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from engine import AuditEvent
from engine.migration import CannotMove
from engine.service import Engine
from processes import MODELS_DIR, incidents, moving, studio
from processes.loket import Loket
from tests.processes.factories import Case, complex_data, intake_data
from tests.web.staff.support import ACCEPT, INTAKE, INTAKEGESPREK, PROCES
from web.cli import cli

NEW_TASK = '''    <bpmn:userTask id="participatiecheck" name="Participatiecheck">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formId" value="toets_participatie"/>
          <spiffworkflow:property name="candidateGroups" value="'initiatieventeam'"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_start_complex_uitnodigen</bpmn:incoming>
      <bpmn:outgoing>Flow_participatiecheck_uitnodigen</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_participatiecheck_uitnodigen" sourceRef="participatiecheck"
      targetRef="uitnodigen"/>
'''


def with_participation_check() -> bytes:
    diagram = (MODELS_DIR / "complex.bpmn").read_text(encoding="utf-8")
    flow = '<bpmn:sequenceFlow id="Flow_start_complex_uitnodigen" sourceRef="start_complex" targetRef="uitnodigen"/>'
    assert flow in diagram
    diagram = diagram.replace(flow, flow.replace('targetRef="uitnodigen"', 'targetRef="participatiecheck"'))
    diagram = diagram.replace("      <bpmn:incoming>Flow_start_complex_uitnodigen</bpmn:incoming>\n",
                              "      <bpmn:incoming>Flow_participatiecheck_uitnodigen</bpmn:incoming>\n")
    task = '    <bpmn:userTask id="uitnodigen"'
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
    case.invite()
    case.complete("intakegesprek", INTAKEGESPREK, actor=INTAKE)
    assert case.task_names() == ["begeleider_koppelen"]
    new_version = deploy_new_version(loket)
    engine.move_case(case.id, new_version, actor=PROCES)
    case.complete("begeleider_koppelen", {"begeleider_akkoord": True}, actor=INTAKE)
    assert "toets_regels" in case.task_names()


def test_a_case_at_a_removed_step_stays_and_says_why(loket: Loket, engine: Engine) -> None:
    case = Case.start(engine, complex_data())
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    case.invite()
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


DIVIDING = b'''    <bpmn:scriptTask id="aandeel_berekenen" name="Aandeel berekenen">
      <bpmn:incoming>Flow_start_eenvoudig_aandeel</bpmn:incoming>
      <bpmn:outgoing>Flow_aandeel_groen_beoordelen</bpmn:outgoing>
      <bpmn:script>aandeel = 100 / gevraagd_bedrag</bpmn:script>
    </bpmn:scriptTask>
'''


def with_a_step_that_fails_on_zero(diagram: bytes) -> bytes:
    """A script step the check accepts (the name is a start-form answer) that fails for an
    initiative asking no money: a division by zero, at run time only."""
    start = diagram.index(b'<bpmn:sequenceFlow id="', diagram.index(b'sourceRef="start_eenvoudig"') - 120)
    end = diagram.index(b"/>", start) + 2
    flow = diagram[start:end]
    old_id = flow.split(b'id="')[1].split(b'"')[0]
    diagram = diagram[:start] + (b'<bpmn:sequenceFlow id="Flow_start_eenvoudig_aandeel" sourceRef="start_eenvoudig" '
                                 b'targetRef="aandeel_berekenen"/>\n    <bpmn:sequenceFlow '
                                 b'id="Flow_aandeel_groen_beoordelen" sourceRef="aandeel_berekenen" '
                                 b'targetRef="groen_beoordelen"/>') + diagram[end:]
    diagram = diagram.replace(b"<bpmn:outgoing>" + old_id + b"</bpmn:outgoing>",
                              b"<bpmn:outgoing>Flow_start_eenvoudig_aandeel</bpmn:outgoing>")
    diagram = diagram.replace(b"<bpmn:incoming>" + old_id + b"</bpmn:incoming>",
                              b"<bpmn:incoming>Flow_aandeel_groen_beoordelen</bpmn:incoming>")
    task = b'    <bpmn:userTask id="groen_beoordelen"'
    return diagram.replace(task, DIVIDING + task, 1)


def test_a_case_stuck_on_a_broken_version_moves_to_the_fixed_one_and_goes_on(loket: Loket,
                                                                              engine: Engine) -> None:
    good = (MODELS_DIR / "eenvoudig.bpmn").read_bytes()
    check, broken = studio.deploy(loket, {"eenvoudig.bpmn": with_a_step_that_fails_on_zero(good)}, actor=PROCES,
                                  reason="proef met een stap die kan falen")
    assert broken is not None, [problem.format() for problem in check.problems]
    case = Case.start(engine, intake_data(gevraagd_bedrag=0))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert case.task_names() == []  # stuck: the failing step raised an incident
    assert [incident.case_ref for incident in incidents.incidents(loket)] == [case.info.case_ref]

    repaired = with_a_step_that_fails_on_zero(good).replace(b"100 / gevraagd_bedrag",
                                                            b"100 / gevraagd_bedrag if gevraagd_bedrag else 0")
    check, fixed = studio.deploy(loket, {"eenvoudig.bpmn": repaired}, actor=PROCES, note="delen door nul kan niet meer")
    assert fixed is not None, [problem.format() for problem in check.problems]
    to = moving.target(loket, "initiatief", max(v.version_no for v in fixed.versions if v.process_id == "initiatief"))
    [found] = moving.candidates(loket, to, case_refs=[case.info.case_ref])
    assert found.can_move, found.reason
    moving.move(loket, to, [found], actor=PROCES)
    engine.run_due_jobs()
    assert case.task_names() == ["groen_beoordelen"]  # the failed step ran again, on the fixed version
    assert incidents.incidents(loket) == []
    assert case.refresh().model_version_id == to.version_id
