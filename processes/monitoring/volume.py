"""How many initiatives came in: per month, category, district, kind of initiator and channel
(one grouped query each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import ProcessInstance
from processes.monitoring.sql import CATEGORY, CHANNEL, DISTRICT, KIND, Filters, month_of

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


def _counted(session: Session, key: Any, filters: Filters) -> dict[str, int]:
    rows = session.execute(select(key, func.count()).where(filters.condition()).group_by(key))
    found: dict[str, int] = {}
    for value, count in rows:
        name = str(value) if value not in (None, "") else UNKNOWN
        found[name] = found.get(name, 0) + int(count)
    return dict(sorted(found.items()))


def volumes(session: Session, filters: Filters) -> Volumes:
    month = month_of(session, ProcessInstance.created_at)
    found = Volumes(per_month=_counted(session, month, filters), per_category=_counted(session, CATEGORY, filters),
                    per_district=_counted(session, DISTRICT, filters), per_kind=_counted(session, KIND, filters),
                    per_channel=_counted(session, CHANNEL, filters),
                    per_state=_counted(session, ProcessInstance.state, filters))
    found.total = sum(found.per_state.values())
    return found
