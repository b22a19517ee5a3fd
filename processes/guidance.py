"""The initiatives a guide guides: where each one is and who has its open work, so a guide sees
the specialist teams' assessments of their cases without doing them (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from engine import OpenTask, ProcessInstance
from processes.access import Principal
from processes.loket import Loket
from processes.tables.organisation import Guide, GuideAssignment, Team

GUIDED_LIMIT = 100
"""A guide guides a few dozen initiatives at most; the list shows this many, the newest coupled first."""


@dataclass(frozen=True)
class GuidedTask:
    task_id: str
    title: str
    team: str | None
    assignee: str | None
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class GuidedCase:
    case_ref: str
    title: str
    status_text: str | None
    tasks: list[GuidedTask] = field(default_factory=list)


def guided_cases(loket: Loket, principal: Principal) -> list[GuidedCase]:
    """The running initiatives this person guides now, each with its open tasks and the team
    (or person) that has them; empty for who guides nothing."""
    if not principal.identities:
        return []
    with loket.reading() as session:
        cases = session.execute(
            select(ProcessInstance.id, ProcessInstance.case_ref, ProcessInstance.title, ProcessInstance.status_text)
            .join(GuideAssignment, GuideAssignment.case_ref == ProcessInstance.case_ref)
            .join(Guide, Guide.id == GuideAssignment.guide_id)
            .where(GuideAssignment.closed_at.is_(None), ProcessInstance.state == "running",
                   func.lower(Guide.email).in_(sorted(principal.identities)))
            .order_by(GuideAssignment.assigned_at.desc()).limit(GUIDED_LIMIT)
        ).all()
        if not cases:
            return []
        teams = {code: name for code, name in session.execute(select(Team.code, Team.name))}
        tasks = session.scalars(select(OpenTask).where(OpenTask.instance_id.in_([row.id for row in cases]))
                                .order_by(OpenTask.due_at, OpenTask.created_at)).all()
        by_case: dict[int, list[GuidedTask]] = {}
        for task in tasks:
            group = (task.candidate_group or "").split(",")[0] or None
            by_case.setdefault(task.instance_id, []).append(GuidedTask(
                task.task_id, task.title, teams.get(group or "", group), task.assignee, task.due_at, task.overdue))
    return [GuidedCase(row.case_ref, row.title or row.case_ref, row.status_text, by_case.get(row.id, []))
            for row in cases]
