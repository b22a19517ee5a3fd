"""How many initiatives came in: per month, category, district, kind of initiator, channel and
state. On PostgreSQL one pass over the facts (``GROUPING SETS``), on SQLite one grouped query
per figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from processes.monitoring.sql import Filters
from processes.tables.facts import CaseFact

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


FIGURES: dict[str, Any] = {"per_month": CaseFact.month, "per_category": CaseFact.category,
                           "per_district": CaseFact.district, "per_kind": CaseFact.kind,
                           "per_channel": CaseFact.channel, "per_state": CaseFact.state}


def _add(found: dict[str, int], value: Any, count: int) -> None:
    name = str(value) if value not in (None, "") else UNKNOWN
    found[name] = found.get(name, 0) + int(count)


def _grouped_once(session: Session, filters: Filters) -> dict[str, dict[str, int]]:
    columns = list(FIGURES.values())
    query = (select(*columns, *(func.grouping(column) for column in columns), func.count())
             .where(filters.condition()).group_by(func.grouping_sets(*columns)))
    found: dict[str, dict[str, int]] = {name: {} for name in FIGURES}
    for row in session.execute(query):
        values, grouped, count = row[:len(columns)], row[len(columns):-1], row[-1]
        index = list(grouped).index(0)  # the one column this row is grouped by
        _add(found[list(FIGURES)[index]], values[index], count)
    return found


def _grouped_each(session: Session, filters: Filters) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for name, column in FIGURES.items():
        found[name] = {}
        for value, count in session.execute(select(column, func.count()).where(filters.condition())
                                            .group_by(column)):
            _add(found[name], value, count)
    return found


def volumes(session: Session, filters: Filters) -> Volumes:
    postgres = session.get_bind().dialect.name == "postgresql"
    counted = _grouped_once(session, filters) if postgres else _grouped_each(session, filters)
    found = Volumes()
    for name, values in counted.items():
        setattr(found, name, dict(sorted(values.items())))
    found.total = sum(found.per_state.values())
    return found
