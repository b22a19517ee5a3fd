"""How many initiatives came in: per month, category, district, kind of initiator, channel and
state (from the grouped counts over the facts, :mod:`processes.monitoring.grouped`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from processes.monitoring.grouped import Counts

UNKNOWN = "onbekend"


@dataclass
class Volumes:
    total: int = 0
    per_month: dict[str, int] = field(default_factory=dict)
    per_category: dict[str, int] = field(default_factory=dict)
    per_district: dict[str, int] = field(default_factory=dict)
    per_kind: dict[str, int] = field(default_factory=dict)
    per_channel: dict[str, int] = field(default_factory=dict)
    per_state: dict[str, int] = field(default_factory=dict)


FIGURES = {"per_month": "month", "per_category": "category", "per_district": "district", "per_kind": "kind",
           "per_channel": "channel", "per_state": "state"}
"""Each figure and the set of counts (:mod:`processes.monitoring.grouped`) it is made of."""


def volumes(counted: Counts) -> Volumes:
    found = Volumes()
    for figure, name in FIGURES.items():
        values: dict[str, int] = {}
        for (value,), count in counted[name]:
            key = str(value) if value not in (None, "") else UNKNOWN
            values[key] = values.get(key, 0) + count
        setattr(found, figure, dict(sorted(values.items())))
    found.total = sum(found.per_state.values())
    return found
