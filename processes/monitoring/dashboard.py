"""The monitoring dashboard: who may see which figures, and all figures of one view read in one
unit of work. The procesbeheerder and the beheerder see everything; a team lead (the lead of a
team in the organisation data) sees the open work and the steps of their own team(s)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import USER_TASK, OutlineElement, ProcessOutline
from processes import clock
from processes.access import ADMIN_ROLES, MODEL_ROLES, Principal
from processes.errors import AccessDenied
from processes.loket import Loket
from processes.monitoring.feedback import Budget, RuleUse, Satisfaction, budgets, rule_quality, satisfaction
from processes.monitoring.grouped import counts
from processes.monitoring.leadtime import LeadTime, case_times, slowest, step_keys, step_times
from processes.monitoring.sql import Filters
from processes.monitoring.tally import Wanted, tallied
from processes.monitoring.volume import Volumes, volumes
from processes.monitoring.work import Questions, TeamWork, open_work, questions
from processes.procedure import Norm, norm_of, steps_of
from processes.tables.organisation import District, Team
from processes.vocabulary import ANSWER_PROCESS, CATEGORIES, INITIATIVE_PROCESS, INITIATOR_GROUP

FULL_ROLES = MODEL_ROLES | ADMIN_ROLES
PROCESSES = (INITIATIVE_PROCESS, *CATEGORIES, ANSWER_PROCESS)


@dataclass(frozen=True)
class Scope:
    """What a viewer may see: everything (``teams`` None) or the figures of these teams."""

    teams: frozenset[str] | None = None

    @property
    def everything(self) -> bool:
        return self.teams is None


@dataclass
class Dashboard:
    filters: Filters
    scope: Scope
    volumes: Volumes = field(default_factory=Volumes)
    steps: dict[str, LeadTime] = field(default_factory=dict)
    cases: dict[str, LeadTime] = field(default_factory=dict)
    slowest: list[LeadTime] = field(default_factory=list)
    work: list[TeamWork] = field(default_factory=list)
    questions: Questions = field(default_factory=Questions)
    rules: list[RuleUse] = field(default_factory=list)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    budgets: list[Budget] = field(default_factory=list)
    district_names: dict[str, str] = field(default_factory=dict)
    team_names: dict[str, str] = field(default_factory=dict)


def lead_teams(session: Session, principal: Principal) -> frozenset[str]:
    rows = session.scalars(select(Team.code).where(func.lower(Team.lead_email) == principal.email.lower()))
    return frozenset(rows)


def may_monitor(loket: Loket, principal: Principal) -> bool:
    """Whether the dashboard is for this user at all (the staff navigation asks)."""
    if principal.has_any(FULL_ROLES):
        return True
    with loket.reading() as session:
        return bool(lead_teams(session, principal))


def scope_of(loket: Loket, principal: Principal) -> Scope:
    """AccessDenied for staff who are neither procesbeheerder, beheerder nor a team lead."""
    if principal.has_any(FULL_ROLES):
        return Scope()
    with loket.reading() as session:
        teams = lead_teams(session, principal)
    if not teams:
        raise AccessDenied("monitor")
    return Scope(teams)


def _groups(element: OutlineElement) -> set[str]:
    """The team codes (or code prefixes, as in ``'regiegroep-' + wijk``) a task's candidate
    groups expression names."""
    try:
        tree = ast.parse(element.properties.get("candidateGroups", "") or "''", mode="eval")
    except SyntaxError:
        return set()
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value}


def _of_team(element: OutlineElement, teams: frozenset[str]) -> bool:
    names = _groups(element)
    return any(team in names or any(name.endswith("-") and team.startswith(name) for name in names)
               for team in teams)


@dataclass(frozen=True)
class Norms:
    steps: dict[str, Norm]
    names: dict[str, str]
    cases: dict[str, Norm]
    team_steps: set[str]


def norms_in_use(outlines: dict[str, ProcessOutline], teams: frozenset[str] | None) -> Norms:
    """The norm and name of every user task in the versions in use, and per category the end-
    to-end norm: the working-day norms of the intake's and the category's steps added up."""
    steps: dict[str, Norm] = {}
    names: dict[str, str] = {}
    mine: set[str] = set()
    for process_id, outline in outlines.items():
        for element in outline.of_kind(USER_TASK):
            key = f"{process_id}/{element.bpmn_id}"
            names[key] = element.name or element.bpmn_id
            norm = norm_of(element)
            if norm is not None:
                steps[key] = norm
            if teams is not None and _of_team(element, teams):
                mine.add(key)
    intake = outlines.get(INITIATIVE_PROCESS)
    first = [step.norm for step in steps_of(intake)] if intake is not None else []
    cases: dict[str, Norm] = {}
    for category in CATEGORIES:
        if category not in outlines:
            continue
        norms = [*first, *(step.norm for step in steps_of(outlines[category]))]
        if norms and all(norm is not None and norm.unit == "werkdagen" for norm in norms):
            cases[category] = Norm(sum(norm.amount for norm in norms if norm is not None), "werkdagen")
    return Norms(steps, names, cases, mine)


_NORMS: dict[tuple[tuple[tuple[str, int], ...], frozenset[str] | None], tuple[object, Norms]] = {}
NORMS_KEPT = 64


def kept_norms(outlines: dict[str, ProcessOutline], teams: frozenset[str] | None) -> Norms:
    """:func:`norms_in_use`, worked out once per set of versions (the engine keeps one outline per
    version, and a version never changes) and team scope: parsing every task's candidate groups
    on every view cost more than a tenth of the page."""
    key = (tuple((process_id, id(outline)) for process_id, outline in sorted(outlines.items())), teams)
    kept = _NORMS.get(key)
    if kept is None:
        if len(_NORMS) >= NORMS_KEPT:
            _NORMS.clear()
        # The outlines are kept with their norms: an id is only reused after its object is gone.
        kept = _NORMS[key] = (tuple(outlines.values()), norms_in_use(outlines, teams))
    return kept[1]


def dashboard(loket: Loket, filters: Filters, scope: Scope) -> Dashboard:
    """Every figure of the dashboard for these filters, as far as the scope reaches."""
    norms = kept_norms(loket.engine.outlines(PROCESSES), scope.teams)
    found = Dashboard(filters, scope)
    with loket.reading() as session:
        if session.get_bind().dialect.name == "postgresql":
            # One snapshot for every figure: a month's tallies and the days taken away from them
            # are read as of the same moment (SQLite's read transaction is one snapshot anyway).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        found.district_names = {code: name for code, name in session.execute(select(District.code, District.name))}
        found.team_names = {code: name for code, name in session.execute(select(Team.code, Team.name))}
        only = norms.team_steps if scope.teams is not None else None
        steps, in_days = step_keys(norms.steps, only)
        read = tallied(session, filters, Wanted(cases=scope.everything, steps=steps, in_days=in_days,
                                                teams=scope.teams, leave_out=INITIATOR_GROUP))
        found.steps = step_times(session, filters, norms.steps, norms.names, only, read)
        found.slowest = slowest(found.steps)
        found.work = open_work(session, filters, scope.teams, read)
        if not scope.everything:
            return found
        counted = counts(session, filters, read)
        found.volumes = volumes(counted)
        found.cases = case_times(counted, norms.cases)
        found.questions = questions(counted)
        found.rules = rule_quality(counted)
        found.satisfaction = satisfaction(session, filters, counted)
        found.budgets = budgets(session, _years(filters))
    return found


def _years(filters: Filters) -> list[int]:
    this_year = clock.now().year
    first = filters.since.year if filters.since else this_year
    last = filters.until.year if filters.until else this_year
    return list(range(min(first, last), max(first, last) + 1))[-10:]
