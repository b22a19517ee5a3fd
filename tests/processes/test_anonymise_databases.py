"""The retention policy on SQLite and PostgreSQL: the JSON category, the terms per category
(also for a case stopped before it had one), the search index forgetting the name, and a
second run that finds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from engine import clock
from engine.service import Engine
from processes import kcc
from processes.anonymise import apply_retention
from processes.demo.staff import load_staff
from processes.personal_data import MARKER
from tests.factories import loket_for
from tests.processes.factories import INITIATOR, create_loket_engine, intake_data
from tests.web.staff.support import ACCEPT, GROEN, INTAKE, KCC, PASSWORD, principal, start


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine, _mailer = create_loket_engine(database_url, year=clock.now().year)
    clock.set_time(None)
    with engine.db.transaction() as session:
        load_staff(session, password=PASSWORD)
    yield engine
    engine.db.dispose()


def test_closed_cases_of_every_kind_on_both_databases(engine: Engine) -> None:
    loket = loket_for(engine)
    green = start(engine, intake_data(naam="Jan Jansen"))
    green.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    green.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                        "afspraken": "Onderhoud door de buurt."}, actor=GROEN)
    green.complete("tevredenheid", {"tevredenheid_score": 4}, actor=INITIATOR)
    stopped = start(engine, intake_data(naam="Jan Jansen", titel="Bankje"))
    engine.cancel(stopped.id, actor=INTAKE, reason="Jan Jansen trekt het in.")
    running = start(engine, intake_data(naam="Jan Jansen", titel="Speeltuin"))
    agent = principal(engine, KCC)
    with loket.transaction() as session:
        assert kcc.find(session, agent, "Jan Jansen").total == 3
    clock.set_time(clock.now() + timedelta(days=13 * 31))

    attachments_only = apply_retention(loket)
    assert attachments_only.anonymised == [] and attachments_only.failed == []
    clock.set_time(clock.now() + timedelta(days=12 * 31))

    run = apply_retention(loket)

    assert sorted(run.anonymised) == sorted([green.info.case_ref, stopped.info.case_ref]) and run.failed == []
    assert green.refresh().data["naam"] == MARKER and green.info.data["categorie"] == "eenvoudig"
    assert stopped.refresh().data["naam"] == MARKER and stopped.info.state == "cancelled"
    assert running.refresh().data["naam"] == "Jan Jansen"
    with loket.transaction() as session:
        found = kcc.find(session, agent, "Jan Jansen")
    assert found.total == 1 and [hit.case_ref for hit in found.hits] == [running.info.case_ref]
    assert apply_retention(loket).done == 0
