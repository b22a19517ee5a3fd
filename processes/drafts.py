"""The start form while it is being filled in: answers per step, uploaded files, and the
save-and-resume link. A draft lives in the database (not in the cookie: a description may
be 4,000 characters) and expires after :data:`DRAFT_LIFETIME`."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from processes import clock
from processes.documents import MAX_FILES, Upload, UploadRejected, check_upload, store_document
from processes.portal_login import hash_token, new_token
from processes.tables.case import Document
from processes.tables.portal import FormDraft

DRAFT_LIFETIME = timedelta(days=30)
ANONYMOUS = "initiatiefnemer"
# Answers the server sets itself; a posted value is never kept.
SERVER_FIELDS = ("kanaal", "taal", "bijlagen")


def new_draft(session: Session, form_id: str) -> FormDraft:
    now = clock.now()
    purge_expired(session)
    draft = FormDraft(key=secrets.token_urlsafe(32), form_id=form_id, data={}, created_at=now, updated_at=now,
                      expires_at=now + DRAFT_LIFETIME)
    session.add(draft)
    session.flush()
    return draft


def find_draft(session: Session, key: str | None) -> FormDraft | None:
    """The open draft with this key (not expired, not being sent)."""
    if not key:
        return None
    draft = session.scalar(select(FormDraft).where(FormDraft.key == key).execution_options(populate_existing=True))
    if draft is None or draft.expires_at <= clock.now() or draft.submitting_at is not None:
        return None
    return draft


def save_answers(draft: FormDraft, values: Mapping[str, Any], fields: Iterable[str]) -> None:
    """Replace the answers to ``fields`` (one step) with ``values``: a cleared field is dropped."""
    names = set(fields) - set(SERVER_FIELDS)
    data = {key: value for key, value in draft.data.items() if key not in names}
    data.update({key: value for key, value in values.items() if key in names})
    draft.data = data
    email = data.get("email")
    draft.email = str(email).strip().lower()[:254] if email else draft.email
    touch(draft)


def touch(draft: FormDraft) -> None:
    now = clock.now()
    draft.updated_at = now
    draft.expires_at = now + DRAFT_LIFETIME


def documents(session: Session, draft: FormDraft) -> list[Document]:
    query = select(Document).where(Document.draft_key == draft.key, Document.instance_id.is_(None))
    return list(session.scalars(query.order_by(Document.uploaded_at, Document.id)).all())


def add_documents(
    session: Session, draft: FormDraft, uploads: list[Upload]
) -> tuple[list[Document], list[UploadRejected]]:
    """Store the acceptable files; returns them and, per refused file, why."""
    stored: list[Document] = []
    refused: list[UploadRejected] = []
    room = MAX_FILES - len(documents(session, draft))
    for upload in uploads:
        try:
            check_upload(upload)
        except UploadRejected as exc:
            refused.append(exc)
            continue
        if room <= 0:
            refused.append(_too_many(upload.filename))
            continue
        stored.append(store_document(session, upload, uploaded_by=draft.email or ANONYMOUS, draft_key=draft.key,
                                     purpose="bijlage"))
        room -= 1
    touch(draft)
    return stored, refused


def _too_many(filename: str) -> UploadRejected:
    return UploadRejected(f"{filename}: u kunt hoogstens {MAX_FILES} bestanden toevoegen.",
                          f"{filename}: you can add at most {MAX_FILES} files.")


def remove_document(session: Session, draft: FormDraft, public_id: str) -> bool:
    result = session.execute(
        delete(Document).where(Document.public_id == public_id, Document.draft_key == draft.key,
                               Document.instance_id.is_(None))
    )
    touch(draft)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def issue_resume_link(session: Session, draft: FormDraft, email: str) -> str:
    """A new resume token for the draft (an earlier link stops working)."""
    token, token_hash = new_token()
    draft.resume_token_hash = token_hash
    draft.email = email.strip().lower()[:254]
    touch(draft)
    session.flush()
    return token


def resume(session: Session, token: str) -> FormDraft | None:
    query = select(FormDraft).where(FormDraft.resume_token_hash == hash_token(token))
    draft = session.scalar(query.execution_options(populate_existing=True))
    if draft is None or draft.expires_at <= clock.now() or draft.submitting_at is not None:
        return None
    touch(draft)
    return draft


def claim(session: Session, key: str) -> bool:
    """Mark the draft as being sent; False if another request got there first."""
    result = session.execute(
        update(FormDraft).where(FormDraft.key == key, FormDraft.submitting_at.is_(None))
        .values(submitting_at=clock.now()).execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release(session: Session, key: str) -> None:
    session.execute(update(FormDraft).where(FormDraft.key == key).values(submitting_at=None)
                    .execution_options(synchronize_session=False))


def purge_expired(session: Session) -> int:
    """Delete expired drafts and the files uploaded with them (data we no longer may keep)."""
    now = clock.now()
    keys = list(session.scalars(select(FormDraft.key).where(FormDraft.expires_at <= now)).all())
    if not keys:
        return 0
    session.execute(delete(Document).where(Document.draft_key.in_(keys), Document.instance_id.is_(None)))
    session.execute(delete(FormDraft).where(FormDraft.key.in_(keys)))
    return len(keys)
