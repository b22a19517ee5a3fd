"""What one finished case leaves in the database, for ``loket bench case``: the sum of the stored
size of every row that belongs to it (every column's value as the database gets it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import processes.tables  # noqa: F401 - every table on the metadata
from engine import AuditEvent, Job, OpenTask, OpenTaskGroup, ProcessInstance, bench_value_size
from processes.tables.facts import CaseFact, StepFact
from processes.tables.organisation import BudgetReservation, GuideAssignment

COUNTED = ("process_instance (workflow state, case data, title, status…)", "open_task", "open_task_group",
           "audit_event", "job (done jobs: mail, service, timer)", "case_fact", "step_fact",
           "org_guide_assignment", "org_budget_reservation")
"""The rows counted per case (running_count, organisation and model rows are shared: not counted)."""


def stored_bytes(session: Session, instance_id: int) -> dict[str, int]:
    """Bytes per table of one case's rows, and ``total``."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        raise LookupError(f"no case {instance_id}")
    found: dict[str, list[Any]] = {"process_instance": [instance]}
    for model in (OpenTask, AuditEvent, Job, CaseFact, StepFact):
        found[model.__tablename__] = list(session.scalars(select(model).where(model.instance_id == instance_id)))
    task_ids = [task.task_id for task in found["open_task"]]
    found["open_task_group"] = list(session.scalars(select(OpenTaskGroup).where(
        OpenTaskGroup.task_id.in_(task_ids)))) if task_ids else []
    found["org_guide_assignment"] = list(session.scalars(select(GuideAssignment).where(
        GuideAssignment.case_ref == instance.case_ref)))
    found["org_budget_reservation"] = list(session.scalars(select(BudgetReservation).where(
        BudgetReservation.case_ref == instance.case_ref)))
    sizes = {table: sum(_row_size(row) for row in rows) for table, rows in found.items()}
    sizes["total"] = sum(sizes.values())
    return sizes


def _row_size(row: Any) -> int:
    return sum(bench_value_size(getattr(row, column.key)) for column in row.__table__.columns)
