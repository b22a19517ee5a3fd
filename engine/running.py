"""How many running instances are in each process of each version, kept as counters.

Counting running instances when a page asks means reading every running instance; at 100,000
that alone takes longer than the page may. So every step adds what it changed: an instance is
*in* its own process while it runs, and in every process it has entered as a call activity and
not yet left (SpiffWorkflow's active subprocesses). The counter rows are keyed by the version the
instance runs on and the process id it is in; which version of a called process that means is the
reader's business (the bundle decides it). A step writes its changes in its own transaction, so
the counters are exactly what the instances say; :func:`recount` rebuilds them from the stored
workflows (after an upgrade, or after rows were copied in bulk)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, insert, select

from engine.final_state import FinishedCase
from engine.rawsql import RawSql
from engine.tables import ProcessInstance, RunningCount

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn import BpmnWorkflow

    from engine.db import Database

Key = tuple[int, str]
"""(version id the instance runs on, process id it is in)."""

_ADD = ("INSERT INTO running_count (version_id, process_id, running) VALUES (?, ?, ?) "
        "ON CONFLICT (version_id, process_id) DO UPDATE SET running = running_count.running + excluded.running")


def processes_in(workflow: BpmnWorkflow) -> frozenset[str]:
    """The processes a running workflow is in: its own and every called process not yet left."""
    if workflow.completed:
        return frozenset()
    return frozenset({workflow.spec.name, *(sub.spec.name for sub in workflow.get_active_subprocesses())})


def changes(before: tuple[int, Iterable[str]], after: tuple[int, Iterable[str]]) -> dict[Key, int]:
    """The counter changes of one step: ``before`` and ``after`` are (version, processes in)."""
    delta: Counter[Key] = Counter()
    for process_id in before[1]:
        delta[(before[0], process_id)] -= 1
    for process_id in after[1]:
        delta[(after[0], process_id)] += 1
    return {key: change for key, change in delta.items() if change}


def apply(raw: RawSql, delta: dict[Key, int]) -> None:
    """Add ``delta`` to the counters (inside the step's batch)."""
    for (version_id, process_id), change in sorted(delta.items()):
        raw.run(_ADD, (version_id, process_id, change))


def counts(conn: Connection) -> dict[Key, int]:
    """Every counter that is not zero."""
    rows = conn.execute(select(RunningCount.version_id, RunningCount.process_id, RunningCount.running)
                        .where(RunningCount.running != 0)).all()
    return {(version_id, process_id): running for version_id, process_id, running in rows}


def replace(conn: Connection, found: dict[Key, int]) -> None:
    """Put ``found`` in place of all counters (the caller commits)."""
    conn.execute(delete(RunningCount))
    if found:
        conn.execute(insert(RunningCount), [{"version_id": version_id, "process_id": process_id, "running": n}
                                            for (version_id, process_id), n in sorted(found.items()) if n])


def add(conn: Connection, found: dict[Key, int]) -> None:
    """Add ``found`` to the counters (the caller commits)."""
    raw = RawSql(conn)
    with raw.batch():
        apply(raw, found)


class RunningMixin:
    """The engine's side: read the counters, and rebuild them from the stored workflows."""

    db: Database

    def load_workflow(self, instance_id: int) -> BpmnWorkflow:
        raise NotImplementedError

    def running_counts(self) -> dict[Key, int]:
        """(version, process) → running instances in it (zero counts left out)."""
        with self.db.read_connection() as conn:
            return counts(conn)

    def processes_running_in(self, instance_ids: Iterable[int]) -> dict[Key, int]:
        """What the given (running) instances add to the counters, read from their workflows."""
        found: Counter[Key] = Counter()
        with self.db.read_connection() as conn:
            rows = conn.execute(select(ProcessInstance.id, ProcessInstance.model_version_id)
                                .where(ProcessInstance.id.in_(list(instance_ids)),
                                       ProcessInstance.state == "running")).all()
        for instance_id, version_id in rows:
            try:
                workflow = self.load_workflow(instance_id)
            except FinishedCase:
                continue  # only an ended workflow's final form is stored: it is in no process
            for process_id in processes_in(workflow):
                found[(version_id, process_id)] += 1
        return dict(found)

    def recount_running(self) -> int:
        """Rebuild every counter from the running instances' stored workflows (one by one: for
        after an upgrade). Returns how many instances were read."""
        with self.db.read_connection() as conn:
            running = list(conn.scalars(select(ProcessInstance.id).where(ProcessInstance.state == "running")
                                        .order_by(ProcessInstance.id)))
        found = self.processes_running_in(running) if running else {}
        with self.db.connection() as conn:
            replace(conn, found)
        return len(running)

    def fill_running_counts(self) -> int | None:
        """After an upgrade that added the counters to a database with running instances: count
        them (returns how many were read); None when the counters are already kept."""
        with self.db.read_connection() as conn:
            kept = conn.scalar(select(RunningCount.version_id).limit(1)) is not None
            running = conn.scalar(select(ProcessInstance.id).where(ProcessInstance.state == "running").limit(1))
        if kept or running is None:
            return None
        return self.recount_running()
