"""Domain errors the engine raises; the web layer maps them to HTTP answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class NotFound(EngineError):
    """The instance, task or model does not exist (or not for this caller)."""


class TaskAlreadyCompleted(EngineError):
    """A stale completion: a colleague (or another request) completed it first."""

    def __init__(self, task_name: str, completed_by: str | None, completed_at: datetime | None) -> None:
        self.task_name = task_name
        self.completed_by = completed_by
        self.completed_at = completed_at
        who = completed_by or "iemand anders"
        super().__init__(f"De taak '{task_name}' is al afgehandeld door {who}.")


class ConcurrentUpdate(EngineError):
    """The instance changed between reading and writing (optimistic lock)."""


class InvalidTaskData(EngineError):
    """Submitted data does not satisfy the task's form."""

    def __init__(self, errors: list[Any]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class ModelInvalid(EngineError):
    """Deploying failed validation; nothing was deployed."""

    def __init__(self, problems: list[Any]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} probleem/problemen in het model")


class DiagramError(EngineError):
    """A script, condition or decision in the diagram failed; nothing of the step is stored.
    A process owner must fix the diagram (the technical detail is in ``detail``)."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__("Het proces kon niet verder door een fout in het procesmodel. Er is niets opgeslagen.")


class MessageNotExpected(EngineError):
    """The instance is not waiting for this message."""


class MailNotSent(EngineError):
    """The mail server did not take a mail that is sent at once; nothing was stored."""


@dataclass(frozen=True)
class ModelProblem:
    """One thing wrong with a model file, phrased for a process owner."""

    file: str
    element_id: str | None
    element_name: str | None
    code: str
    message_nl: str
    message_en: str
    severity: str = "error"
    """``error`` blocks deploying; a ``warning`` is worth fixing but the models work."""

    @property
    def blocking(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "nl") -> str:
        return self.message_en if lang == "en" else self.message_nl

    def format(self, lang: str = "nl") -> str:
        where = self.file
        if self.element_id:
            label = f"{self.element_id}" + (f" ({self.element_name})" if self.element_name else "")
            where += f" · {label}"
        return f"{where}: {self.message(lang)}"
