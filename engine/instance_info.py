"""What the engine tells about an instance after a step or a query (no workflow in it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import NotFound
from engine.instance_store import InstanceRow
from engine.tables import ProcessInstance


@dataclass(frozen=True)
class InstanceInfo:
    id: int
    case_ref: str
    process_id: str
    model_version_id: int
    state: str
    status_text: str | None
    status_text_en: str | None
    has_incident: bool
    version: int
    data: dict[str, Any]


def info_of(row: ProcessInstance | InstanceRow) -> InstanceInfo:
    return InstanceInfo(
        id=row.id,
        case_ref=row.case_ref,
        process_id=row.process_id,
        model_version_id=row.model_version_id,
        state=row.state,
        status_text=row.status_text,
        status_text_en=row.status_text_en,
        has_incident=row.has_incident,
        version=row.row_version,
        data=dict(row.case_data or {}),
    )


def require_running(row: InstanceRow) -> None:
    if row.state != "running":
        raise NotFound("Dit initiatief loopt niet meer.")
