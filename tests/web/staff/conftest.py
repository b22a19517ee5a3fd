"""The staff tests run on the prepared database plus the demo staff accounts (processes.demo.staff)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from engine.db import Database
from engine.service import Engine
from processes.demo.staff import load_staff
from tests.web.staff.support import PASSWORD
from tests.web_support import app_on_copy
from web import engine_of


@pytest.fixture(scope="session")
def staff_sqlite(prepared_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("staff") / "loket.sqlite3"
    shutil.copy(prepared_sqlite, path)
    database = Database(f"sqlite:///{path}")
    with database.transaction() as session:
        load_staff(session, password=PASSWORD)
    database.dispose()
    return path


@pytest.fixture
def app(staff_sqlite: Path, tmp_path: Path) -> Iterator[Flask]:
    with app_on_copy(staff_sqlite, tmp_path) as app:
        yield app


@pytest.fixture
def engine(app: Flask) -> Engine:
    return engine_of(app)
