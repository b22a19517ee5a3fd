"""A finished case keeps only the final form of its workflow, and its sent mails only who got
which mail (engine.final_state, issue 16). What people read of a finished case must not change
by that: the three bundled paths run to their end on two copies of one database, one storing
the whole workflow and the mails' context as before, the other compacted; the case file, the
contact centre's card, the initiator's status pages and the exports are the same on both."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

import engine.jobs
import engine.step_writer
from engine import FINAL_FORMAT, ProcessInstance, frozen_clock
from engine.compression import decompress
from engine.serialization import StateSerializer
from processes.bench_case import bundle_scenarios, run_engine_case
from tests.web.public.support import log_in
from tests.web.staff.support import INTAKE, KCC, PROCES, login_as
from tests.web_support import app_on_copy
from web import engine_of, loket_of

INITIATOR = "initiatiefnemer@example.nl"
VOLATILE = re.compile(r'(name="csrf_token" value=|nonce=)"[^"]*"')


def _keep_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Store as before the compaction: the whole workflow, and every sent mail with its context."""
    monkeypatch.setattr(StateSerializer, "dumps", lambda self, workflow, case_data=None: self.dumps_full(workflow))
    monkeypatch.setattr(engine.jobs, "sent_mail_payload", dict)
    monkeypatch.setattr(engine.step_writer, "trim_sent_mails_sql",
                        lambda sqlite: "UPDATE job SET state = state WHERE instance_id = ? AND 1 = 0")


@contextmanager
def _finished_cases(source: Path, folder: Path, moment: datetime) -> Iterator[tuple[Flask, list[str]]]:
    folder.mkdir()
    with app_on_copy(source, folder) as app, frozen_clock(moment):
        loket = loket_of(app)
        refs = [engine_of(app).instance(run_engine_case(loket, scenario).instance_id).case_ref
                for scenario in bundle_scenarios().values()]
        yield app, refs


def _formats(app: Flask) -> set[str]:
    with engine_of(app).db.reading() as session:
        blobs = session.scalars(select(ProcessInstance.workflow_state))
        return {json.loads(decompress(blob))["format"] for blob in blobs}


def _pages(app: Flask, refs: list[str], moment: datetime) -> dict[str, Any]:
    """What staff, the contact centre and the initiator read of the cases, and the exports."""
    found: dict[str, Any] = {}
    with frozen_clock(moment + timedelta(days=1)):
        staff, owner, kcc, initiator = app.test_client(), app.test_client(), app.test_client(), app.test_client()
        login_as(staff, app, INTAKE)
        login_as(owner, app, PROCES)
        login_as(kcc, app, KCC)
        log_in(initiator, engine_of(app), INITIATOR)
        for ref in refs:
            found[f"dossier {ref}"] = staff.get(f"/medewerker/dossier/{ref}")
            found[f"kcc {ref}"] = kcc.get(f"/medewerker/kcc/{ref}")
            found[f"status {ref}"] = initiator.get(f"/mijn-initiatieven/{ref}")
        found["my list"] = initiator.get("/mijn-initiatieven")
        for what in ("initiatieven", "stappen"):
            found[f"export {what}"] = owner.get(f"/medewerker/monitor/export/{what}.csv")
    for name, response in found.items():
        assert response.status_code == 200, name
    return {name: VOLATILE.sub(r"\1", response.get_data(as_text=True)) for name, response in found.items()}


def test_finished_cases_read_the_same_with_their_workflow_compacted(
    staff_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    with monkeypatch.context() as before:
        _keep_everything(before)
        with _finished_cases(staff_sqlite, tmp_path / "full", moment) as (app, refs):
            full = _pages(app, refs, moment)
            assert _formats(app) == {"loket-1"}
    with _finished_cases(staff_sqlite, tmp_path / "compact", moment) as (app, compact_refs):
        compact = _pages(app, compact_refs, moment)
        assert _formats(app) == {FINAL_FORMAT}

    assert compact_refs == refs
    assert set(compact) == set(full)
    for name, page in full.items():
        assert compact[name] == page, name
    for ref in refs:  # and they are the finished cases, with what they read
        assert "toegekend" in full[f"status {ref}"].lower()
    assert all(ref in full["export initiatieven"] for ref in refs)
