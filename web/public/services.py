"""Sending an initiative: the one way a case is started, online and on behalf of a caller.

``submit_initiative`` checks the answers against the start form, starts the ``initiatief``
process, links the uploaded files to the new case, queues the confirmation mail and removes
the draft — all in the one transaction that starts the case (the engine's ``within`` hook).
If anything fails, nothing is stored: the draft and its files stay as they were, the
initiator sees one clear message and can simply try again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.service import Engine, InstanceInfo
from forms import FieldError, validate
from web.casefile.documents import attach_draft_documents
from web.casefile.models import Document
from web.public import drafts
from web.public.formdefs import INTAKE_FORM, definition
from web.public.mailing import queue_mail
from web.public.models import FormDraft

log = logging.getLogger(__name__)

PROCESS_ID = "initiatief"
CHANNELS = ("online", "telefoon", "balie", "email")
LANGUAGES = ("nl", "en")
CONFIRMATION_TEMPLATE = "bevestiging"


class SubmissionRejected(Exception):
    """The answers do not satisfy the start form; nothing was stored."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(error.message for error in errors))


class SubmissionFailed(Exception):
    """The initiative could not be started; nothing was stored (the draft is kept)."""


class AlreadySubmitting(SubmissionFailed):
    """The same draft is being sent by another request (a double click)."""


def submit_initiative(
    engine: Engine,
    data: Mapping[str, Any],
    *,
    channel: str,
    actor: str,
    draft_key: str | None = None,
    lang: str | None = None,
) -> InstanceInfo:
    """Start an initiative from start-form answers (as ``forms.clean`` gives them).

    ``channel`` is how it came in (online, telefoon, balie, email); ``actor`` who sent it (the
    initiator's e-mail online, the staff member's user name otherwise); ``lang`` the language of
    the initiator's mails (default: the answer ``taal``, else Dutch). Files stored with
    ``draft_key`` (``web.casefile.documents.store_document(..., draft_key=...)``) become the
    case's attachments; a portal draft with that key is removed. Owns its transactions.

    Raises SubmissionRejected (answers wrong), AlreadySubmitting, SubmissionFailed.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    wanted = lang or data.get("taal")
    language = wanted if wanted in LANGUAGES else "nl"
    payload = {key: value for key, value in data.items() if key not in drafts.SERVER_FIELDS}
    payload.update(kanaal=channel, taal=language)
    attachments = _claim(engine, draft_key)
    if attachments:
        payload["bijlagen"] = attachments
    errors = validate(definition(INTAKE_FORM), payload, lang=language)
    if errors:
        _release(engine, draft_key)
        raise SubmissionRejected(errors)

    def link_and_confirm(session: Session, info: InstanceInfo) -> None:
        _link_and_confirm(session, info, draft_key, attachments)

    try:
        return engine.start(PROCESS_ID, payload, actor=actor, within=link_and_confirm)
    except Exception as exc:
        log.exception("starting an initiative failed; nothing was stored")
        _release(engine, draft_key)
        raise SubmissionFailed(str(exc)) from exc


def _claim(engine: Engine, draft_key: str | None) -> list[str]:
    """Claim the portal draft (if any) and return the ids of the files to attach."""
    if not draft_key:
        return []
    with engine.db.transaction() as session:
        exists = session.scalar(select(FormDraft.id).where(FormDraft.key == draft_key))
        if exists is not None and not drafts.claim(session, draft_key):
            raise AlreadySubmitting("this draft is being sent already")
        query = select(Document.public_id).where(Document.draft_key == draft_key, Document.instance_id.is_(None))
        return list(session.scalars(query.order_by(Document.uploaded_at, Document.id)).all())


def _release(engine: Engine, draft_key: str | None) -> None:
    if draft_key:
        with engine.db.transaction() as session:
            drafts.release(session, draft_key)


def _link_and_confirm(session: Session, info: InstanceInfo, draft_key: str | None, attachments: list[str]) -> None:
    email = info.data.get("email")
    if draft_key:
        linked = attach_draft_documents(session, draft_key, info.id)
        if linked != len(attachments):
            raise RuntimeError(f"expected {len(attachments)} attachments, linked {linked}")
        draft = session.scalar(select(FormDraft).where(FormDraft.key == draft_key))
        if draft is not None:
            session.delete(draft)
    if isinstance(email, str) and email:
        queue_mail(session, info.id, template=CONFIRMATION_TEMPLATE, to=email,
                   context={"case_ref": info.case_ref, "titel": info.data.get("titel") or ""},
                   lang=str(info.data.get("taal") or "nl"))
