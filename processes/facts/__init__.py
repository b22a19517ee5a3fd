"""The monitoring's facts (:mod:`processes.tables.facts`): typed rows per initiative and per
completed task, kept by every step through the engine's step hook (:func:`keep_facts`), filled
for older initiatives by ``loket db upgrade`` (:func:`fill_facts`)."""

from processes.facts.fill import fill_facts
from processes.facts.rules import keep_facts

__all__ = ["fill_facts", "keep_facts"]
