"""What happens when an initiative is sent: the one way a case is started, online and on behalf
of a caller (the non-digital alternative).

``submit_initiative`` checks the answers against the start form (the form the start event of
``initiatief.bpmn`` names), starts the process, links the uploaded files to the new case, queues
the confirmation mail and removes the draft — all in the one transaction that starts the case
(the engine's ``within`` hook). If anything fails, nothing is stored: the draft and its files
stay as they were, the initiator sees one clear message and can simply try again.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import InstanceInfo, queue_mail
from forms import FieldError, FormDefinition, Option, validate
from processes import drafts
from processes.documents import MAX_FILES, Upload, attach_draft_documents, check_upload, store_document
from processes.errors import InvalidInput
from processes.loket import Loket
from processes.tables.case import Document
from processes.tables.organisation import District, Guide
from processes.tables.portal import FormDraft
from processes.vocabulary import (
    ATTACHMENTS_FIELD,
    CHANNEL_FIELD,
    CONFIRMATION_TEXT,
    DISTRICT_FIELD,
    EMAIL_FIELD,
    INITIATIVE_PROCESS,
    LANGUAGE_FIELD,
    LANGUAGES,
    NAME_FIELD,
    REGISTER_CHANNELS,
    SUBMIT_CHANNELS,
    TITLE_FIELD,
)

log = logging.getLogger(__name__)

CONFIRMATION_TEMPLATE = CONFIRMATION_TEXT
ATTACHMENT_PURPOSE = "bijlage"


class SubmissionRejected(Exception):
    """The answers do not satisfy the start form; nothing was stored."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(error.message for error in errors))


class SubmissionFailed(Exception):
    """The initiative could not be started; nothing was stored (the draft is kept)."""


class AlreadySubmitting(SubmissionFailed):
    """The same draft is being sent by another request (a double click)."""


# the start form ------------------------------------------------------------------------------
def with_organisation_choices(form: FormDefinition, session: Session) -> FormDefinition:
    """The form as the organisation is now. A field with ``"options_from": "districts"`` offers
    the districts in use (a district a beheerder adds appears at once, one switched off goes);
    on a form that lists its districts itself, each district shows the name the organisation
    gives it now. A district's name is a name, not a word: it reads the same in every language.
    A field with ``"options_from": "guides"`` offers the active guides (the value is the guide's
    e-mail address, as the diagrams use it)."""
    guides = form.fields_with_options_from("guides")
    if guides:
        form = _with_guides(form, session, guides)
    choosing = form.fields_with_options_from("districts")
    if choosing:
        districts = session.execute(select(District.code, District.name, District.name_en)
                                    .where(District.active.is_(True)).order_by(District.name)).all()
        options = [Option(code, {"nl": name, "en": name_en or name}) for code, name, name_en in districts]
        for name in choosing:
            form = form.with_options(name, options)
        return form
    if DISTRICT_FIELD not in form.fields:  # a form without the question: nothing to name
        return form
    known = {option.value: option.label("nl") for option in form.fields[DISTRICT_FIELD].options}
    renamed = {code: {"nl": name, "en": name}
               for code, name in session.execute(select(District.code, District.name))
               if code in known and name != known[code]}
    return form.with_option_labels(DISTRICT_FIELD, renamed) if renamed else form


def _with_guides(form: FormDefinition, session: Session, fields: list[str]) -> FormDefinition:
    rows = session.execute(select(Guide.email, Guide.name, District.name, District.name_en)
                           .outerjoin(District, District.code == Guide.district_code)
                           .where(Guide.active.is_(True)).order_by(Guide.name)).all()
    options = [Option(email, {"nl": f"{name} ({district})" if district else name,
                              "en": f"{name} ({district_en or district})" if district else name})
               for email, name, district, district_en in rows]
    for name in fields:
        form = form.with_options(name, options)
    return form


def intake_form(loket: Loket) -> FormDefinition:
    """The start form (the one the diagram names) as the initiator and staff see it."""
    form = loket.start_form()
    with loket.reading() as session:
        return with_organisation_choices(form, session)


# sending -------------------------------------------------------------------------------------
def submit_initiative(
    loket: Loket,
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
    ``draft_key`` (``processes.documents.store_document(..., draft_key=...)``) become the
    case's attachments; a portal draft with that key is removed. Owns its transactions.

    Raises SubmissionRejected (answers wrong), AlreadySubmitting, SubmissionFailed.
    """
    if channel not in SUBMIT_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    wanted = lang or data.get(LANGUAGE_FIELD)
    language = wanted if wanted in LANGUAGES else "nl"
    payload = {key: value for key, value in data.items() if key not in drafts.SERVER_FIELDS}
    payload.update({CHANNEL_FIELD: channel, LANGUAGE_FIELD: language})
    attachments = _claim(loket, draft_key)
    if attachments:
        payload[ATTACHMENTS_FIELD] = attachments
    errors = validate(intake_form(loket), payload, lang=language)
    if errors:
        _release(loket, draft_key)
        raise SubmissionRejected(errors)

    def link_and_confirm(session: Session, info: InstanceInfo) -> None:
        _link_and_confirm(session, info, draft_key, attachments)

    try:
        return loket.engine.start(INITIATIVE_PROCESS, payload, actor=actor, within=link_and_confirm)
    except Exception as exc:
        log.exception("starting an initiative failed; nothing was stored")
        _release(loket, draft_key)
        raise SubmissionFailed(str(exc)) from exc


def _claim(loket: Loket, draft_key: str | None) -> list[str]:
    """Claim the portal draft (if any) and return the ids of the files to attach."""
    if not draft_key:
        return []
    with loket.transaction() as session:
        exists = session.scalar(select(FormDraft.id).where(FormDraft.key == draft_key))
        if exists is not None and not drafts.claim(session, draft_key):
            raise AlreadySubmitting("this draft is being sent already")
        query = select(Document.public_id).where(Document.draft_key == draft_key, Document.instance_id.is_(None))
        return list(session.scalars(query.order_by(Document.uploaded_at, Document.id)).all())


def _release(loket: Loket, draft_key: str | None) -> None:
    if draft_key:
        with loket.transaction() as session:
            drafts.release(session, draft_key)


def _link_and_confirm(session: Session, info: InstanceInfo, draft_key: str | None, attachments: list[str]) -> None:
    email = info.data.get(EMAIL_FIELD)
    if draft_key:
        linked = attach_draft_documents(session, draft_key, info.id)
        if linked != len(attachments):
            raise RuntimeError(f"expected {len(attachments)} attachments, linked {linked}")
        draft = session.scalar(select(FormDraft).where(FormDraft.key == draft_key))
        if draft is not None:
            session.delete(draft)
    if isinstance(email, str) and email:
        queue_mail(session, info.id, template=CONFIRMATION_TEMPLATE, to=email,
                   context={"case_ref": info.case_ref, "titel": info.data.get(TITLE_FIELD) or "",
                            "naam": str(info.data.get(NAME_FIELD) or "")},
                   lang=str(info.data.get(LANGUAGE_FIELD) or "nl"))


# on behalf of a caller -----------------------------------------------------------------------
def register_on_behalf(loket: Loket, data: dict[str, Any], *, channel: str, actor: str,
                       uploads: Sequence[Upload] = ()) -> InstanceInfo:
    """Start the initiative (the start form, filled in by staff) with ``uploads`` as its
    attachments. The channel (telefoon, balie, email) goes into the case data, the employee is
    the actor of the start, and the initiator gets the same confirmation mail as online.

    The files are stored under a fresh, random draft key just before the start, which links
    them to the new case; when the start does not happen, they are deleted again. Raises
    ``SubmissionRejected`` (with field errors), ``SubmissionFailed``, ``InvalidInput`` (channel,
    number of files) or ``UploadRejected`` (then nothing is stored). Check files with
    ``check_upload`` first to show every problem at once."""
    if channel not in REGISTER_CHANNELS:
        raise InvalidInput({CHANNEL_FIELD: "unknown_channel"})
    if len(uploads) > MAX_FILES:
        raise InvalidInput({ATTACHMENTS_FIELD: "too_many_files"})
    for upload in uploads:
        check_upload(upload)
    answers = {key: value for key, value in data.items() if key != ATTACHMENTS_FIELD}
    draft_key = _store(loket, uploads, actor) if uploads else None
    try:
        return submit_initiative(loket, answers, channel=channel, actor=actor, draft_key=draft_key,
                                 lang=str(data.get(LANGUAGE_FIELD) or "nl"))
    except BaseException:
        if draft_key is not None:
            discard(loket, draft_key)
        raise


def _store(loket: Loket, uploads: Sequence[Upload], actor: str) -> str:
    draft_key = secrets.token_urlsafe(32)
    with loket.transaction() as session:
        for upload in uploads:
            store_document(session, upload, uploaded_by=actor, draft_key=draft_key, purpose=ATTACHMENT_PURPOSE)
    return draft_key


def discard(loket: Loket, draft_key: str) -> int:
    """Delete the files stored under ``draft_key`` that did not become part of a case."""
    with loket.transaction() as session:
        result = session.execute(delete(Document).where(Document.draft_key == draft_key,
                                                        Document.instance_id.is_(None)))
    return int(getattr(result, "rowcount", 0) or 0)
