"""The staff tests run on the prepared database plus the demo staff accounts (processes.demo.staff)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from engine.service import Engine
from tests.web_support import app_on_copy
from web import engine_of


@pytest.fixture
def app(staff_sqlite: Path, tmp_path: Path) -> Iterator[Flask]:
    with app_on_copy(staff_sqlite, tmp_path) as app:
        yield app


@pytest.fixture
def engine(app: Flask) -> Engine:
    return engine_of(app)
