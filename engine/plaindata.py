"""Case data as plain JSON-shaped values: what the engine stores and hands out is always a
private copy that survives a trip through JSON unchanged."""

from __future__ import annotations

import json
from typing import Any

_SCALARS = (str, int, float, bool, type(None))


class _NotPlain(Exception):
    pass


def _plain_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (exact types only); _NotPlain for anything else."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            copied[key] = _plain_copy(item)
        return copied
    if kind is list:
        return [_plain_copy(item) for item in value]
    raise _NotPlain


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """A private copy of ``data`` as it would come back from JSON (dates as text and so on)."""
    try:
        copied: dict[str, Any] = _plain_copy(data)
        return copied
    except _NotPlain:  # the exception, not the rule: a JSON round trip turns it into plain data
        result: dict[str, Any] = json.loads(json.dumps(data, default=str))
        return result
