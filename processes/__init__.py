"""The application layer: one module per use case family, each owning its unit of work.

- ``intake`` (sending an initiative, online and on behalf of a caller), ``drafts`` (the start
  form while it is filled in), ``portal`` and ``portal_login`` (what an initiator sees and does);
- ``casefile``, ``taskwork``, ``assignment``, ``tasklist``, ``kcc`` (what staff see and do);
- ``organisation``, ``accounts``, ``users``, ``passwords`` (the beheerder's data and accounts);
- ``studio`` and ``diagrams`` (the process owner's models), ``incidents``;
- ``procedure`` and ``rules`` (the procedure, norms and categorisation rules in plain language);
- ``handlers/`` (what diagrams call by name), ``tables/`` (the application's own tables),
  ``migrations/`` and ``schema`` (the database), ``demo/`` (the demo organisation and cases).

Use cases import no Flask and reach the engine only through its public API (``engine``).
"""

from __future__ import annotations

from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = ROOT_DIR / "bpmn_models"
FORMS_DIR = MODELS_DIR / "forms"
"""The forms of the model bundle (``<id>.json``), deployed and versioned with the diagrams."""
TEXTS_DIR = MODELS_DIR / "texts"
"""The texts the loket sends (``<name>.<lang>.txt``), deployed and versioned with the diagrams."""

__all__ = ["FORMS_DIR", "MODELS_DIR", "ROOT_DIR", "TEXTS_DIR"]
