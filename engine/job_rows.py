"""The row of a new job (a timer, a service task, a mail in the outbox), as a step or a record
inserts it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine import clock


def new_job(
    kind: str,
    instance_id: int | None,
    *,
    task_id: str | None = None,
    due_at: datetime | None = None,
    payload: dict[str, Any] | None = None,
    max_attempts: int = 3,
) -> dict[str, Any]:
    now = clock.now()
    return {
        "kind": kind,
        "instance_id": instance_id,
        "task_id": task_id,
        "due_at": due_at or now,
        "payload": payload or {},
        "state": "ready",
        "attempts": 0,
        "max_attempts": max_attempts,
        "locked_by": None,
        "locked_until": None,
        "last_error": None,
        "created_at": now,
        "done_at": None,
    }


def mail_job(
    instance_id: int | None, *, template: str, to: str, context: dict[str, Any], lang: str
) -> dict[str, Any]:
    payload = {"template": template, "to": to, "context": context, "lang": lang}
    return new_job("mail", instance_id, payload=payload, max_attempts=5)


SENT_MAIL_KEYS = ("template", "to", "lang")
"""What a sent mail of a finished case keeps in the outbox: which mail went to whom, in which
language (the checks that no mail went missing or twice read these). The context it was written
from is only needed to write it: once sent, and the case over, it goes."""


def sent_mail_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {key: payload[key] for key in SENT_MAIL_KEYS if key in payload}


def trim_sent_mails_sql(sqlite: bool) -> str:
    """The sent mails of one ended case (the parameter) without their context."""
    if sqlite:
        return ("UPDATE job SET payload = json_remove(payload, '$.context') WHERE instance_id = ? "
                "AND kind = 'mail' AND state = 'done' AND json_type(payload, '$.context') IS NOT NULL")
    return ("UPDATE job SET payload = (payload::jsonb - 'context')::json WHERE instance_id = ? "
            "AND kind = 'mail' AND state = 'done' AND payload -> 'context' IS NOT NULL")
