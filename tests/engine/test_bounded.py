"""Diagram code is bounded in rounds, seconds and size, at check time and at run time alike."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from engine.bounded import LimitExceeded
from engine.limits import MAX_DAYS, MAX_SIZE, MAX_STEPS
from engine.preview import preview_timer
from engine.sandbox import SandboxedEnvironment, SandboxViolation, check_source
from engine.scripting import werkdagen

ENV = SandboxedEnvironment({})


@pytest.mark.parametrize("expression", [
    "'a' * 10 ** 9",
    "[0] * 10 ** 7",
    "(1, 2) * 10 ** 6",
    "2 ** 64 ** 2",
    "((2 ** 64) ** 64) ** 64",
])
def test_an_expression_that_would_make_something_huge_stops_before_it(expression: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises((LimitExceeded, SandboxViolation)):
            ENV.evaluate(expression, {})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MAX_SIZE, "refused before the memory was taken"


@pytest.mark.parametrize("script", [
    "s = 'ab'\nfor i in range(40):\n    s = s + s",
    "x = [1]\nfor i in range(40):\n    x += x",
    "t = 0\nfor i in range(100000):\n    for j in range(100000):\n        t += 1",
    "n = sum(1 for i in range(100000) for j in range(100000))",
    "y = 2 ** 64\nfor i in range(20):\n    y = y * y",
])
def test_a_script_that_would_run_away_stops_within_its_budget(script: str) -> None:
    with pytest.raises(LimitExceeded):
        ENV.execute(script, {})


def test_the_rounds_budget_is_one_per_evaluation_not_per_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # A million rounds can take longer than the time budget on a busy machine; this test is
    # about the rounds, so the clock must not stop it first.
    monkeypatch.setattr("engine.bounded.MAX_SECONDS", 60.0)
    rounds = MAX_STEPS // 2 + 1
    ENV.execute(f"t = 0\nfor i in range({min(rounds, 100000)}):\n    t += 1", {})  # fine alone
    nested = "t = 0\nfor i in range(100):\n    for j in range(100000):\n        t += 1"
    with pytest.raises(LimitExceeded, match="herhaalt te vaak"):
        ENV.execute(nested, {})


def test_ordinary_code_still_runs_with_its_usual_results() -> None:
    context: dict[str, object] = {"bedragen": [100, 250.5], "naam": "Wijk"}
    ENV.execute("totaal = 0\nfor b in bedragen:\n    totaal += b\nlabel = naam + ' oost' * 2", context)
    assert context["totaal"] == 350.5 and context["label"] == "Wijk oost oost"
    assert ENV.evaluate("[x * 2 for x in range(5)]", {}) == [0, 2, 4, 6, 8]
    assert ENV.evaluate("f'{3:>5}'", {}) == "    3"
    assert ENV.evaluate("2 ** 10 + (1 << 4)", {}) == 1040


@pytest.mark.parametrize("source", ["f'{1:>99999}'", "f'{1:>{n}}'", "'x'.ljust(10)", "'7'.zfill(10)"])
def test_padding_beyond_the_limit_is_refused_by_the_check(source: str) -> None:
    assert check_source(source, "eval")


def test_check_only_never_evaluates_unbounded() -> None:
    started = time.monotonic()
    problem = preview_timer("'a' * 10 ** 9", "timeDate")
    assert problem is not None and "te groot" in problem[0]
    assert time.monotonic() - started < 5


def test_the_check_and_the_run_share_the_limit_of_a_term() -> None:
    assert preview_timer(f"werkdagen({MAX_DAYS})", "timeDate") is None
    werkdagen(MAX_DAYS)
    assert preview_timer(f"werkdagen({MAX_DAYS + 1})", "timeDate") is not None
    with pytest.raises(ValueError):
        werkdagen(MAX_DAYS + 1)
