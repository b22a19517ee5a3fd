"""The one handler registry of the loket; every module in ``processes`` registers on it."""

from __future__ import annotations

from engine import HandlerRegistry

handlers = HandlerRegistry()
