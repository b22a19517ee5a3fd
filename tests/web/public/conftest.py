"""Fixtures of the portal tests; helpers are in :mod:`tests.web.public.support`."""

from __future__ import annotations

import pytest
from flask import Flask

from engine.service import Engine
from web import engine_of


@pytest.fixture
def engine(app: Flask) -> Engine:
    return engine_of(app)
