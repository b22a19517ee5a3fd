"""The sandbox: AST allow-list, restricted builtins, and SpiffWorkflow running inside it."""

from __future__ import annotations

import builtins
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.parsing import load_parser
from engine.preview import preview_timer
from engine.sandbox import (
    SAFE_BUILTINS,
    SandboxedEnvironment,
    SandboxViolation,
    check_source,
    check_source_messages,
    compile_restricted,
    make_script_engine,
)

MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"

ESCAPES = [
    ("().__class__.__base__.__subclasses__()", "eval"),
    ("__import__('os')", "eval"),
    ("import os", "exec"),
    ("from os import system", "exec"),
    ("'{0.__class__}'.format(1)", "eval"),
    ("'{x.__class__}'.format_map({'x': 1})", "eval"),
    ("getattr(x, '__cl' + 'ass__')", "eval"),
    ("(g for g in [1]).gi_frame.f_back.f_globals", "eval"),
    ("[].__class__", "eval"),
    ("f'{x.__class__}'", "eval"),
    ("type(x)", "eval"),
    ("object.__subclasses__()", "eval"),
    ("int.mro()", "eval"),
    ("eval('1')", "eval"),
    ("exec('x = 1')", "exec"),
    ("compile('1', 'f', 'eval')", "eval"),
    ("open('/etc/passwd').read()", "eval"),
    ("globals()['x']", "eval"),
    ("vars()", "eval"),
    ("dir()", "eval"),
    ("breakpoint()", "exec"),
    ("def f():\n    return 1", "exec"),
    ("class A:\n    pass", "exec"),
    ("lambda: (yield)", "eval"),
    ("global x\nx = 1", "exec"),
    ("with open('f') as handle:\n    pass", "exec"),
    ("match x:\n    case object(__class__=c):\n        pass", "exec"),
    ("try:\n    1 / 0\nexcept Exception as _e:\n    pass", "exec"),
    ("f(__class__=1)", "eval"),
    ("(lambda _x: 1)(2)", "eval"),
    ("x.__dict__", "eval"),
    ("async def f():\n    await x", "exec"),
]

ALLOWED = [
    ("categorie == 'eenvoudig'", "eval"),
    ("bedrag > 1000 and wijk in ['Oost', 'West']", "eval"),
    ("'regiegroep-' + wijk.lower()", "eval"),
    ("werkdagen(10)", "eval"),
    ('"P10D"', "eval"),
    ("sorted(bedragen, key=lambda b: -b)[:3]", "eval"),
    ("{k: v for k, v in data.items() if v}", "eval"),
    ("f'{bedrag:.2f} euro'", "eval"),
    ("'%s-%s' % (a, b)", "eval"),
    ("len(x) if x else 0", "eval"),
    ("\n   categorie == 'complex'\n", "eval"),
    ("totaal = 0\nfor b in bedragen:\n    totaal += b\nif totaal > 10:\n    groot = True", "exec"),
    ("\n    prioriteit = 'hoog'\n    teams = list(range(3))\n", "exec"),
    ("try:\n    x = int(y)\nexcept ValueError as fout:\n    x = 0", "exec"),
    ("del tijdelijk", "exec"),
    ("assert bedrag >= 0", "exec"),
]


@pytest.mark.parametrize(("source", "mode"), ESCAPES)
def test_check_source_rejects_escapes(source: str, mode: Any) -> None:
    problems = check_source(source, mode)
    assert problems, source
    assert all(problem.startswith("Regel") or problem[0].isupper() for problem in problems)


@pytest.mark.parametrize(("source", "mode"), ALLOWED)
def test_check_source_allows_ordinary_code(source: str, mode: Any) -> None:
    assert check_source(source, mode) == []


def test_messages_are_dutch_with_an_english_twin_and_a_line() -> None:
    messages = check_source_messages("x = 1\nimport os\ny = ().__class__", "exec")
    assert [nl.split(":")[0] for nl, _ in messages] == ["Regel 2", "Regel 3"]
    assert [en.split(":")[0] for _, en in messages] == ["Line 2", "Line 3"]
    assert "niet toegestaan" in messages[0][0] and "not allowed" in messages[0][1]


def test_syntax_errors_are_reported_with_their_line() -> None:
    [problem] = check_source("a = 1\nb = (", "exec")
    assert problem.startswith("Regel 2:") and "geen geldige Python-code" in problem
    [problem] = check_source("${bedrag > 5000}", "eval")
    assert problem.startswith("Regel 1:")


def test_empty_and_non_text_sources() -> None:
    assert check_source("", "eval") and check_source("   ", "eval")
    assert check_source("", "exec") == []
    assert check_source(None, "eval")  # type: ignore[arg-type]


def test_a_refused_construct_is_reported_once() -> None:
    assert len(check_source("import os, sys", "exec")) == 1


def test_check_is_cached_per_source() -> None:
    code = compile_restricted("x + 1", "eval")
    assert compile_restricted("x + 1", "eval") is code


def test_safe_builtins_are_exactly_the_documented_ones() -> None:
    expected = set(
        "len min max sum int float str bool round abs any all sorted list dict set tuple range "
        "enumerate zip isinstance None True False".split()
    )
    assert expected <= set(SAFE_BUILTINS)
    extra = set(SAFE_BUILTINS) - expected
    assert all(name.endswith(("Error", "Exception")) for name in extra)
    for dangerous in ("open", "getattr", "__import__", "eval", "exec", "type", "object", "print"):
        assert dangerous not in SAFE_BUILTINS


# --- at run time ------------------------------------------------------------------------------


def _env(**functions: Any) -> SandboxedEnvironment:
    return SandboxedEnvironment(functions)


@pytest.mark.parametrize(("source", "mode"), ESCAPES)
def test_escapes_are_refused_at_run_time_before_anything_runs(source: str, mode: str) -> None:
    calls: list[str] = []
    env = _env(mark=lambda: calls.append("ran"))
    context: dict[str, Any] = {"x": 1, "y": "2"}
    with pytest.raises(SandboxViolation) as caught:
        if mode == "eval":
            env.evaluate(f"mark() or ({source})" if "\n" not in source else source, context)
        else:
            env.execute("mark()\n" + source, context)
    assert calls == []
    assert caught.value.problems
    assert context == {"x": 1, "y": "2"}


def test_only_safe_builtins_exist_at_run_time() -> None:
    env = _env()
    assert env.evaluate("len(x) + max(x)", {"x": [1, 2]}) == 4
    with pytest.raises(NameError):
        env.evaluate("print('hallo')", {})
    # task data cannot smuggle the real builtins in
    with pytest.raises(NameError):
        env.evaluate("print", {"__builtins__": builtins.__dict__})


def test_evaluate_sees_data_external_context_and_functions() -> None:
    env = _env(dubbel=lambda n: n * 2)
    assert env.evaluate("dubbel(a) + b", {"a": 2}, {"b": 10}) == 14
    assert env.evaluate("\n   a == 2\n", {"a": 2}) is True


def test_execute_keeps_data_and_cleans_up_functions_and_builtins() -> None:
    env = _env(nu=lambda: "2024-03-04T09:00:00+00:00")
    context: dict[str, Any] = {"bedrag": 1500}
    env.execute(
        "prioriteit = 'hoog' if bedrag > 1000 else 'normaal'\nmoment = nu()\nsorteer = lambda v: -v",
        context,
        {"extern": 1},
    )
    assert context == {"bedrag": 1500, "prioriteit": "hoog", "moment": "2024-03-04T09:00:00+00:00"}


def test_execute_refuses_data_that_hides_a_function() -> None:
    with pytest.raises(ValueError, match="nu"):
        _env(nu=lambda: "x").execute("a = 1", {"nu": "bezet"})


def test_make_script_engine_uses_the_sandbox() -> None:
    engine = make_script_engine({"werkdagen": lambda n: f"over {n} dagen"})
    assert isinstance(engine, PythonScriptEngine)
    assert isinstance(engine.environment, SandboxedEnvironment)
    assert engine.environment.evaluate("werkdagen(3)", {}) == "over 3 dagen"


def test_preview_timer() -> None:
    assert preview_timer('"P10D"', "timeDuration") is None
    assert preview_timer("werkdagen(10)", "timeDate") is None
    assert preview_timer('"R3/PT1H"', "timeCycle") is None
    unquoted = preview_timer("P10D", "timeDuration")
    assert unquoted is not None and "aanhalingstekens" in unquoted[0]
    assert preview_timer("werkdagen(10)", "timeDuration") is not None
    assert preview_timer('"P100000000Y"', "timeDuration") is not None


# --- SpiffWorkflow end to end ----------------------------------------------------------------


class _MailEnvironment(SandboxedEnvironment):
    def call_service(self, context: dict[str, Any], **kwargs: Any) -> str:
        params = {name: spec["value"] for name, spec in kwargs["operation_params"].items()}
        return json.dumps({"handler": kwargs["operation_name"], "params": params})


def _functions() -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "werkdagen": lambda n: (now + timedelta(days=int(n) * 7 // 5 + 1)).isoformat(),
        "nu": lambda: now.isoformat(),
        "vandaag": lambda: now.date().isoformat(),
    }


def _model_files(*names: str, folder: str = "valid") -> dict[str, bytes]:
    return {name: (MODELS / folder / name).read_bytes() for name in names}


def _workflow(files: dict[str, bytes], process_id: str, engine: PythonScriptEngine) -> BpmnWorkflow:
    parser = load_parser(files)
    spec = parser.get_spec(process_id)
    return BpmnWorkflow(spec, parser.get_subprocess_specs(process_id), script_engine=engine)


def _complete_first(workflow: BpmnWorkflow, **data: Any) -> None:
    task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
    task.set_data(**data)
    task.run()
    workflow.do_engine_steps()


VALID = ("initiatief.bpmn", "groen.bpmn", "categorie.dmn")


def test_simple_route_runs_dmn_call_activity_and_scripts_in_the_sandbox() -> None:
    workflow = _workflow(_model_files(*VALID), "initiatief_aanvraag", make_script_engine(_functions()))
    workflow.do_engine_steps()
    _complete_first(workflow, soort="geveltuin", bedrag=100, wijk="Oost", email="a@example.org")
    assert workflow.is_completed()
    assert workflow.data["categorie"] == "eenvoudig"  # from the DMN table
    assert workflow.data["team"] == "team-groen"  # from the called process's script


def test_complex_route_runs_timers_prescript_and_service_task() -> None:
    engine = PythonScriptEngine(environment=_MailEnvironment(_functions()))
    workflow = _workflow(_model_files(*VALID), "initiatief_aanvraag", engine)
    workflow.do_engine_steps()
    _complete_first(workflow, soort="buurtactiviteit", bedrag=2000, wijk="Oost", email="a@example.org")
    [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert task.task_spec.bpmn_id == "Task_beoordelen"
    assert task.data["categorie"] == "wijkwens"
    assert task.data["prioriteit"] == "hoog" and task.data["aantal_teams"] == 2
    assert task.data["beoordeling_gestart"] is True
    assert len(workflow.waiting_events()) == 2  # the werkdagen(10) and "P5D" timers
    assert not any(callable(value) for value in task.data.values())
    _complete_first(workflow)
    assert workflow.is_completed()
    assert workflow.data["mail_resultaat"] == {
        "handler": "send_mail",
        "params": {"template": "besluit", "aan": "a@example.org"},
    }


@pytest.mark.parametrize("bedrag", [10, 5000, 5001])
def test_dmn_comparison_cells_work_in_the_sandbox(bedrag: int) -> None:
    workflow = _workflow(_model_files(*VALID), "initiatief_aanvraag", make_script_engine(_functions()))
    workflow.do_engine_steps()
    _complete_first(workflow, soort="buurtactiviteit", bedrag=bedrag, wijk="West", email="a@example.org")
    task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
    assert task.data["categorie"] == ("wijkwens" if bedrag <= 5000 else "complex")


def test_script_escape_is_stopped_at_run_time() -> None:
    files = _model_files("script_escapes.bpmn", folder="hostile")
    workflow = _workflow(files, "escapes", make_script_engine(_functions()))
    with pytest.raises(WorkflowException) as caught:
        workflow.do_engine_steps()
    assert "__class__" in str(caught.value)
    assert "klassen" not in workflow.data


def test_condition_escape_is_stopped_at_run_time() -> None:
    bpmn = (MODELS / "valid" / "initiatief.bpmn").read_bytes()
    evil = bpmn.replace(b"categorie == 'eenvoudig'", b"'{0.__class__}'.format(categorie) != ''")
    files = {"initiatief.bpmn": evil, **_model_files("groen.bpmn", "categorie.dmn")}
    workflow = _workflow(files, "initiatief_aanvraag", make_script_engine(_functions()))
    workflow.do_engine_steps()
    with pytest.raises(WorkflowException) as caught:
        _complete_first(workflow, soort="geveltuin", bedrag=1, wijk="Oost", email="a@example.org")
    assert isinstance(caught.value.__dict__.get("exception"), SandboxViolation) or "format" in str(caught.value)


def test_dmn_cell_escape_is_stopped_at_run_time() -> None:
    dmn = (MODELS / "valid" / "categorie.dmn").read_bytes()
    evil = dmn.replace(b'<text>"eenvoudig"</text>', b"<text>().__class__.__base__</text>")
    files = {**_model_files("initiatief.bpmn", "groen.bpmn"), "categorie.dmn": evil}
    workflow = _workflow(files, "initiatief_aanvraag", make_script_engine(_functions()))
    workflow.do_engine_steps()
    with pytest.raises(WorkflowException):
        _complete_first(workflow, soort="geveltuin", bedrag=1, wijk="Oost", email="a@example.org")


@pytest.mark.parametrize(
    "source",
    ["10 ** 10 ** 10", "2 ** n", "'x' * 1000000000", "[0] * 10000000", "1 << 100000000", "while True:\n    pass"],
)
def test_expressions_that_would_exhaust_a_worker_are_refused(source: str) -> None:
    assert check_source(source, "exec"), source


def test_range_is_bounded_at_run_time() -> None:
    from engine.sandbox import MAX_RANGE, SandboxedEnvironment

    environment = SandboxedEnvironment({})
    assert environment.evaluate("len(range(10))", {}) == 10
    with pytest.raises(ValueError, match=str(MAX_RANGE)):
        environment.evaluate(f"sum(range({MAX_RANGE + 1}))", {})


def test_ordinary_arithmetic_still_works() -> None:
    assert check_source("bedrag * 1.21 + x ** 2 - 3 * 4", "eval") == []
