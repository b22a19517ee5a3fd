"""The contact centre: find any initiative, a read-only view of where it stands, and the
access log. Every search result list and every case view is personal data seen by the KCC,
so each one is written to ``staff_kcc_access`` in the same transaction that reads it.

A search reads an index, never every initiative: an exact reference is one lookup; other words
go through the search text of :mod:`processes.tables.search` (trigrams on PostgreSQL, FTS5 on
SQLite), and hits are counted up to :data:`COUNT_LIMIT` (a common word says "more than")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from engine import Job, OpenTask, ProcessInstance, WaitingMessage
from processes import clock
from processes.access import Principal
from processes.casefile import GuideView, case_by_ref, contact_moments, current_guide, team_names
from processes.diagrams import model_of_case
from processes.loket import Loket
from processes.messages import thread
from processes.paging import clamp_page, page_count, page_numbers
from processes.tables.case import CaseMessage
from processes.tables.search import FTS_TABLE, postgres_text
from processes.tables.staff import ContactMoment, KccAccess
from processes.vocabulary import INITIATIVE_PROCESS

PAGE_SIZE = 25
MIN_QUERY = 2
COUNT_LIMIT = 500
"""Hits are counted up to this many; past it the page says "more than" (a common word)."""
MAX_TERMS = 6
TRIGRAM = 3
"""The shortest term a trigram index can look up."""
"""Page links shown either side of the current page (plus the first and the last)."""
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
NAME = ProcessInstance.case_data["naam"].as_string()


@dataclass(frozen=True)
class SearchHit:
    case_ref: str
    title: str | None
    name: str | None
    email: str | None
    district: str | None
    status_text: str | None
    status_text_en: str | None
    state: str
    created_at: datetime


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _terms(query: str) -> list[str]:
    """The lower-case words that must all occur (a postcode is one term, spelled as stored)."""
    postcode = _POSTCODE.match(query)
    if postcode:
        return [f"{postcode.group(1)} {postcode.group(2)}".lower()]
    return list(dict.fromkeys(query.lower().split()))[:MAX_TERMS]


def _scanned(terms: list[str]) -> ColumnElement[bool]:
    """Only for words too short for the SQLite index: each in a column (reads every initiative)."""
    return and_(*(or_(ProcessInstance.case_ref.ilike(f"%{_escape(term)}%", escape="\\"),
                      ProcessInstance.title.ilike(f"%{_escape(term)}%", escape="\\"),
                      NAME.ilike(f"%{_escape(term)}%", escape="\\"),
                      ProcessInstance.initiator.ilike(f"%{_escape(term)}%", escape="\\")) for term in terms))


def _condition(session: Session, query: str) -> ColumnElement[bool]:
    """Initiatives whose search text contains every term, through the text index."""
    terms = _terms(query)
    if session.get_bind().dialect.name != "sqlite":
        searched = postgres_text()
        return and_(*(searched.like(f"%{_escape(term)}%", escape="\\") for term in terms))
    indexed = [term for term in terms if len(term) >= TRIGRAM]
    if not indexed:
        return _scanned(terms)
    phrase = " AND ".join('"' + term.replace('"', '""') + '"' for term in indexed)
    matched: Select[Any] = select(literal_column("rowid")).select_from(text(FTS_TABLE)).where(
        literal_column(FTS_TABLE).op("MATCH")(phrase))
    short = [term for term in terms if len(term) < TRIGRAM]
    return and_(ProcessInstance.id.in_(matched), *([_scanned(short)] if short else []))


def _reference(session: Session, query: str) -> int | None:
    """The initiative whose reference this is, exactly (one unique-index lookup)."""
    return session.scalar(select(ProcessInstance.id).where(ProcessInstance.case_ref == query.upper()[:40],
                                                           ProcessInstance.process_id == INITIATIVE_PROCESS))


@dataclass(frozen=True)
class SearchPage:
    """One page of search results: ``page`` counts from 1, ``total`` is every hit on all pages."""

    hits: list[SearchHit]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.page_size)

    @property
    def more(self) -> bool:
        """True when there are more than :data:`COUNT_LIMIT` hits (``total`` is then one more)."""
        return self.total > COUNT_LIMIT

    @property
    def first(self) -> int:
        """The number of the first hit on this page (1-based; 0 when there are none)."""
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1 if self.hits else 0

    @property
    def numbers(self) -> list[int | None]:
        """The page links to show; ``None`` marks a gap (…)."""
        return page_numbers(self.page, self.pages)


def search(loket: Loket, principal: Principal, query: str, *, page: int = 1,
           page_size: int | None = None) -> SearchPage:
    """One page of the initiatives that match ``query`` (see :func:`find`); the search is logged."""
    if len(query.strip()[:200]) < MIN_QUERY:
        return SearchPage([], 0, 1, page_size or PAGE_SIZE)
    with loket.transaction() as session:
        return find(session, principal, query, page=page, page_size=page_size)


def find(session: Session, principal: Principal, query: str, *, page: int = 1,
         page_size: int | None = None) -> SearchPage:
    """Initiatives whose reference, title, initiator name, e-mail address or postcode contains
    every word of ``query`` (a postcode may be written without its space), or the one whose
    reference it is; newest first, one page of them (a page past the last gives the last).
    Logged with the number of hits (counted up to :data:`COUNT_LIMIT` and one)."""
    text = query.strip()[:200]
    page_size = page_size or PAGE_SIZE
    if len(text) < MIN_QUERY:
        return SearchPage([], 0, 1, page_size)
    exact = _reference(session, text)
    matches = ProcessInstance.id == exact if exact is not None else _condition(session, text)
    where = (ProcessInstance.process_id == INITIATIVE_PROCESS, matches)
    counted = select(ProcessInstance.id).where(*where).limit(COUNT_LIMIT + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(counted)) or 0)
    page = clamp_page(page, total, page_size)
    rows = session.execute(
        select(ProcessInstance.case_ref, ProcessInstance.title, NAME, ProcessInstance.initiator,
               ProcessInstance.case_data["wijk"].as_string(), ProcessInstance.status_text,
               ProcessInstance.status_text_en, ProcessInstance.state, ProcessInstance.created_at)
        .where(*where)
        .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    session.add(KccAccess(user_id=principal.id, user_email=principal.email, action="search", query=text,
                          result_count=total, at=clock.now()))
    return SearchPage([SearchHit(*row) for row in rows], total, page, page_size)


@dataclass(frozen=True)
class Handler:
    task: str
    team: str | None
    assignee: str | None
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class KccCase:
    case: ProcessInstance
    data: dict[str, Any]
    handlers: list[Handler]
    guide: GuideView | None
    waiting: list[WaitingMessage]
    next_date: datetime | None
    contacts: list[ContactMoment]
    open_tasks: list[OpenTask]
    messages: list[CaseMessage] = field(default_factory=list)
    """The thread with the initiator (read-only here)."""

    @property
    def category(self) -> str | None:
        value = self.data.get("categorie") or self.data.get("categorie_voorstel")
        return str(value) if value else None


def _next_date(session: Session, case: ProcessInstance, tasks: list[OpenTask]) -> datetime | None:
    """The earliest service norm of an open task; else the next timer (reminder, deadline)."""
    dates = [task.due_at for task in tasks if task.due_at is not None]
    if dates:
        return min(dates)
    return session.scalar(select(Job.due_at).where(Job.instance_id == case.id, Job.kind == "timer",
                                                   Job.state == "ready").order_by(Job.due_at).limit(1))


def view_case(loket: Loket, principal: Principal, case_ref: str) -> KccCase:
    """What the contact centre may see of a case (its status, handlers, decision and the message
    thread), read-only. Logged."""
    with loket.transaction() as session:
        case = case_by_ref(session, case_ref)
        data = dict(case.case_data or {})
        tasks = list(session.scalars(select(OpenTask).where(OpenTask.instance_id == case.id)
                                     .order_by(OpenTask.created_at)).all())
        names = team_names(session)
        handlers = [Handler(task.title, names.get(task.candidate_group or "", task.candidate_group), task.assignee,
                            task.due_at, task.overdue) for task in tasks]
        guide = current_guide(session, case.case_ref, data)
        next_date = _next_date(session, case, tasks)
        contacts = contact_moments(session, case.id)
        messages = thread(session, case.id)
        session.add(KccAccess(user_id=principal.id, user_email=principal.email, action="view", instance_id=case.id,
                              at=clock.now()))
    waiting = loket.engine.waiting_messages(case.id) if case.state == "running" else []
    return KccCase(case, data, handlers, guide, waiting, next_date, contacts, tasks, messages)


def access_log(session: Session, *, instance_id: int | None = None, limit: int = 200) -> list[KccAccess]:
    query = select(KccAccess).order_by(KccAccess.id.desc()).limit(limit)
    if instance_id is not None:
        query = query.where(KccAccess.instance_id == instance_id)
    return list(session.scalars(query).all())


def case_diagram(loket: Loket, case_ref: str, process_id: str) -> bytes | None:
    """The model of a case the contact centre looks at (no personal data in it, so the case
    view's log entry covers it)."""
    with loket.reading() as session:
        instance_id = case_by_ref(session, case_ref).id
    return model_of_case(loket, instance_id, process_id[:200])
