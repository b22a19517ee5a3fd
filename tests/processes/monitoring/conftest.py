"""The hand-computed history the figure and export tests check against, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from processes.loket import Loket
from tests.processes.monitoring.factories import write_history
from web import create_app, loket_of


@pytest.fixture
def history(database_url: str, tmp_path: Path) -> Iterator[Loket]:
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "MAIL_FOLDER": str(tmp_path / "mail")})
    loket = loket_of(app)
    write_history(loket)
    yield loket
    loket.engine.db.dispose()
