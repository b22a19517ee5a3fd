"""Registering an initiative on behalf of a caller or visitor (the non-digital alternative).

Uses the public side's ``submit_initiative`` (the one way a case is started): the answers are
checked against the start form, the channel (telefoon, balie, email) is recorded in the case
data field ``kanaal``, the employee is the actor of the start in the audit trail, and the
initiator gets the same confirmation mail with the status link as online.

Attachments (the start form's ``bijlagen``) are stored under a fresh, random draft key just
before the start; ``submit_initiative`` links them to the new case in the transaction that
starts it. When the start does not happen (answers rejected, start failed) the stored files are
deleted again: a registration that did not go through leaves nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete

from engine.service import Engine, InstanceInfo
from web.casefile.documents import MAX_FILES, Upload, check_upload, store_document
from web.casefile.models import Document
from web.public.services import SubmissionFailed, SubmissionRejected, submit_initiative
from web.staff.services.errors import NotAllowedHere

CHANNELS = ("telefoon", "balie", "email")
ATTACHMENTS = "bijlagen"
PURPOSE = "bijlage"

__all__ = ["ATTACHMENTS", "CHANNELS", "SubmissionFailed", "SubmissionRejected", "register_on_behalf"]


def register_on_behalf(engine: Engine, data: dict[str, Any], *, channel: str, actor: str,
                       uploads: Sequence[Upload] = ()) -> InstanceInfo:
    """Start the initiative with ``uploads`` as its attachments; raises ``SubmissionRejected``
    (with field errors) when the answers do not satisfy the start form, ``SubmissionFailed``
    when it could not be started, ``UploadRejected`` for a file we cannot take (then nothing is
    stored). Check files with ``check_upload`` first to show every problem at once."""
    if channel not in CHANNELS:
        raise NotAllowedHere("unknown_channel")
    if len(uploads) > MAX_FILES:
        raise NotAllowedHere("too_many_files")
    for upload in uploads:
        check_upload(upload)
    answers = {key: value for key, value in data.items() if key != ATTACHMENTS}
    draft_key = _store(engine, uploads, actor) if uploads else None
    try:
        return submit_initiative(engine, answers, channel=channel, actor=actor, draft_key=draft_key,
                                 lang=str(data.get("taal") or "nl"))
    except BaseException:
        if draft_key is not None:
            discard(engine, draft_key)
        raise


def _store(engine: Engine, uploads: Sequence[Upload], actor: str) -> str:
    draft_key = secrets.token_urlsafe(32)
    with engine.db.transaction() as session:
        for upload in uploads:
            store_document(session, upload, uploaded_by=actor, draft_key=draft_key, purpose=PURPOSE)
    return draft_key


def discard(engine: Engine, draft_key: str) -> int:
    """Delete the files stored under ``draft_key`` that did not become part of a case."""
    with engine.db.transaction() as session:
        result = session.execute(delete(Document).where(Document.draft_key == draft_key,
                                                        Document.instance_id.is_(None)))
    return int(getattr(result, "rowcount", 0) or 0)
