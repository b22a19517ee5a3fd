"""The public start form while it is filled in, step by step: a page per step, saving a step's
answers and files, the summary before sending, sending, and save-and-resume by e-mail.

The draft lives in the database (:mod:`processes.drafts`); the browser keeps only its key.
Every answer is checked on the server with the start form the diagram names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine import InstanceInfo
from forms import FieldError, FormDefinition, RawForm, clean, validate
from processes import drafts
from processes.dates import long_date
from processes.documents import Upload
from processes.intake import submit_initiative, with_organisation_choices
from processes.loket import Loket
from processes.procedure import Step, overview
from processes.tables.case import Document
from processes.tables.portal import FormDraft
from processes.vocabulary import EMAIL_FIELD, NAME_FIELD, RESUME_TEXT

RESUME_TEMPLATE = RESUME_TEXT


@dataclass(frozen=True)
class Draft:
    """A draft as a page shows it (no database row leaves the unit of work)."""

    key: str
    data: dict[str, Any]
    email: str | None
    expires_at: datetime
    documents: list[Document]


def _draft(session: Session, row: FormDraft) -> Draft:
    return Draft(row.key, dict(row.data), row.email, row.expires_at, drafts.documents(session, row))


def first_step(loket: Loket) -> str:
    return loket.start_form().step_ids()[0]


@dataclass(frozen=True)
class StepPage:
    form: FormDefinition
    step_id: str
    draft: Draft | None


def step_page(loket: Loket, draft_key: str | None, step_id: str) -> StepPage:
    """A step of the start form with what the draft holds (``UnknownStep`` for a step the form
    does not have)."""
    form = loket.start_form()
    form.step(step_id)
    with loket.reading() as session:
        row = drafts.find_draft(session, draft_key)
        return StepPage(with_organisation_choices(form, session), step_id, _draft(session, row) if row else None)


@dataclass(frozen=True)
class StepSaved:
    """What saving a step did: the page as it is now, the answers as read, every problem (answers
    and files), and whether files were removed (then the person stays on the step)."""

    page: StepPage
    values: dict[str, Any]
    errors: list[FieldError]
    removed: bool


def save_step(loket: Loket, draft_key: str | None, step_id: str, posted: RawForm,
              uploads: Mapping[str, list[Upload]], remove: list[str], lang: str) -> StepSaved:
    """Keep the step's answers (also the wrong ones, so nothing typed is lost), store the step's
    files that can be taken (``uploads`` by field) and remove the ones asked; a new draft when
    there is none."""
    form_id = loket.start_form_id()
    form = loket.form(form_id)
    form.step(step_id)
    with loket.transaction() as session:
        row = drafts.find_draft(session, draft_key) or drafts.new_draft(session, form_id)
        values, errors = clean(form, posted, step=step_id, lang=lang, context=row.data)
        drafts.save_answers(row, values, form.field_names(step_id))
        for name in form.file_fields(step_id):
            _stored, refused = drafts.add_documents(session, row, list(uploads.get(name, [])))
            if refused:
                errors.append(FieldError(name, " ".join(exc.message(lang) for exc in refused)))
        removed = [drafts.remove_document(session, row, public_id) for public_id in remove]
        page = StepPage(with_organisation_choices(form, session), step_id, _draft(session, row))
    return StepSaved(page, values, errors, any(removed))


@dataclass(frozen=True)
class SummaryPage:
    form: FormDefinition
    draft: Draft
    errors: list[FieldError]
    next_steps: list[Step]


def _check_all(form: FormDefinition, data: Mapping[str, Any], lang: str) -> list[FieldError]:
    answers = {key: value for key, value in data.items() if key not in drafts.SERVER_FIELDS}
    return validate(form, answers, lang=lang)


def summary_page(loket: Loket, draft_key: str | None, lang: str,
                 errors: list[FieldError] | None = None) -> SummaryPage | None:
    """Every answer before sending, with every problem left (``errors``: the ones sending
    found); None when there is no draft."""
    form = loket.start_form()
    next_steps = overview(loket).intake
    with loket.reading() as session:
        row = drafts.find_draft(session, draft_key)
        if row is None:
            return None
        draft = _draft(session, row)
        form = with_organisation_choices(form, session)
    found = errors if errors is not None else _check_all(form, draft.data, lang)
    return SummaryPage(form, draft, found, next_steps)


def send(loket: Loket, draft_key: str | None, lang: str) -> InstanceInfo | None:
    """Send the draft as an initiative (see :func:`processes.intake.submit_initiative` for what
    it raises); None when there is no draft to send."""
    with loket.reading() as session:
        row = drafts.find_draft(session, draft_key)
        data, key = (dict(row.data), row.key) if row else (None, None)
    if data is None or key is None:
        return None
    actor = str(data.get(EMAIL_FIELD) or drafts.ANONYMOUS)
    return submit_initiative(loket, data, channel="online", actor=actor, draft_key=key, lang=lang)


def what_happens_next(loket: Loket) -> list[Step]:
    """The steps after sending, as the diagram in use has them (for the confirmation)."""
    return overview(loket).intake


def draft_email(loket: Loket, draft_key: str | None) -> tuple[bool, str | None]:
    """Whether there is a draft, and the e-mail address it already has."""
    with loket.reading() as session:
        row = drafts.find_draft(session, draft_key)
        return (row is not None, row.email if row else None)


def send_resume_link(loket: Loket, draft_key: str | None, email: str, link: Callable[[str], str],
                     lang: str) -> bool:
    """Mail a link to continue later (``link`` makes it from the token); the token is stored as a
    hash only and the mail is sent at once, never kept (MailNotSent when that fails: then no link
    was issued). False when there is no draft."""
    with loket.transaction() as session:
        row = drafts.find_draft(session, draft_key)
        if row is None:
            return False
        token = drafts.issue_resume_link(session, row, email)
        context = {"link": link(token), "geldig_tot": long_date(row.expires_at, lang),
                   "naam": str((row.data or {}).get(NAME_FIELD) or "")}
        loket.engine.send_mail_now(RESUME_TEMPLATE, email, context, lang, within=session)
    return True


@dataclass(frozen=True)
class Resumed:
    draft_key: str
    complete: bool


def resume(loket: Loket, token: str, lang: str) -> Resumed | None:
    """The draft a resume link belongs to (its lifetime starts again), and whether every answer
    is there; None for a link that is unknown, used up or expired."""
    form = loket.start_form()
    with loket.transaction() as session:
        row = drafts.resume(session, token)
        if row is None:
            return None
        return Resumed(row.key, not _check_all(form, row.data, lang))
