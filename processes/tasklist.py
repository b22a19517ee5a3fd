"""Task lists: "mijn taken" and the team queue, as plain indexed queries on the open-task
projection joined with the instance row (never a deserialized workflow)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true, union_all
from sqlalchemy.orm import Session

from engine import OpenTask, OpenTaskGroup, ProcessInstance
from processes import clock
from processes.access import Principal, assigned_condition, group_condition, queue_groups
from processes.loket import Loket
from processes.paging import clamp_page, page_count
from processes.tables.organisation import District, Guide
from processes.tables.staff import StaffUser
from processes.vocabulary import DISTRICT_FIELD, TASK_PROCESSES

PAGE_SIZE = 20
COUNT_LIMIT = 1000
"""Tasks are counted up to this many; past it a list or the start page says "more than"."""
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

    @property
    def more(self) -> bool:
        """True when there are more than :data:`COUNT_LIMIT` tasks (``total`` is then one more)."""
        return self.total > COUNT_LIMIT


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scope(principal: Principal, view: str) -> ColumnElement[bool]:
    return assigned_condition(principal) if view == "mijn" else group_condition(principal.groups)


def _one_queue(principal: Principal, flt: TaskFilter) -> str | None:
    """The group when this is the queue of a member of one team: then the page is read from the
    group's rows in the order the list shows (an index range), however many other tasks there are."""
    groups = queue_groups(principal.groups)
    return groups[0] if flt.view == "team" and len(groups) == 1 else None


def _filtered(principal: Principal, flt: TaskFilter) -> Rows:
    query: Rows = (
        select(OpenTask.task_id, OpenTask.instance_id, OpenTask.case_ref, OpenTask.process_id, OpenTask.task_name,
               OpenTask.title, ProcessInstance.title, OpenTask.candidate_group, OpenTask.assignee, OpenTask.due_at,
               OpenTask.overdue, OpenTask.created_at, DISTRICT,
               func.coalesce(StaffUser.name, Guide.name, OpenTask.assignee))
    )
    group = _one_queue(principal, flt)
    if group is not None:
        query = (query.select_from(OpenTaskGroup).join(OpenTask, OpenTask.task_id == OpenTaskGroup.task_id)
                 .where(OpenTaskGroup.group_code == group))
    else:
        query = query.where(_scope(principal, flt.view))
    query = (query.join(ProcessInstance, ProcessInstance.id == OpenTask.instance_id)
             .outerjoin(StaffUser, StaffUser.email == OpenTask.assignee)
             .outerjoin(Guide, Guide.email == OpenTask.assignee))
    return _narrowed(query, principal, flt)


def _narrowed(query: Rows, principal: Principal, flt: TaskFilter) -> Rows:
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


def _narrows(flt: TaskFilter) -> bool:
    return bool(flt.category or flt.district or flt.status or flt.overdue or flt.search)


def _sorted(query: Rows, flt: TaskFilter, by_group: bool) -> Rows:
    if flt.sort == "nieuwste":
        return query.order_by(OpenTask.created_at.desc(), OpenTask.task_id)
    if flt.sort == "oudste":
        return query.order_by(OpenTask.created_at, OpenTask.task_id)
    if flt.sort == "nummer":
        return query.order_by(OpenTask.case_ref, OpenTask.created_at)
    # Deadline first, tasks without one last: the order of the queue and assignee indexes.
    table = OpenTaskGroup if by_group else OpenTask
    return query.order_by(table.due_at.asc().nulls_last(), table.created_at, table.task_id)


def _capped(ids: Select[Any]) -> Select[Any]:
    """How many of ``ids`` there are, counted up to :data:`COUNT_LIMIT` and one: a count reads at
    most that many index entries, however long a queue grows (past it a list says "more than")."""
    return select(func.count()).select_from(ids.limit(COUNT_LIMIT + 1).subquery())


def _count(session: Session, principal: Principal, flt: TaskFilter, query: Rows) -> int:
    """Without a filter the count reads only an index: the group's rows, or the user's tasks."""
    group = _one_queue(principal, flt)
    if _narrows(flt):
        counted = _capped(query.with_only_columns(OpenTask.task_id))
    elif group is not None:
        counted = _capped(select(OpenTaskGroup.task_id).where(OpenTaskGroup.group_code == group))
    else:
        counted = _plain_count(principal, flt.view)
    return int(session.scalar(counted) or 0)


def _plain_count(principal: Principal, view: str) -> Select[Any]:
    if view == "team":
        groups = queue_groups(principal.groups)
        return _capped(select(OpenTaskGroup.task_id).distinct()
                       .where(OpenTaskGroup.group_code.in_(groups) if groups else false()))
    return _capped(select(OpenTask.task_id).where(assigned_condition(principal)))


def _first_of_mine(principal: Principal, wanted: int) -> ColumnElement[bool]:
    """The first ``wanted`` tasks of each name this user is assigned under, each an index range
    in list order (an ``IN`` over several names could not be read in order, only sorted whole)."""
    ranges = [select(OpenTask.task_id)
              .where(func.lower(OpenTask.assignee) == identity, assigned_condition(principal))
              .order_by(OpenTask.due_at.asc().nulls_last(), OpenTask.created_at, OpenTask.task_id)
              .limit(wanted).subquery().select()
              for identity in sorted(principal.identities)]
    return OpenTask.task_id.in_(union_all(*ranges)) if len(ranges) > 1 else true()


def _first_of_groups(principal: Principal, wanted: int) -> ColumnElement[bool]:
    """The first ``wanted`` tasks of each of this user's groups, each an index range in list order."""
    ranges = [select(OpenTaskGroup.task_id).where(OpenTaskGroup.group_code == group)
              .order_by(OpenTaskGroup.due_at.asc().nulls_last(), OpenTaskGroup.created_at, OpenTaskGroup.task_id)
              .limit(wanted).subquery().select()
              for group in queue_groups(principal.groups)]
    return OpenTask.task_id.in_(union_all(*ranges)) if len(ranges) > 1 else true()


def list_tasks(session: Session, principal: Principal, flt: TaskFilter, page_size: int = PAGE_SIZE) -> TaskPage:
    query = _filtered(principal, flt)
    total = _count(session, principal, flt, query)
    page = clamp_page(flt.page, total, page_size)
    if flt.sort == "termijn" and not _narrows(flt):
        first = _first_of_mine if flt.view == "mijn" else _first_of_groups
        query = query.where(first(principal, page * page_size))
    ordered = _sorted(query, flt, _one_queue(principal, flt) is not None)
    rows = session.execute(ordered.limit(page_size).offset((page - 1) * page_size)).all()
    return TaskPage([TaskRow(*row) for row in rows], total, page, page_size)


def count_tasks(session: Session, principal: Principal) -> dict[str, int]:
    """How many tasks are in "mijn taken" and in the team queue (for the start page), each
    counted from an index only, up to :data:`COUNT_LIMIT` and one."""
    return {view: int(session.scalar(_plain_count(principal, view)) or 0) for view in VIEWS}


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
