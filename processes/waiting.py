"""Where cases wait: per element of a process, across its versions (by element id), how many
initiatives wait there now and how many of those are overdue, and how long they spent there
over a period (median and 80th percentile, from the completed tasks in the audit trail). Counted
by aggregate queries, so it answers at once also with a whole pilot's history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import quantiles
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine import AuditEvent, OpenTask, ProcessInstance
from processes.diagrams import file_defining
from processes.loket import Loket
from processes.studio import bundle_in_use

COMPLETED = "task_completed"
HEAT_CLASSES = ("staff-warm-1", "staff-warm-2", "staff-warm-3", "staff-warm-4")
"""From short to long median time spent (the quarter of the elements each falls in)."""
LISTED = 200


@dataclass
class ElementWait:
    element: str
    name: str = ""
    waiting: int = 0
    overdue: int = 0
    completed: int = 0
    median_seconds: float | None = None
    p80_seconds: float | None = None


@dataclass
class WaitOverview:
    process_id: str
    elements: dict[str, ElementWait] = field(default_factory=dict)

    def heat(self) -> dict[str, list[str]]:
        """Per heat class, the elements whose median time falls in that quarter."""
        timed = sorted((row for row in self.elements.values() if row.median_seconds is not None),
                       key=lambda row: row.median_seconds or 0.0)
        found: dict[str, list[str]] = {name: [] for name in HEAT_CLASSES}
        for index, row in enumerate(timed):
            found[HEAT_CLASSES[min(3, index * 4 // max(1, len(timed)))]].append(row.element)
        return found


@dataclass(frozen=True)
class WaitingCase:
    case_ref: str
    title: str
    since: datetime
    overdue: bool


def _row(overview: WaitOverview, element: str) -> ElementWait:
    return overview.elements.setdefault(element, ElementWait(element))


def _now_waiting(session: Session, overview: WaitOverview) -> None:
    rows = session.execute(
        select(OpenTask.task_name, func.max(OpenTask.title), func.count(),
               func.sum(case((OpenTask.overdue.is_(True), 1), else_=0)))
        .where(OpenTask.process_id == overview.process_id).group_by(OpenTask.task_name))
    for element, title, count, overdue in rows:
        row = _row(overview, element)
        row.name, row.waiting, row.overdue = title or element, int(count), int(overdue or 0)


def _period(query: Any, since: date | None, until: date | None) -> Any:
    if since is not None:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min))
    if until is not None:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min))
    return query


def _time_spent(session: Session, overview: WaitOverview, since: date | None, until: date | None) -> None:
    element = AuditEvent.detail["element"].as_string()
    seconds = AuditEvent.detail["seconds"].as_integer()
    where = (AuditEvent.kind == COMPLETED, AuditEvent.detail["process"].as_string() == overview.process_id,
             seconds.is_not(None))
    if session.get_bind().dialect.name == "postgresql":
        query = (select(element, func.count(), func.percentile_cont(0.5).within_group(seconds),
                        func.percentile_cont(0.8).within_group(seconds)).where(*where).group_by(element))
        for name, count, median, p80 in session.execute(_period(query, since, until)):
            row = _row(overview, str(name))
            row.completed, row.median_seconds, row.p80_seconds = int(count), float(median), float(p80)
        return
    durations: dict[str, list[int]] = defaultdict(list)
    for name, value in session.execute(_period(select(element, seconds).where(*where), since, until)):
        durations[str(name)].append(int(value))
    for name, values in durations.items():
        row = _row(overview, name)
        row.completed = len(values)
        row.median_seconds, row.p80_seconds = _percentile(values, 0.5), _percentile(values, 0.8)


def _percentile(values: list[int], fraction: float) -> float:
    """As PostgreSQL's percentile_cont: linear between the two values around the fraction."""
    if len(values) == 1:
        return float(values[0])
    ordered = sorted(values)
    cuts = quantiles(ordered, n=100, method="inclusive")
    return float(cuts[round(fraction * 100) - 1])


def where_cases_wait(loket: Loket, process_id: str, *, since: date | None = None,
                     until: date | None = None) -> WaitOverview:
    overview = WaitOverview(process_id[:200])
    with loket.reading() as session:
        _now_waiting(session, overview)
        _time_spent(session, overview, since, until)
    return overview


def cases_waiting_at(loket: Loket, process_id: str, element: str) -> list[WaitingCase]:
    """The initiatives waiting at an element now, longest waiting first."""
    with loket.reading() as session:
        rows = session.execute(select(OpenTask.case_ref, ProcessInstance.title, OpenTask.created_at, OpenTask.overdue)
                               .join(ProcessInstance, ProcessInstance.id == OpenTask.instance_id)
                               .where(OpenTask.process_id == process_id[:200], OpenTask.task_name == element[:200])
                               .order_by(OpenTask.created_at).limit(LISTED))
        return [WaitingCase(ref, title or "", since, bool(overdue)) for ref, title, since, overdue in rows]




def diagram_of(loket: Loket, process_id: str) -> str | None:
    """The name of the .bpmn file in use that defines the process (to draw it)."""
    files = {name: data.decode("utf-8") for name, data in bundle_in_use(loket).items() if name.endswith(".bpmn")}
    found = file_defining(files, process_id)
    return found[0] if found else None


__all__ = ["ElementWait", "WaitOverview", "WaitingCase", "cases_waiting_at", "diagram_of", "where_cases_wait"]
