"""The hand-computed history the figure and export tests check against, and a loket ready for
steps (the bundled models, the demo organisation, the clock at START), on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import clock
from processes import MODELS_DIR
from processes.demo.organisation import load_organisation
from processes.loket import Loket
from tests.processes.factories import START
from tests.processes.monitoring.factories import write_history
from web import create_app, loket_of


@pytest.fixture
def history(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    loket = loket_of(app)
    write_history(loket)
    yield loket
    loket.engine.db.dispose()


@pytest.fixture
def loket(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    clock.set_time(START)
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    found = loket_of(app)
    found.engine.deploy_directory(MODELS_DIR, actor="test")
    with found.transaction() as session:
        load_organisation(session, START.year)
    yield found
    found.engine.db.dispose()
    clock.set_time(None)
