"""The facts of initiatives that have none: after the upgrade that added the fact tables (``loket
db upgrade``), or after rows were copied in without them. Read from the stored cases and their
audit trails by the same rules as every step uses (:mod:`processes.facts.rules`), in batches,
each batch its own transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine import AuditEvent, Engine, ProcessInstance
from processes.facts.rules import FACT_EVENTS, facts_of
from processes.tables.facts import CaseFact, StepFact
from processes.vocabulary import INITIATIVE_PROCESS

BATCH = 1000


def missing(session: Session) -> list[int]:
    """The initiatives without facts, oldest first."""
    known = select(CaseFact.instance_id).where(CaseFact.instance_id == ProcessInstance.id)
    return list(session.scalars(select(ProcessInstance.id).where(ProcessInstance.process_id == INITIATIVE_PROCESS,
                                                                 ~known.exists()).order_by(ProcessInstance.id)))


def _fill(session: Session, ids: list[int]) -> None:
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for instance_id, at, actor, kind, detail in session.execute(
            select(AuditEvent.instance_id, AuditEvent.at, AuditEvent.actor, AuditEvent.kind, AuditEvent.detail)
            .where(AuditEvent.instance_id.in_(ids), AuditEvent.kind.in_(FACT_EVENTS)).order_by(AuditEvent.id)):
        events[instance_id].append({"at": at, "actor": actor, "kind": kind, "detail": detail})
    cases: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for instance_id, case_ref, created_at, updated_at, state, data in session.execute(
            select(ProcessInstance.id, ProcessInstance.case_ref, ProcessInstance.created_at,
                   ProcessInstance.updated_at, ProcessInstance.state, ProcessInstance.case_data)
            .where(ProcessInstance.id.in_(ids))):
        case, its_steps = facts_of(instance_id, case_ref, created_at, updated_at, state, data or {},
                                   events[instance_id])
        cases.append(case)
        steps += its_steps
    if cases:
        session.execute(insert(CaseFact), cases)
    if steps:
        session.execute(insert(StepFact), steps)


def fill_facts(engine: Engine, *, progress: Callable[[int], None] | None = None) -> int | None:
    """Facts for every initiative that has none; returns how many were filled, None when none
    was missing (the steps keep them)."""
    with engine.reading() as session:
        ids = missing(session)
    if not ids:
        return None
    for start in range(0, len(ids), BATCH):
        with engine.transaction() as session:
            _fill(session, ids[start:start + BATCH])
        if progress is not None:
            progress(min(start + BATCH, len(ids)))
    return len(ids)
