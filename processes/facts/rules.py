"""What the monitoring's facts (:mod:`processes.tables.facts`) hold, worked out once per step
instead of on every look at the dashboard.

One set of rules, used three ways: by the engine's step hook (:func:`keep_facts`, in every step's
transaction), by the upgrade that fills them from the stored cases and audit trails
(:mod:`processes.facts.fill`) and by the generated history
(:mod:`processes.monitoring.history`). The rules are those the dashboard counted by before:

- the case data gives category, suggested category and rule, district, kind of initiator,
  channel, outcome, survey score and comment, and whether it was withdrawn for lack of an answer;
- a completed task whose changes set ``aanvulling_nodig`` to true asks the initiator a question;
  a message ``aanvulling_ontvangen`` is an answer; the first completed task that sets
  ``uitkomst`` decides, or else the first step after which the case data holds an ``uitkomst``
  (a script set it);
- a completed task that says how long it was open (``seconds``) is a step: working days (and
  calendar days) from the UTC day it was opened to the UTC day it was completed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from engine import StepDone, StepSql
from processes.facts.workdays import day_number, moment_number, utc_day
from processes.tables.facts import TEXT_LENGTH
from processes.vocabulary import CHANNEL_FIELD, DISTRICT_FIELD, INITIATIVE_PROCESS

COMPLETED = "task_completed"
MESSAGE = "message"
FACT_EVENTS = (COMPLETED, MESSAGE)
"""The kinds of audit event the facts are made of."""
ANSWER_MESSAGE = "aanvulling_ontvangen"
ASKED_FIELD = "aanvulling_nodig"
OUTCOME_FIELD = "uitkomst"
INT_LIMIT = 2**31
FIELDS = {"category": "categorie", "suggested": "categorie_voorstel", "rule": "categorie_regel",
          "district": DISTRICT_FIELD, "kind": "soort_initiatiefnemer", "channel": CHANNEL_FIELD,
          "outcome": OUTCOME_FIELD}
"""Fact column → the case-data field it is read from (as text)."""
SCORE_FIELD = "tevredenheid_score"
COMMENT_FIELD = "tevredenheid_opmerking"
WITHDRAWN_FIELD = "aanvulling_ingetrokken"
TEXTS = tuple(FIELDS)


def _text(value: Any) -> str | None:
    """A case-data value as the dashboard reads it: text (other values in their JSON spelling),
    cut to the length a fact keeps."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:TEXT_LENGTH]


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and abs(value) < INT_LIMIT else None


@dataclass(frozen=True)
class CaseValues:
    """What the case data and state say (the part of a case's facts a step may change)."""

    state: str
    texts: tuple[str | None, ...]
    """In the order of :data:`TEXTS`."""
    score: int | None
    withdrawn: bool
    commented: bool

    def columns(self) -> dict[str, Any]:
        return {"state": self.state, **dict(zip(TEXTS, self.texts, strict=True)), "score": self.score,
                "withdrawn": self.withdrawn}


def case_values(data: Mapping[str, Any], state: str) -> CaseValues:
    comment = data.get(COMMENT_FIELD)
    return CaseValues(state, tuple(_text(data.get(name)) for name in FIELDS.values()), _integer(data.get(SCORE_FIELD)),
                      data.get(WITHDRAWN_FIELD) is True, isinstance(comment, str) and bool(comment.strip()))


@dataclass(frozen=True)
class StepRow:
    process: str
    element: str
    done_at: datetime
    seconds: int
    work_days: int
    calendar_days: int
    actor: str


@dataclass
class Effects:
    """What audit events add to a case's facts."""

    asked: int = 0
    first_asked_at: datetime | None = None
    answered: int = 0
    first_answered_at: datetime | None = None
    decided_at: datetime | None = None
    steps: list[StepRow] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        """Whether the case's row changes whatever its data says."""
        return bool(self.asked or self.answered or self.decided_at)


def _earliest(known: datetime | None, moment: datetime) -> datetime:
    return moment if known is None or moment < known else known


def _new_value(changes: Mapping[str, Any], name: str) -> Any:
    change = changes.get(name)
    return change.get("new") if isinstance(change, Mapping) else None


def _step(event: Mapping[str, Any], detail: Mapping[str, Any]) -> StepRow | None:
    seconds = detail.get("seconds")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds < INT_LIMIT:
        return None
    done: datetime = event["at"]
    opened, closed = utc_day(done - timedelta(seconds=seconds)), utc_day(done)
    return StepRow(str(detail.get("process") or "")[:TEXT_LENGTH], str(detail.get("element") or "")[:TEXT_LENGTH],
                   done, seconds, day_number(closed) - day_number(opened), (closed - opened).days,
                   str(event.get("actor") or "")[:TEXT_LENGTH])


def effects(events: Iterable[Mapping[str, Any]]) -> Effects:
    found = Effects()
    for event in events:
        detail = event.get("detail")
        if not isinstance(detail, Mapping):
            continue
        at: datetime = event["at"]
        if event["kind"] == MESSAGE and detail.get("message") == ANSWER_MESSAGE:
            found.answered += 1
            found.first_answered_at = _earliest(found.first_answered_at, at)
        if event["kind"] != COMPLETED:
            continue
        changes = detail.get("changes")
        changes = changes if isinstance(changes, Mapping) else {}
        if _new_value(changes, ASKED_FIELD) is True:
            found.asked += 1
            found.first_asked_at = _earliest(found.first_asked_at, at)
        if _new_value(changes, OUTCOME_FIELD) is not None:
            found.decided_at = _earliest(found.decided_at, at)
        step = _step(event, detail)
        if step is not None:
            found.steps.append(step)
    return found


def _decided(data: Mapping[str, Any]) -> bool:
    return data.get(OUTCOME_FIELD) not in (None, "")


def _last_decision_step(events: Iterable[Mapping[str, Any]]) -> datetime | None:
    """When the stored case was decided, for a case whose outcome a script set (the audit trail
    does not say which step): its last completed task other than the survey."""
    found = None
    for event in events:
        detail = event.get("detail")
        changes = detail.get("changes") if isinstance(detail, Mapping) else None
        if event["kind"] == COMPLETED and not (isinstance(changes, Mapping) and SCORE_FIELD in changes):
            found = event["at"] if found is None or event["at"] > found else found
    return found


def _number(moment: datetime | None) -> int | None:
    return moment_number(moment) if moment is not None else None


def case_row(instance_id: int, case_ref: str, created_at: datetime, values: CaseValues, found: Effects,
             commented_at: datetime | None) -> dict[str, Any]:
    """A whole ``case_fact`` row (``commented_at``: since when, if ``values`` has a comment)."""
    created_work = moment_number(created_at)
    return {"instance_id": instance_id, "case_ref": case_ref, "created_at": created_at,
            "month": utc_day(created_at).strftime("%Y-%m"), "created_work": created_work, **values.columns(),
            "commented_at": commented_at if values.commented else None, "decided_at": found.decided_at,
            "decision_days": (moment_number(found.decided_at) - created_work) if found.decided_at else None,
            "asked": found.asked, "first_asked_at": found.first_asked_at, "asked_work": _number(found.first_asked_at),
            "answered": found.answered, "first_answered_at": found.first_answered_at,
            "answered_work": _number(found.first_answered_at)}


def step_rows(instance_id: int, case_ref: str, created_at: datetime, found: Effects) -> list[dict[str, Any]]:
    return [{"instance_id": instance_id, "case_ref": case_ref, "created_at": created_at, "process": step.process,
             "element": step.element, "done_at": step.done_at, "seconds": step.seconds, "work_days": step.work_days,
             "calendar_days": step.calendar_days, "actor": step.actor} for step in found.steps]


def facts_of(instance_id: int, case_ref: str, created_at: datetime, updated_at: datetime, state: str,
             data: Mapping[str, Any], events: Iterable[Mapping[str, Any]],
             ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The facts of a stored initiative: its ``case_fact`` row and its ``step_fact`` rows. A
    comment counts from the case's last change (the survey is its last step)."""
    events = list(events)
    found = effects(events)
    if found.decided_at is None and _decided(data):
        found.decided_at = _last_decision_step(events)
    return (case_row(instance_id, case_ref, created_at, case_values(data, state), found, updated_at),
            step_rows(instance_id, case_ref, created_at, found))


# The step hook -------------------------------------------------------------------------------
CASE_COLUMNS = ("instance_id", "case_ref", "created_at", "month", "created_work", "state", *TEXTS, "score",
                "withdrawn", "commented_at", "decided_at", "decision_days", "asked", "first_asked_at", "asked_work",
                "answered", "first_answered_at", "answered_work")
STEP_COLUMNS = ("instance_id", "case_ref", "created_at", "process", "element", "done_at", "seconds", "work_days",
                "calendar_days", "actor")
TIMES = frozenset({"created_at", "commented_at", "decided_at", "first_asked_at", "first_answered_at", "done_at"})
FLAGS = frozenset({"withdrawn"})

# Fixed table and column names from this module; every value goes in as a parameter.
_INSERT_CASE = (f"INSERT INTO case_fact ({', '.join(CASE_COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' for _ in CASE_COLUMNS)})")
_INSERT_STEP = (f"INSERT INTO step_fact ({', '.join(STEP_COLUMNS)}) "  # noqa: S608
                f"SELECT ?, ?, created_at, {', '.join('?' for _ in STEP_COLUMNS[3:])} FROM case_fact "
                "WHERE instance_id = ?")
_SET = (", ".join(f"{name} = ?" for name in ("state", *TEXTS, "score", "withdrawn"))
        + ", commented_at = CASE WHEN ? THEN COALESCE(commented_at, ?) END, decided_at = COALESCE(decided_at, ?), "
        "decision_days = COALESCE(decision_days, ? - created_work), asked = asked + ?, "
        "first_asked_at = COALESCE(first_asked_at, ?), asked_work = COALESCE(asked_work, ?), "
        "answered = answered + ?, first_answered_at = COALESCE(first_answered_at, ?), "
        "answered_work = COALESCE(answered_work, ?)")


def _update(distinct: str) -> str:
    """The UPDATE of a case's facts; a step that changed none of them writes nothing (the guard
    reads the row by its key, no page is written)."""
    changed = " OR ".join(f"{name} {distinct} ?" for name in ("state", *TEXTS, "score", "withdrawn"))
    return (f"UPDATE case_fact SET {_SET} WHERE instance_id = ? "  # noqa: S608 - fixed names
            f"AND (? OR (commented_at IS NULL) = ? OR {changed})")


_UPDATE = {True: _update("IS NOT"), False: _update("IS DISTINCT FROM")}


def _value(sql: StepSql, name: str, value: Any) -> Any:
    if name in TIMES:
        return sql.time(value)
    return sql.flag(value) if name in FLAGS else value


def _update_params(sql: StepSql, done: StepDone, values: CaseValues, found: Effects) -> list[Any]:
    plain = [_value(sql, name, value) for name, value in values.columns().items()]
    first_asked, first_answered = found.first_asked_at, found.first_answered_at
    return [*plain, sql.flag(values.commented), sql.time(done.at), sql.time(found.decided_at),
            _number(found.decided_at), found.asked, sql.time(first_asked), _number(first_asked), found.answered,
            sql.time(first_answered), _number(first_answered), done.instance_id, sql.flag(found.counts),
            sql.flag(values.commented), *plain]


def keep_facts(sql: StepSql, done: StepDone) -> None:
    """The engine's step hook: the facts of an initiative follow every step of it."""
    if done.process_id != INITIATIVE_PROCESS:
        return
    values = case_values(done.case_data, done.state)
    found = effects(done.events)
    if found.decided_at is None and _decided(done.case_data):
        # A script set the outcome (the decision task's answers do not hold it): decided in this
        # step, unless an earlier step already was (the update keeps the first).
        found.decided_at = done.at
    if done.created_at is not None:
        row = case_row(done.instance_id, done.case_ref, done.created_at, values, found, done.at)
        sql.run(_INSERT_CASE, [_value(sql, name, row[name]) for name in CASE_COLUMNS])
    else:
        sql.run(_UPDATE[sql.sqlite], _update_params(sql, done, values, found))
    for step in found.steps:
        sql.run(_INSERT_STEP, (done.instance_id, done.case_ref, step.process, step.element, sql.time(step.done_at),
                               step.seconds, step.work_days, step.calendar_days, step.actor, done.instance_id))
