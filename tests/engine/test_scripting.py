"""The loket's own functions for diagram expressions (engine/scripting.py)."""

from __future__ import annotations

import pytest

from engine.scripting import euro, make_engine_script_engine


@pytest.mark.parametrize(("amount", "text"), [
    (0, "€ 0,00"), (750, "€ 750,00"), (1250.5, "€ 1.250,50"), (24250.0, "€ 24.250,00"),
    (1234567.891, "€ 1.234.567,89"), ("99.5", "€ 99,50"), (-1500, "€ -1.500,00"),
])
def test_euro_writes_amounts_the_dutch_way(amount: float | str, text: str) -> None:
    assert euro(amount) == text


def test_diagram_expressions_can_call_euro() -> None:
    environment = make_engine_script_engine().environment
    assert environment.evaluate("'nog ' + euro(bedrag) + ' over'", {"bedrag": 2500}) == "nog € 2.500,00 over"
