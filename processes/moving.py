"""Move running initiatives to another version of the models: which can move (the engine decides
per case with SpiffWorkflow's spec diff), a dry run, then the move itself — each one audited on
the case. A category process (complex, wijkwens, eenvoudig) runs inside the initiative, so its
version is reached by moving the initiative to the version deployed with it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from engine import CannotMove, ModelVersion, MoveCheck, ProcessInstance
from processes.errors import InvalidInput
from processes.loket import Loket
from processes.vocabulary import INITIATIVE_PROCESS

MAX_CASES = 5000
"""At most this many initiatives are checked or moved at once."""


@dataclass(frozen=True)
class Target:
    process_id: str
    version_no: int
    version_id: int
    """The version of the initiative process the cases move to."""
    label: str


@dataclass(frozen=True)
class Moved:
    case_ref: str
    reason: str | None
    """Why it did not move (None: it moved)."""


def target(loket: Loket, process_id: str, version_no: int) -> Target:
    """The initiative version that carries ``process_id`` version ``version_no``; InvalidInput
    ({"versie": "unknown"}) when there is none."""
    with loket.reading() as session:
        chosen = session.scalar(select(ModelVersion).where(ModelVersion.process_id == process_id,
                                                          ModelVersion.version_no == version_no))
        top = chosen if chosen is not None and process_id == INITIATIVE_PROCESS else None
        if chosen is not None and top is None:
            top = session.scalar(select(ModelVersion).where(ModelVersion.process_id == INITIATIVE_PROCESS,
                                                            ModelVersion.bundle_id == chosen.bundle_id))
        if chosen is None or top is None:
            raise InvalidInput({"versie": "unknown"})
        return Target(process_id, version_no, top.id, f"{process_id} versie {version_no}")


def candidates(loket: Loket, to: Target, *, case_refs: Iterable[str] = (), at: str | None = None) -> list[MoveCheck]:
    """The running initiatives on another version (or those named), each with whether it can move."""
    refs = [ref.strip() for ref in case_refs if ref.strip()]
    with loket.reading() as session:
        query = select(ProcessInstance.id).where(ProcessInstance.process_id == INITIATIVE_PROCESS,
                                                 ProcessInstance.state == "running",
                                                 ProcessInstance.model_version_id != to.version_id)
        if refs:
            query = query.where(ProcessInstance.case_ref.in_(refs))
        ids = list(session.scalars(query.order_by(ProcessInstance.created_at, ProcessInstance.id).limit(MAX_CASES)))
    checks = loket.engine.check_moves(ids, to.version_id)
    return [check for check in checks if at is None or at in check.at]


def move(loket: Loket, to: Target, checks: Iterable[MoveCheck], *, actor: str) -> list[Moved]:
    """Move the cases that can move, one by one (each its own step and audit event)."""
    found = []
    for check in checks:
        if not check.can_move:
            found.append(Moved(check.case_ref, check.reason))
            continue
        try:
            loket.engine.move_case(check.instance_id, to.version_id, actor=actor)
        except CannotMove as refused:
            found.append(Moved(check.case_ref, str(refused)))
        else:
            found.append(Moved(check.case_ref, None))
    return found


__all__ = ["InvalidInput", "Moved", "Target", "candidates", "move", "target"]
