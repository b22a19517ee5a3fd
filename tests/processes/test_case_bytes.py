"""Bytes stored per finished case (issue 16), counted as ``loket bench case`` counts them: the
bundled models' three paths, each its scenario that ends granted, run through the engine as users
and the worker would. Byte counts are deterministic (a frozen clock, the same answers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from engine import Job, ProcessInstance, frozen_clock
from processes.bench_case import BYTES_TARGET, START, bundle_scenarios, prepare, run_engine_case
from processes.bench_case_size import stored_bytes

LIMITS = {"wijkwens": BYTES_TARGET, "eenvoudig": BYTES_TARGET, "complex": 15_500}
"""The complex path (11 human steps, 33 audit events) does not meet the 8 KB target yet: its limit
holds what was reached (it stored 23.1 KB before), so it does not grow back unnoticed."""
FINAL_STATE_BYTES = 100
"""A finished case's workflow state is its final form only (engine.final_state)."""


@dataclass
class Finished:
    sizes: dict[str, int]
    state_bytes: int
    mails: list[dict[str, Any]]


@pytest.fixture
def finished_cases(database_url: str) -> dict[str, Finished]:
    """Per path, one finished case: its bytes by table, its workflow state's size, its mails."""
    with frozen_clock(START):
        loket = prepare(database_url)
        try:
            found = {}
            for path, scenario in bundle_scenarios().items():
                case = run_engine_case(loket, scenario)
                with loket.reading() as session:
                    row = session.get(ProcessInstance, case.instance_id)
                    assert row is not None and row.state == "completed", path
                    mails = [dict(job.payload) for job in session.scalars(
                        select(Job).where(Job.instance_id == row.id, Job.kind == "mail"))]
                    found[path] = Finished(stored_bytes(session, row.id), len(row.workflow_state), mails)
            return found
        finally:
            loket.engine.db.dispose()


def test_a_finished_case_stores_at_most_its_limit_per_path(finished_cases: dict[str, Finished]) -> None:
    assert set(finished_cases) == set(LIMITS)
    for path, case in finished_cases.items():
        assert case.sizes["total"] <= LIMITS[path], (path, case.sizes)


def test_a_finished_case_keeps_its_final_form_and_who_got_which_mail(finished_cases: dict[str, Finished]) -> None:
    for path, case in finished_cases.items():
        assert case.state_bytes <= FINAL_STATE_BYTES, path
        assert case.mails, path
        for mail in case.mails:
            assert set(mail) == {"template", "to", "lang"}, (path, mail)
            assert mail["to"] == "initiatiefnemer@example.nl"
