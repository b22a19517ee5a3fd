"""Factory helpers shared by the tests (keyword defaults, like GOV.UK Notify's create_*)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine.handlers import HandlerRegistry
from engine.service import Engine
from forms import FormRegistry
from processes import FORMS_DIR
from processes.loket import Loket

FIXTURES = Path(__file__).parent / "fixtures"


def create_engine(database_url: str, *, handlers: HandlerRegistry | None = None, **kwargs: Any) -> Engine:
    return Engine(database_url, handlers=handlers or HandlerRegistry(), **kwargs)


def create_deployed_engine(database_url: str, *files: str, **kwargs: Any) -> Engine:
    """An engine with the named fixture files (under tests/fixtures/engine) deployed."""
    engine = create_engine(database_url, **kwargs)
    folder = FIXTURES / "engine"
    engine.deploy_files({name: (folder / name).read_bytes() for name in files})
    return engine


def create_instance(engine: Engine, process_id: str = "eenvoudig_test", **data: Any) -> Any:
    defaults: dict[str, Any] = {"team": "groen", "titel": "Geveltuin Lange Geldersekade", "email": "a@example.nl"}
    defaults.update(data)
    return engine.start(process_id, defaults, actor="initiatiefnemer@example.nl")


def json_keys(value: Any) -> Iterator[str]:
    """Every key anywhere in a JSON-like value (to check what a stored blob does not hold)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_keys(item)


def loket_for(engine: Engine) -> Loket:
    """The application around an engine of the tests (with the bundled form definitions)."""
    return Loket(engine, FormRegistry(FORMS_DIR))
