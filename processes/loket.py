"""The application every use case works with: the engine and the form definitions the models
use, wired once (by the web app factory, the CLI, a worker or a test).

A use case opens its own unit of work — :meth:`Loket.transaction` to write, :meth:`Loket.reading`
to only read — and commits or rolls back; nothing outside it does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Executable, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import Database, Engine, Mailer, ModelVersion
from forms import FormDefinition, FormRegistry
from processes import MODELS_DIR
from processes.bundle_content import BundleContent
from processes.errors import StartUnavailable
from processes.facts import keep_facts
from processes.handlers import handlers
from processes.vocabulary import INITIATIVE_PROCESS


@dataclass
class Loket:
    engine: Engine
    shipped_forms: FormRegistry
    """The forms in ``bpmn_models/forms``: of deployments made before forms were bundled."""

    def __post_init__(self) -> None:
        self._without_bundle = BundleContent({}, self.shipped_forms)

    def _content(self, catalog: object) -> BundleContent:
        return catalog if isinstance(catalog, BundleContent) else self._without_bundle

    @property
    def forms(self) -> BundleContent:
        """The forms of the models in use: what new initiatives get."""
        return self._content(self.engine.catalog())

    def case_forms(self, instance_id: int) -> BundleContent:
        """The forms of the bundle a case runs on (a form changed later does not change its tasks)."""
        return self._content(self.engine.catalog(instance_id=instance_id))

    def bundle_content(self, files: Mapping[str, bytes]) -> BundleContent:
        """The forms and texts of files that are not deployed (yet), to check them."""
        return self._content(self.engine.catalog_for_files(files))

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
        """A form of the models in use."""
        return self.forms.get(form_id)

    def version_forms(self, session: Session, version_id: int) -> BundleContent:
        """The forms of a model version's bundle, read in the caller's unit of work."""
        return self._content(self.engine.catalog_of_version(session, version_id))

    def case_start_form(self, session: Session, version_id: int) -> FormDefinition:
        """The start form a case was sent with, as its own bundle has it (its answers keep the
        words they were given with); StartUnavailable when its version names none."""
        form_id = self.engine.version_start_form(session, version_id)
        forms = self.version_forms(session, version_id)
        if not form_id or not forms.exists(form_id):
            raise StartUnavailable(INITIATIVE_PROCESS)
        return forms.get(form_id)

    def case_form(self, instance_id: int, form_id: str) -> FormDefinition:
        """A form as the case's own bundle has it (a task's form, an initiator's answer form)."""
        return self.case_forms(instance_id).get(form_id)

    def start_form_id(self) -> str:
        """The form the start event of the initiative process names (``formId``): the public
        start form and the form staff fill in on behalf of a caller."""
        form_id = self.models_in_use()[1]
        if form_id is None:
            raise StartUnavailable(INITIATIVE_PROCESS)
        return form_id

    def start_form(self) -> FormDefinition:
        """The start form of the models in use (StartUnavailable when they name none)."""
        forms, form_id = self.models_in_use()
        if form_id is None:
            raise StartUnavailable(INITIATIVE_PROCESS)
        return forms.get(form_id)

    def models_in_use(self) -> tuple[BundleContent, str | None]:
        """The forms of the models in use and the start form of the initiative process (None when
        it names none that exists), from one statement: the newest bundle and the newest version
        of the process. What a deployment holds never changes, so the engine keeps the rest."""
        with self.reading() as session:
            bundle_id, version_id = session.execute(_in_use_query()).one()
            catalog = None if bundle_id is None else self.engine.catalog_of_bundle(session, bundle_id)
            form_id = None if version_id is None else self.engine.version_start_form(session, version_id)
        forms = self._content(catalog)
        return forms, form_id if form_id and forms.exists(form_id) else None


@cache
def _in_use_query() -> Executable:
    """The newest bundle and the newest version of the initiative process (built once)."""
    newest_bundle = select(ModelVersion.bundle_id).order_by(ModelVersion.id.desc()).limit(1).scalar_subquery()
    newest_start = (select(ModelVersion.id).where(ModelVersion.process_id == INITIATIVE_PROCESS)
                    .order_by(ModelVersion.version_no.desc()).limit(1).scalar_subquery())
    return select(newest_bundle, newest_start)


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


def bundle_catalog_for(models_dir: Path = MODELS_DIR) -> Callable[[Mapping[str, bytes]], BundleContent]:
    """How the engine reads a bundle's forms and texts (the shipped ones for older bundles)."""
    shipped_forms = FormRegistry(models_dir / "forms")
    texts = models_dir / "texts"
    shipped_texts = sorted(path.name for path in texts.glob("*.txt")) if texts.is_dir() else []

    def catalog_for(files: Mapping[str, bytes]) -> BundleContent:
        return BundleContent(files, shipped_forms, shipped_texts)

    return catalog_for


def build_loket(database_url: str, *, mailer: Mailer | None = None, models_dir: Path = MODELS_DIR) -> Loket:
    engine = Engine(Database(database_url), handlers=handlers, bundle_catalog=bundle_catalog_for(models_dir),
                    mailer=mailer, mail_templates=models_dir / "texts", step_hooks=[keep_facts])
    return Loket(engine, FormRegistry(models_dir / "forms"))
