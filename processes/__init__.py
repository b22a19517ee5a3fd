"""The few Python handlers the loket's diagrams call by name, and the organisation data.

Importing this package registers every handler on :data:`handlers`::

    import processes
    engine = Engine(url, handlers=processes.handlers, mail_templates=processes.MAIL_TEMPLATES_DIR)
"""

from __future__ import annotations

from pathlib import Path

from processes import budget, guides, notify, organisation  # noqa: F401 - register handlers and tables
from processes.registry import handlers

ROOT_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT_DIR / "bpmn_models"
FORMS_DIR = ROOT_DIR / "forms" / "definitions"
MAIL_TEMPLATES_DIR = Path(__file__).resolve().parent / "mail_templates"

__all__ = ["FORMS_DIR", "MAIL_TEMPLATES_DIR", "MODELS_DIR", "ROOT_DIR", "handlers"]
