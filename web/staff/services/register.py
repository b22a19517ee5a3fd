"""Registering an initiative on behalf of a caller or visitor (the non-digital alternative).

Uses the public side's ``submit_initiative`` (the one way a case is started): the answers are
checked against the start form, the channel (telefoon, balie, email) is recorded in the case
data field ``kanaal``, the employee is the actor of the start in the audit trail, and the
initiator gets the same confirmation mail with the status link as online.
"""

from __future__ import annotations

from typing import Any

from engine.service import Engine, InstanceInfo
from web.public.services import SubmissionFailed, SubmissionRejected, submit_initiative
from web.staff.services.errors import NotAllowedHere

CHANNELS = ("telefoon", "balie", "email")

__all__ = ["CHANNELS", "SubmissionFailed", "SubmissionRejected", "register_on_behalf"]


def register_on_behalf(engine: Engine, data: dict[str, Any], *, channel: str, actor: str) -> InstanceInfo:
    """Start the initiative; raises ``SubmissionRejected`` (with field errors) when the answers
    do not satisfy the start form, ``SubmissionFailed`` when it could not be started."""
    if channel not in CHANNELS:
        raise NotAllowedHere("unknown_channel")
    return submit_initiative(engine, dict(data), channel=channel, actor=actor, lang=str(data.get("taal") or "nl"))
