"""Case data goes in and comes out as a private, JSON-shaped copy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.plaindata import jsonable


def test_plain_data_is_copied_deeply_and_unchanged() -> None:
    data = {"titel": "Moestuin", "bedrag": 750, "deel": 0.5, "akkoord": True, "leeg": None,
            "disciplines": ["groen", {"sub": ["a"]}]}
    copied = jsonable(data)
    assert copied == data
    copied["disciplines"][1]["sub"].append("b")
    assert data["disciplines"][1]["sub"] == ["a"]  # the caller's data is never shared


def test_other_values_come_back_as_json_would_give_them() -> None:
    data = {"op": date(2025, 3, 4), "paar": (1, 2), 7: "zeven", "bedrag": Decimal("12.50")}
    assert jsonable(data) == {"op": "2025-03-04", "paar": [1, 2], "7": "zeven", "bedrag": "12.50"}
