"""The in-memory scenario run: the engine's own stepping, with service answers from the caller,
messages, time passing on a clock of its own, and a clear problem when the scenario and the
model part ways. Nothing touches a database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from engine import ScenarioStep, clock, read_bundle_files, run_scenario
from processes import MODELS_DIR
from tests.processes.factories import intake_data

FILES = read_bundle_files(MODELS_DIR)
MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}


def answers(calls: list[tuple[str, dict[str, Any]]]) -> Any:
    def answer(handler: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        calls.append((handler, params))
        return {"sent": True}

    return answer


def test_a_simple_initiative_runs_to_its_end_with_the_services_it_calls() -> None:
    calls: list[tuple[str, dict[str, Any]]] = []
    trace = run_scenario(FILES, "initiatief", intake_data(), [
        ScenarioStep(task="categorie_bevestigen", data=ACCEPT),
        ScenarioStep(task="groen_beoordelen", data={"aanvulling_nodig": False, "besluit": "afgewezen",
                                                    "reden_afwijzing": "Te smal."}),
        ScenarioStep(task="tevredenheid", data={"tevredenheid_score": 3}),
    ], answers(calls), start=MONDAY)
    assert trace.problem is None and trace.steps_done == 3
    assert trace.path == ["categorie_bevestigen", "groen_beoordelen", "tevredenheid"]
    assert trace.ended_at == "einde_afgewezen"
    assert (trace.data["categorie_voorstel"], trace.data["uitkomst"]) == ("eenvoudig", "afgewezen")
    assert [(element, handler) for element, handler, _ in trace.services] == [("resultaat_mailen",
                                                                                "send_initiator_mail")]
    assert calls == [("send_initiator_mail", {"template": "resultaat", "context": {"uitkomst": "afgewezen"}})]


def test_time_passes_on_a_clock_of_its_own_and_timers_fire_in_order() -> None:
    seen: list[datetime] = []

    def answer(handler: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        seen.append(clock.now())
        return {}

    other_thread: list[datetime] = []
    real_before = clock.now()
    trace = run_scenario(FILES, "initiatief", intake_data(), [
        ScenarioStep(task="categorie_bevestigen", data=ACCEPT),
        ScenarioStep(task="groen_beoordelen", data={"aanvulling_nodig": True, "aanvulling_vraag": "Foto?"}),
        ScenarioStep(working_days=21),
    ], answer, start=MONDAY)
    thread = threading.Thread(target=lambda: other_thread.append(clock.now()))
    thread.start()
    thread.join()
    assert trace.problem is None and trace.ended_at == "einde_ingetrokken"
    assert [params["template"] for _, handler, params in trace.services if handler == "send_initiator_mail"] == [
        "aanvulling_gevraagd", "aanvulling_herinnering", "resultaat"]
    assert seen[0] == MONDAY and seen[1] > MONDAY  # the reminder came later, on the scenario's clock
    assert clock.now() >= real_before and other_thread[0] >= real_before  # the real clock was never moved


def test_a_task_that_is_not_next_stops_the_run_and_says_what_the_process_waits_for() -> None:
    trace = run_scenario(FILES, "initiatief", intake_data(), [ScenarioStep(task="groen_beoordelen")],
                         answers([]), start=MONDAY)
    assert trace.steps_done == 0
    assert trace.problem == ("De taak 'groen_beoordelen' is niet aan de beurt; "
                             "het proces wacht op: categorie_bevestigen.")
    assert trace.waiting == ["categorie_bevestigen"]


def test_a_message_the_process_does_not_wait_for_is_a_problem() -> None:
    trace = run_scenario(FILES, "initiatief", intake_data(), [ScenarioStep(message="aanvulling_ontvangen")],
                         answers([]), start=MONDAY)
    assert trace.problem is not None and "wacht niet op het bericht 'aanvulling_ontvangen'" in trace.problem


def test_answers_that_do_not_fit_the_form_are_a_problem_when_forms_are_checked() -> None:
    def check(form_id: str, data: dict[str, Any]) -> list[str]:
        return [] if form_id != "categorie_bevestigen" or "categorie_akkoord" in data else ["kies ja of nee"]

    trace = run_scenario(FILES, "initiatief", intake_data(), [ScenarioStep(task="categorie_bevestigen", data={})],
                         answers([]), start=MONDAY, check=check)
    assert trace.problem is not None and "passen niet bij het formulier categorie_bevestigen" in trace.problem
    assert trace.path == []


def test_a_model_that_fails_while_running_is_a_problem_not_an_exception() -> None:
    broken = dict(FILES)
    broken["categorisatie.dmn"] = broken["categorisatie.dmn"].replace(b"len(disciplines)", b"len(bestaat_niet)")
    trace = run_scenario(broken, "initiatief", intake_data(), [], answers([]), start=MONDAY)
    assert trace.problem is not None and "categoriseren" in trace.problem


def test_unreadable_models_are_a_problem_not_an_exception() -> None:
    trace = run_scenario({"kapot.bpmn": b"<nee"}, "initiatief", {}, [], answers([]), start=MONDAY)
    assert trace.problem is not None and trace.problem.startswith("De modellen kunnen niet worden gelezen")
