"""The start form: one page per step, a summary, sending, the confirmation, and
save-and-resume by e-mail. Works without JavaScript; every answer is checked on the server."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from forms import FieldError, FormDefinition, UnknownStep, clean, validate
from web import engine_of
from web.casefile.documents import ALLOWED_TYPES, MAX_FILE_BYTES, MAX_FILES
from web.extensions import limiter
from web.formview import field_views, summary_rows
from web.i18n import current_lang
from web.public import bp, drafts
from web.public.auth import current_initiator
from web.public.display import local_date
from web.public.formdefs import INTAKE_FORM, SAVE_FORM, definition, intake_definition
from web.public.formhelp import file_fields, honeypot_filled, shown_values, uploads_for
from web.public.links import public_link
from web.public.mailing import MailNotSent, send_now
from web.public.models import FormDraft
from web.public.procedure import overview
from web.public.services import AlreadySubmitting, SubmissionFailed, SubmissionRejected, submit_initiative

DRAFT_KEY = "aanmelding"
SENT_KEY = "verzonden"
RESUME_TEMPLATE = "concept_link"


def _intake() -> FormDefinition:
    return definition(INTAKE_FORM)


def _current_draft(db: Session) -> FormDraft | None:
    return drafts.find_draft(db, session.get(DRAFT_KEY))


def _draft_for_post(db: Session) -> FormDraft:
    draft = _current_draft(db)
    if draft is None:
        draft = drafts.new_draft(db, INTAKE_FORM)
        session[DRAFT_KEY] = draft.key
    return draft


def _step_or_404(step_id: str) -> None:
    try:
        _intake().step(step_id)
    except UnknownStep:
        abort(404)


def _upload_hint() -> str:
    kinds = ", ".join(sorted({suffix.lstrip(".").upper() for suffix in ALLOWED_TYPES}))
    return _("U kunt hoogstens %(count)d bestanden toevoegen, elk hoogstens %(mb)d MB. Soorten: %(kinds)s.",
             count=MAX_FILES, mb=MAX_FILE_BYTES // (1024 * 1024), kinds=kinds)


def _render_step(step_id: str, values: dict[str, Any], errors: list[FieldError], draft: FormDraft | None,
                 db: Session) -> str:
    form = intake_definition(db)
    ids = form.step_ids()
    fields = field_views(form, step=step_id, values=values, errors=errors, lang=current_lang(),
                         context=draft.data if draft else {})
    fields = [f for f in fields if f.name not in drafts.SERVER_FIELDS or f.widget == "file"]
    return render_template(
        "public/form_step.html", form=form, step=form.step(step_id), number=ids.index(step_id) + 1, total=len(ids),
        fields=fields, form_errors=[], has_files=bool(file_fields(form, step_id)),
        documents=drafts.documents(db, draft) if draft else [], upload_hint=_upload_hint(),
        previous=form.previous_step(step_id),
    )


@bp.get("/aanmelden")
def start() -> Response:
    return redirect(url_for("public.step", step_id=_intake().step_ids()[0]))


@bp.get("/aanmelden/stap/<step_id>")
def step(step_id: str) -> str:
    _step_or_404(step_id)
    engine = engine_of(current_app)
    with engine.db.transaction() as db:
        draft = _current_draft(db)
        values = dict(draft.data) if draft else {}
        if "email" not in values and current_initiator():
            values["email"] = current_initiator()
        return _render_step(step_id, values, [], draft, db)


@bp.post("/aanmelden/stap/<step_id>")
@limiter.limit("30/minute")
def save_step(step_id: str) -> Response | str:
    _step_or_404(step_id)
    if honeypot_filled():
        return render_template("public/neutral.html")
    form, lang = _intake(), current_lang()
    engine = engine_of(current_app)
    with engine.db.transaction() as db:
        draft = _draft_for_post(db)
        values, errors = clean(form, request.form, step=step_id, lang=lang, context=draft.data)
        drafts.save_answers(draft, values, form.field_names(step_id))
        errors += _store_uploads(db, draft, step_id, lang)
        removed = [drafts.remove_document(db, draft, public_id) for public_id in request.form.getlist("verwijder")]
        if any(removed):  # stay on the step, so the person sees which files are left
            return _render_step(step_id, shown_values(draft.data, errors, form), errors, draft, db)
        action = request.form.get("actie", "volgende")
        if action == "opslaan":
            return redirect(url_for("public.save"))
        if action == "vorige":
            return redirect(url_for("public.step", step_id=form.previous_step(step_id) or step_id))
        if errors:
            return _render_step(step_id, shown_values(draft.data, errors, form), errors, draft, db)
        following = form.next_step(step_id)
    return redirect(url_for("public.step", step_id=following) if following else url_for("public.summary"))


def _store_uploads(db: Session, draft: FormDraft, step_id: str, lang: str) -> list[FieldError]:
    errors = []
    for name, uploads in uploads_for(file_fields(_intake(), step_id)).items():
        _stored, refused = drafts.add_documents(db, draft, uploads)
        if refused:
            errors.append(FieldError(name, " ".join(exc.message(lang) for exc in refused)))
    return errors


def _summary_page(draft: FormDraft, db: Session, errors: list[FieldError], status: int = 200) -> tuple[str, int]:
    form, lang = intake_definition(db), current_lang()
    steps = {item.id: item.title(lang) for item in form.steps}
    files = {form.fields[name].label(lang): step for step in form.step_ids() for name in file_fields(form, step)}
    rows = [row for row in summary_rows(form, draft.data, lang) if row[1] not in files]
    where = {name: step_id for step_id in form.step_ids() for name in form.field_names(step_id)}
    problems = [(error.message, url_for("public.step", step_id=where.get(error.field, form.step_ids()[0]))
                 + f"#veld-{error.field}") for error in errors]
    sections = overview(engine_of(current_app), db).intake
    return render_template("public/form_summary.html", form=form, steps=steps, rows=rows, problems=problems,
                           files=files, documents=drafts.documents(db, draft), next_steps=sections), status


def _check_all(draft: FormDraft) -> list[FieldError]:
    data = {key: value for key, value in draft.data.items() if key not in drafts.SERVER_FIELDS}
    return validate(_intake(), data, lang=current_lang())


@bp.get("/aanmelden/controleren")
def summary() -> Response | tuple[str, int]:
    with engine_of(current_app).db.transaction() as db:
        draft = _current_draft(db)
        if draft is None:
            return redirect(url_for("public.start"))
        return _summary_page(draft, db, _check_all(draft))


@bp.post("/aanmelden/versturen")
@limiter.limit("10/minute")
def submit() -> Response | str | tuple[str, int]:
    if honeypot_filled():
        return render_template("public/neutral.html")
    engine = engine_of(current_app)
    with engine.db.transaction() as db:
        draft = _current_draft(db)
        data = dict(draft.data) if draft else None
        key = draft.key if draft else None
    if data is None or key is None:
        return redirect(url_for("public.confirmation") if session.get(SENT_KEY) else url_for("public.start"))
    try:
        info = submit_initiative(engine, data, channel="online", actor=str(data.get("email") or "initiatiefnemer"),
                                 draft_key=key, lang=current_lang())
    except SubmissionRejected as rejected:
        with engine.db.transaction() as db:
            found = _current_draft(db)
            if found is None:
                return redirect(url_for("public.start"))
            return _summary_page(found, db, rejected.errors, 400)
    except AlreadySubmitting:
        return render_template("public/submit_failed.html", busy=True), 409
    except SubmissionFailed:
        return render_template("public/submit_failed.html", busy=False), 503
    session.pop(DRAFT_KEY, None)
    session[SENT_KEY] = {"case_ref": info.case_ref, "email": info.data.get("email")}
    return redirect(url_for("public.confirmation"))


@bp.get("/aanmelden/ontvangen")
def confirmation() -> Response | str:
    sent = session.get(SENT_KEY)
    if not isinstance(sent, dict) or not sent.get("case_ref"):
        return redirect(url_for("site.home"))
    engine = engine_of(current_app)
    with engine.db.transaction() as db:
        first = overview(engine, db).intake
    return render_template("public/confirmation.html", case_ref=sent["case_ref"], email=sent.get("email"),
                           next_steps=first)


@bp.get("/aanmelden/opslaan")
def save() -> Response | str:
    with engine_of(current_app).db.transaction() as db:
        draft = _current_draft(db)
        if draft is None:
            return redirect(url_for("public.start"))
        values = {"email": draft.email} if draft.email else {}
    return render_template("public/form_save.html",
                           fields=field_views(SAVE_FORM, step=None, values=values, errors=[], lang=current_lang()))


@bp.post("/aanmelden/opslaan")
@limiter.limit("5/minute")
def send_resume_link() -> Response | str | tuple[str, int]:
    if honeypot_filled():
        return render_template("public/neutral.html")
    lang = current_lang()
    values, errors = clean(SAVE_FORM, request.form, lang=lang)
    if errors:
        fields = field_views(SAVE_FORM, step=None, values=shown_values(values, errors, SAVE_FORM), errors=errors,
                             lang=lang)
        return render_template("public/form_save.html", fields=fields), 400
    engine = engine_of(current_app)
    try:
        with engine.db.transaction() as db:
            draft = _current_draft(db)
            if draft is None:
                return redirect(url_for("public.start"))
            token = drafts.issue_resume_link(db, draft, values["email"])
            context = {"link": public_link("public.resume", token=token), "geldig_tot": local_date(draft.expires_at)}
            send_now(engine, RESUME_TEMPLATE, values["email"], context, lang)
    except MailNotSent:
        return render_template("public/mail_failed.html"), 503
    return render_template("public/form_saved.html", email=values["email"])


@bp.get("/aanmelden/verder/<token>")
def resume(token: str) -> Response | tuple[str, int]:
    with engine_of(current_app).db.transaction() as db:
        draft = drafts.resume(db, token)
        if draft is None:
            return render_template("public/link_invalid.html", kind="concept"), 410
        session[DRAFT_KEY] = draft.key
        complete = not _check_all(draft)
    return redirect(url_for("public.summary") if complete else url_for("public.start"))
