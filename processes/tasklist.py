"""Task lists: "mijn taken" and the team queue, as plain indexed queries on the open-task
projection joined with the instance row (never a deserialized workflow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from engine import OpenTask, ProcessInstance
from processes import clock
from processes.access import Principal, assigned_condition, group_condition
from processes.loket import Loket
from processes.paging import clamp_page, page_count
from processes.tables.organisation import District, Guide
from processes.tables.staff import StaffUser
from processes.vocabulary import DISTRICT_FIELD, TASK_PROCESSES

PAGE_SIZE = 20
VIEWS = ("mijn", "team")
CATEGORIES = TASK_PROCESSES
STATUSES = ("vrij", "toegewezen", "bij_mij")
SORTS = ("termijn", "nieuwste", "oudste", "nummer")

Rows = Select[*tuple[Any, ...]]
DISTRICT = ProcessInstance.case_data[DISTRICT_FIELD].as_string()


@dataclass(frozen=True)
class TaskFilter:
    view: str = "mijn"
    category: str = ""
    district: str = ""
    status: str = ""
    overdue: bool = False
    search: str = ""
    sort: str = "termijn"
    page: int = 1

    @classmethod
    def from_args(cls, args: Any, view: str) -> TaskFilter:
        """From query-string arguments; unknown values are ignored, never an error."""
        def pick(name: str, allowed: tuple[str, ...], default: str = "") -> str:
            value = str(args.get(name, "") or "")
            return value if value in allowed else default

        try:
            page = max(1, int(args.get("pagina", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(
            view=view if view in VIEWS else "mijn",
            category=pick("categorie", CATEGORIES),
            district=str(args.get("wijk", "") or "")[:40],
            status=pick("status", STATUSES),
            overdue=str(args.get("te_laat", "")) in ("1", "on", "ja"),
            search=str(args.get("zoek", "") or "").strip()[:100],
            sort=pick("sortering", SORTS, "termijn"),
            page=page,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query-string arguments of this filter (with ``changes``), for links."""
        values = {"categorie": self.category, "wijk": self.district, "status": self.status,
                  "te_laat": "1" if self.overdue else "", "zoek": self.search, "sortering": self.sort,
                  "pagina": self.page}
        values.update(changes)
        defaults = {"sortering": "termijn", "pagina": 1}
        return {key: value for key, value in values.items() if value not in ("", None) and defaults.get(key) != value}


@dataclass(frozen=True)
class TaskRow:
    task_id: str
    instance_id: int
    case_ref: str
    process_id: str
    task_name: str
    title: str
    initiative_title: str | None
    candidate_group: str | None
    assignee: str | None
    due_at: datetime | None
    overdue: bool
    created_at: datetime
    district: str | None
    assignee_name: str | None

    @property
    def late(self) -> bool:
        return self.overdue or (self.due_at is not None and self.due_at < clock.now())


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scope(principal: Principal, view: str) -> ColumnElement[bool]:
    return assigned_condition(principal) if view == "mijn" else group_condition(principal.groups)


def _filtered(principal: Principal, flt: TaskFilter) -> Rows:
    query: Rows = (
        select(OpenTask.task_id, OpenTask.instance_id, OpenTask.case_ref, OpenTask.process_id, OpenTask.task_name,
               OpenTask.title, ProcessInstance.title, OpenTask.candidate_group, OpenTask.assignee, OpenTask.due_at,
               OpenTask.overdue, OpenTask.created_at, DISTRICT,
               func.coalesce(StaffUser.name, Guide.name, OpenTask.assignee))
        .join(ProcessInstance, ProcessInstance.id == OpenTask.instance_id)
        .outerjoin(StaffUser, StaffUser.email == OpenTask.assignee)
        .outerjoin(Guide, Guide.email == OpenTask.assignee)
        .where(_scope(principal, flt.view))
    )
    if flt.category:
        query = query.where(OpenTask.process_id == flt.category)
    if flt.district:
        query = query.where(DISTRICT == flt.district)
    if flt.status == "vrij":
        query = query.where(OpenTask.assignee.is_(None))
    elif flt.status == "toegewezen":
        query = query.where(OpenTask.assignee.is_not(None))
    elif flt.status == "bij_mij":
        query = query.where(assigned_condition(principal))
    if flt.overdue:
        query = query.where(or_(OpenTask.overdue.is_(True), OpenTask.due_at < clock.now()))
    if flt.search:
        pattern = f"%{_escape(flt.search)}%"
        query = query.where(or_(OpenTask.case_ref.ilike(pattern, escape="\\"),
                                ProcessInstance.title.ilike(pattern, escape="\\"),
                                OpenTask.title.ilike(pattern, escape="\\")))
    return query


def _sorted(query: Rows, sort: str) -> Rows:
    if sort == "nieuwste":
        return query.order_by(OpenTask.created_at.desc(), OpenTask.task_id)
    if sort == "oudste":
        return query.order_by(OpenTask.created_at, OpenTask.task_id)
    if sort == "nummer":
        return query.order_by(OpenTask.case_ref, OpenTask.created_at)
    return query.order_by(OpenTask.due_at.is_(None), OpenTask.due_at, OpenTask.created_at, OpenTask.task_id)


def list_tasks(session: Session, principal: Principal, flt: TaskFilter, page_size: int = PAGE_SIZE) -> TaskPage:
    query = _filtered(principal, flt)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    page = clamp_page(flt.page, total, page_size)
    rows = session.execute(_sorted(query, flt.sort).limit(page_size).offset((page - 1) * page_size)).all()
    return TaskPage([TaskRow(*row) for row in rows], total, page, page_size)


def count_tasks(session: Session, principal: Principal) -> dict[str, int]:
    """How many tasks are in "mijn taken" and in the team queue (for the start page)."""
    counts = {}
    for view in VIEWS:
        query = select(func.count()).select_from(OpenTask).where(_scope(principal, view))
        counts[view] = int(session.scalar(query) or 0)
    return counts


@dataclass(frozen=True)
class TaskList:
    page: TaskPage
    districts: list[tuple[str, str]]
    """(code, name) of every district, for the filter."""


def task_list(loket: Loket, principal: Principal, flt: TaskFilter) -> TaskList:
    """One page of "mijn taken" or the team queue, filtered and sorted."""
    with loket.reading() as session:
        page = list_tasks(session, principal, flt)
        districts = [(code, name) for code, name in
                     session.execute(select(District.code, District.name).order_by(District.name)).all()]
    return TaskList(page, districts)


def task_counts(loket: Loket, principal: Principal) -> dict[str, int]:
    """How many tasks are in "mijn taken" and in the team queue (none for who does no tasks)."""
    if not principal.is_worker:
        return {}
    with loket.reading() as session:
        return count_tasks(session, principal)
