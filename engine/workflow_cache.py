"""The engine's in-memory caches: deserialized specs per model version, and the workflow of
recently used instances keyed by the row version it was saved as (so a stale copy is never
used: any other writer bumps the version and the next step reloads from the database)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from engine.db import Database
from engine.errors import NotFound
from engine.final_state import FinishedCase
from engine.instance_store import InstanceRow, load_row, load_state
from engine.rawsql import RawSql
from engine.scripting import EngineScriptEngine
from engine.serialization import StateSerializer
from engine.step_writer import Snapshot
from engine.tables import ModelVersion

Specs = tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]
# The row as saved, the workflow it holds, and the wait state it was saved at.
CachedInstance = tuple[InstanceRow, BpmnWorkflow, Snapshot]
VERSIONS = cast(Table, ModelVersion.__table__)
READ_MEMO_SIZE = 512
"""How many answers read from workflows are kept (e.g. what a case waits for, per row version)."""
Result = TypeVar("Result")


class WorkflowCache:
    db: Database
    serializer: StateSerializer
    script_engine: EngineScriptEngine
    _specs: OrderedDict[int, Specs]
    _workflows: OrderedDict[int, CachedInstance]
    _cache_size: int
    _reads: OrderedDict[tuple[Hashable, ...], Any]

    def specs(self, conn: Connection | Session, version_id: int) -> Specs:
        cached = self._specs.get(version_id)
        if cached is None:
            spec_json = conn.execute(select(VERSIONS.c.spec).where(VERSIONS.c.id == version_id)).scalar()
            if spec_json is None:
                raise NotFound(f"model version {version_id}")
            cached = self.serializer.spec_from_json(spec_json)
            self._specs[version_id] = cached
            if len(self._specs) > 64:
                self._specs.popitem(last=False)
        return cached

    # workflow cache ------------------------------------------------------------------------
    def _take_workflow(self, conn: Connection, row: InstanceRow) -> tuple[BpmnWorkflow, Snapshot]:
        """The instance's workflow and its last wait state, exclusively owned by the caller
        until it is put back (the cache entry is only valid for the row version it was saved as)."""
        cached = self._workflows.pop(row.id, None)
        if cached is not None and cached[0].row_version == row.row_version:
            return cached[1], cached[2]
        spec, subs = self.specs(conn, row.model_version_id)
        workflow = self.serializer.loads(load_state(RawSql(conn), row.id), spec, subs)
        workflow.script_engine = self.script_engine
        return workflow, Snapshot.take(workflow)

    def _take_cached(self, instance_id: int) -> CachedInstance | None:
        """The cached instance, taken out of the cache: the caller owns it now, and puts it
        back only after a step that committed (a failed step's changes are dropped with it)."""
        return self._workflows.pop(instance_id, None)

    def _put_workflow(self, row: InstanceRow, workflow: BpmnWorkflow, snapshot: Snapshot) -> None:
        """Hand a committed instance to the cache; the caller must not change it afterwards."""
        self._workflows[row.id] = (row, workflow, snapshot)
        if len(self._workflows) > self._cache_size:
            self._workflows.popitem(last=False)

    def read_from_workflow(self, instance_id: int, question: Hashable,
                           answer: Callable[[BpmnWorkflow], Result], ended: Result) -> Result:
        """``answer`` of the instance's workflow as stored now, worked out once per row version:
        a page asking what a case waits for deserializes the workflow only after the case moved
        (a row version never changes its state, so a kept answer is never stale for its version).
        ``answer`` must only read the workflow, and its result is shared: callers do not change it.
        ``ended``: the answer for an ended case, of which only the final form is stored."""
        with self.db.read_connection() as conn:
            raw = RawSql(conn)
            row = load_row(raw, instance_id)
            key = (instance_id, row.row_version, question)
            if key in self._reads:
                return cast(Result, self._reads[key])
            spec, subs = self.specs(conn, row.model_version_id)
            try:
                workflow = self.serializer.loads(load_state(raw, instance_id), spec, subs)
            except FinishedCase:
                workflow = None
        if workflow is None:
            found = ended
        else:
            workflow.script_engine = self.script_engine
            found = answer(workflow)
        self._reads[key] = found
        while len(self._reads) > READ_MEMO_SIZE:
            self._reads.popitem(last=False)
        return found

    def load_workflow(self, instance_id: int) -> BpmnWorkflow:
        """A private copy of an instance's workflow for reading (never written back)."""
        with self.db.read_connection() as conn:
            raw = RawSql(conn)
            row = load_row(raw, instance_id)
            spec, subs = self.specs(conn, row.model_version_id)
            workflow = self.serializer.loads(load_state(raw, instance_id), spec, subs)
            workflow.script_engine = self.script_engine
            return workflow

