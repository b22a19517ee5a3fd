"""The triggers append deltas (:class:`processes.tables.tally.MonitorTallyDelta`) instead of
changing shared tally rows: a fold moves them into the tallies without changing a figure, and
on PostgreSQL many steps at the same time neither deadlock nor lose a count."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from processes.housekeeping import worker_rounds
from processes.loket import Loket
from processes.monitoring import Filters, Scope
from processes.monitoring.history import generate
from processes.monitoring.tally import fold
from tests.processes.factories import Case, intake_data
from tests.processes.monitoring.test_facts import walk
from tests.processes.monitoring.test_tallies import _figures, deltas, folded, recounted, tallies
from tests.web.staff.support import ACCEPT, INTAKE

FILTERS = [Filters(), Filters(category="eenvoudig"), Filters(district="oost"),
           Filters(date(2024, 11, 1), date(2025, 1, 31), "eenvoudig", "oost")]


def test_a_fold_moves_the_deltas_into_the_tallies_and_every_figure_stays(loket: Loket) -> None:
    generate(loket, 80, months=6)  # bulk writes fold as they go
    assert deltas(loket) == 0
    walk(loket.engine)
    Case.start(loket.engine, intake_data(wijk="west", kanaal="telefoon"))
    assert deltas(loket) > 0
    scopes = [Scope(), Scope(frozenset({"team-groen"}))]
    before = {(index, scope): _figures(loket, filters, scope)
              for index, filters in enumerate(FILTERS) for scope in scopes}
    summed = tallies(loket)
    assert summed == folded(loket)  # empties the deltas (asserted there), the sums stay
    assert before == {(index, scope): _figures(loket, filters, scope)
                      for index, filters in enumerate(FILTERS) for scope in scopes}
    with loket.transaction() as session:  # nothing to fold: nothing changes
        assert fold(session)
    assert tallies(loket) == summed == recounted(loket)


def test_the_workers_round_folds_the_deltas(loket: Loket) -> None:
    Case.start(loket.engine, intake_data())
    assert deltas(loket) > 0
    summed = tallies(loket)
    worker_rounds(loket)()
    assert deltas(loket) == 0 and tallies(loket) == summed


THREADS = 8
CASES = 3


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_steps_at_the_same_time_neither_deadlock_nor_lose_a_count(loket: Loket) -> None:
    """Eight threads start initiatives and complete their first task at the same moment, in
    districts and channels that share groups in different orders, while folds run alongside."""
    barrier = threading.Barrier(THREADS + 1)
    districts, channels = ("oost", "west", "noord"), ("online", "telefoon", "balie")

    def steps(number: int) -> int:
        barrier.wait(timeout=60)
        for round_ in range(CASES):
            case = Case.start(loket.engine, intake_data(wijk=districts[(number + round_) % 3],
                                                        kanaal=channels[(number * 2 + round_) % 3]))
            case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
        return number

    def folds() -> int:
        barrier.wait(timeout=60)
        done = 0
        for _ in range(CASES * 4):
            with loket.transaction() as session:
                done += fold(session)
        return done

    with ThreadPoolExecutor(max_workers=THREADS + 1) as pool:
        started = [pool.submit(steps, number) for number in range(THREADS)]
        folding = pool.submit(folds)
        assert sorted(future.result(timeout=300) for future in started) == list(range(THREADS))
        assert folding.result(timeout=300) > 0
    summed = tallies(loket)
    assert summed == folded(loket) == recounted(loket)
    assert sum(count for key, count in summed.items() if key[0] == "cases") == THREADS * CASES
