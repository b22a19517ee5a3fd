"""Query plans on PostgreSQL at a size where a sequential scan costs (30,000 initiatives and
open tasks, analysed): the team queue, "my tasks", the task counts and the contact centre's
search read indexes, never a whole large table. The plans are those of the statements the use
cases really send (recorded as they run, then explained with their parameters)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.orm import Session

import processes.tables  # noqa: F401 - every table and the search index
from engine import Base, Database, ModelBundle, ModelVersion, OpenTask, OpenTaskGroup, ProcessInstance
from processes import kcc
from processes.access import Principal
from processes.tasklist import COUNT_LIMIT, TaskFilter, count_tasks, list_tasks

SIZE = 30_000
GROUPS = [f"team-{number}" for number in range(10)]
LARGE = {"process_instance", "open_task", "open_task_group"}
SURNAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]


def _rows() -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for number in range(1, SIZE + 1):
        moment = start + timedelta(minutes=number)
        name = "Anna Kwakernaak" if number == SIZE // 2 else f"Piet {SURNAMES[number % len(SURNAMES)]}"
        task_id = str(uuid.UUID(int=number))
        group = GROUPS[number % len(GROUPS)]
        yield (
            {"id": number, "case_ref": f"INI-2020-{number:06d}", "model_version_id": 1, "process_id": "initiatief",
             "state": "running", "has_incident": False, "title": f"Buurtfeest straat {number % 500}",
             "initiator": f"p{number}@example.nl", "case_data": {"naam": name, "postcode": "3311 AB", "wijk": "oost"},
             "workflow_state": b"", "row_version": 1, "created_at": moment, "updated_at": moment, "started_by": "t"},
            {"task_id": task_id, "instance_id": number, "case_ref": f"INI-2020-{number:06d}",
             "process_id": "initiatief", "task_name": "stap", "title": "Stap", "form_id": None,
             "candidate_group": group,
             "assignee": f"medewerker{number % 100}@gemeente.example", "due_at": moment + timedelta(days=10),
             "overdue": False, "created_at": moment},
            {"task_id": task_id, "group_code": group, "due_at": moment + timedelta(days=10), "created_at": moment},
        )


@pytest.fixture(scope="module")
def large(postgres_url: str) -> Iterator[Database]:
    database = Database(postgres_url)
    with database.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    Base.metadata.create_all(database.engine)
    with database.engine.begin() as conn:
        now = datetime(2020, 1, 1, tzinfo=UTC)
        conn.execute(insert(ModelBundle), [{"id": 1, "content_hash": "h", "files": {}, "deployed_at": now,
                                            "deployed_by": "t"}])
        conn.execute(insert(ModelVersion), [{"id": 1, "process_id": "initiatief", "version_no": 1,
                                             "content_hash": "h", "bundle_id": 1, "spec": "", "deployed_at": now}])
        rows = list(_rows())
        for start in range(0, SIZE, 5000):
            part = rows[start:start + 5000]
            conn.execute(insert(ProcessInstance), [row[0] for row in part])
            conn.execute(insert(OpenTask), [row[1] for row in part])
            conn.execute(insert(OpenTaskGroup), [row[2] for row in part])
    with database.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    yield database
    database.dispose()


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def planned(database: Database, run: Any) -> list[dict[str, Any]]:
    """Every node of the plans of the statements ``run(session)`` sends."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with Session(database.engine) as session:
            run(session)
            session.rollback()
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    assert sent
    found: list[dict[str, Any]] = []
    with database.engine.connect() as conn:
        for statement, parameters in sent:
            [(plan,)] = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).all()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            found += _nodes(plan[0]["Plan"])
    return found


def scans(database: Database, run: Any) -> list[tuple[str, str]]:
    """(node type, table) of every scan in the plans of the statements ``run(session)`` sends."""
    return [(node["Node Type"], node["Relation Name"]) for node in planned(database, run) if "Relation Name" in node]


def seq_scans(found: list[tuple[str, str]]) -> list[str]:
    return [table for kind, table in found if kind == "Seq Scan" and table in LARGE]


def member(*groups: str, email: str = "medewerker7@gemeente.example") -> Principal:
    return Principal(id=1, email=email, name="M", session_token="t", roles=frozenset({"intake"}),
                     groups=frozenset(groups), identities=frozenset({email}))


def test_the_table_is_large_enough_that_a_pattern_over_the_group_list_scans_it(large: Database) -> None:
    """What the queue did before: the detector below sees it (so its silence means something)."""
    found = scans(large, lambda session: session.execute(text(
        "SELECT task_id FROM open_task WHERE candidate_group LIKE '%,team-3,%' OR candidate_group = 'team-3' "
        "ORDER BY due_at LIMIT 20")).all())
    assert seq_scans(found) == ["open_task"]


@pytest.mark.parametrize("view", ["team", "mijn"])
def test_a_task_list_page_reads_indexes(large: Database, view: str) -> None:
    found = scans(large, lambda session: list_tasks(session, member("team-3"), TaskFilter(view=view)))
    assert seq_scans(found) == []
    assert ("Index Only Scan", "open_task_group") in found or view == "mijn"  # the queue's count


def test_the_queue_of_a_member_of_two_teams_reads_indexes(large: Database) -> None:
    found = scans(large, lambda session: list_tasks(session, member("team-3", "team-4"), TaskFilter(view="team")))
    assert seq_scans(found) == []


def test_the_task_counts_read_indexes(large: Database) -> None:
    counts: dict[str, int] = {}
    found = scans(large, lambda session: counts.update(count_tasks(session, member("team-3"))))
    assert counts == {"mijn": SIZE // 100, "team": COUNT_LIMIT + 1}  # 3,000: "more than 1,000"
    assert seq_scans(found) == []
    assert ("Index Only Scan", "open_task") in found  # "mijn taken" never visits the table


@pytest.mark.parametrize("query", ["kwakernaak", "INI-2020-012345", "2020-01234", "p777@example.nl"])
def test_the_contact_centre_search_reads_indexes(large: Database, query: str) -> None:
    pages: list[kcc.SearchPage] = []
    agent = member(email="kcc@gemeente.example")
    found = scans(large, lambda session: pages.append(kcc.find(session, agent, query)))
    assert pages[0].total >= 1
    assert seq_scans(found) == []


def test_a_common_word_is_counted_up_to_the_limit(large: Database) -> None:
    with Session(large.engine) as session:
        page = kcc.find(session, member(email="kcc@gemeente.example"), "buurtfeest")
        session.rollback()
    assert page.more and page.total == kcc.COUNT_LIMIT + 1 and len(page.hits) == kcc.PAGE_SIZE


def test_a_search_reads_the_stored_text_not_the_case_data(large: Database) -> None:
    """Counting up to 1,001 hits of a common word decoded each row's case data when the index was
    on an expression: a third of the page's time at 100,000 initiatives."""
    agent = member(email="kcc@gemeente.example")
    nodes = planned(large, lambda session: kcc.find(session, agent, "buurtfeest piet"))
    conditions = [node[key] for node in nodes for key in ("Filter", "Recheck Cond", "Index Cond") if key in node]
    assert any("search_text" in condition for condition in conditions)
    assert not [condition for condition in conditions if "case_data" in condition]
