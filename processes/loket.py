"""The application every use case works with: the engine and the form definitions the models
use, wired once (by the web app factory, the CLI, a worker or a test).

A use case opens its own unit of work — :meth:`Loket.transaction` to write, :meth:`Loket.reading`
to only read — and commits or rolls back; nothing outside it does."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import Database, Engine, Mailer
from forms import FieldError, FormDefinition, FormDefinitionError, FormNotFound, FormRegistry, validate
from processes import FORMS_DIR, MAIL_TEMPLATES_DIR
from processes.errors import StartUnavailable
from processes.handlers import handlers
from processes.vocabulary import INITIATIVE_PROCESS


class FormCheck:
    """What the engine asks of the form definitions: does a form exist, and does the data
    submitted for a task satisfy its form."""

    def __init__(self, registry: FormRegistry) -> None:
        self.registry = registry

    def exists(self, form_id: str) -> bool:
        return self.registry.exists(form_id)

    def fields(self, form_id: str) -> list[str] | None:
        """The field names of a form (what the tasks after it may read); None when it does not exist."""
        try:
            return list(self.registry.get(form_id).fields)
        except (FormNotFound, FormDefinitionError):
            return None

    def errors(self, form_id: str, data: dict[str, Any]) -> list[FieldError]:
        try:
            definition = self.registry.get(form_id)
        except FormNotFound:
            return [FieldError(field="", message=f"Het formulier '{form_id}' bestaat niet.")]
        return validate(definition, data)


@dataclass
class Loket:
    engine: Engine
    forms: FormRegistry

    def transaction(self) -> AbstractContextManager[Session]:
        """A unit of work that writes: commits when the block succeeds, rolls back on any error."""
        return self.engine.transaction()

    def reading(self) -> AbstractContextManager[Session]:
        """A unit of work that only reads (on SQLite it never waits for a writer)."""
        return self.engine.reading()

    def database_answers(self) -> bool:
        """Whether the database answers (the health check)."""
        try:
            with self.reading() as session:
                session.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def form(self, form_id: str) -> FormDefinition:
        return self.forms.get(form_id)

    def start_form_id(self) -> str:
        """The form the start event of the initiative process names (``formId``): the public
        start form and the form staff fill in on behalf of a caller."""
        form_id = self.engine.start_form(INITIATIVE_PROCESS)
        if not form_id or not self.forms.exists(form_id):
            raise StartUnavailable(INITIATIVE_PROCESS)
        return form_id


P = ParamSpec("P")
R = TypeVar("R")


def writes(step: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Loket, P], R]:
    """Make ``step(session, ...)`` the use case ``step(loket, ...)`` that runs it in a unit of
    work of its own which writes: committed when it returns, rolled back when it raises."""

    @wraps(step)
    def use_case(loket: Loket, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with loket.transaction() as session:
            return step(session, *args, **kwargs)

    return use_case


def reads(query: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Loket, P], R]:
    """Make ``query(session, ...)`` the use case ``query(loket, ...)`` that runs it in a unit of
    work of its own which only reads."""

    @wraps(query)
    def use_case(loket: Loket, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with loket.reading() as session:
            return query(session, *args, **kwargs)

    return use_case


def form_check(forms_dir: Path = FORMS_DIR) -> FormCheck:
    return FormCheck(FormRegistry(forms_dir))


def build_loket(database_url: str, *, mailer: Mailer | None = None, forms_dir: Path = FORMS_DIR,
                mail_templates: Path = MAIL_TEMPLATES_DIR) -> Loket:
    check = form_check(forms_dir)
    engine = Engine(Database(database_url), handlers=handlers, forms=check, check_task_data=check.errors,
                    mailer=mailer, mail_templates=mail_templates)
    return Loket(engine, check.registry)
