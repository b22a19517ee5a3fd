"""What diagrams call by name in a service task: the few things a diagram cannot do itself
(send mail, pick the least-loaded guide, reserve budget). Importing this package registers every
handler on :data:`handlers`."""

from __future__ import annotations

from processes.handlers import budget, guides, notify  # noqa: F401 - registers the handlers
from processes.handlers.registry import handlers

__all__ = ["handlers"]
