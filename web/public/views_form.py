"""The start form: one page per step, a summary, sending, the confirmation, and
save-and-resume by e-mail. Works without JavaScript; every answer is checked on the server
(:mod:`processes.form_steps`)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from forms import FieldError, UnknownStep, clean
from processes import form_steps
from processes.documents import ALLOWED_TYPES, MAX_FILE_BYTES, MAX_FILES
from processes.drafts import SERVER_FIELDS
from processes.errors import MailNotSent
from processes.intake import AlreadySubmitting, SubmissionFailed, SubmissionRejected
from web import current_loket
from web.extensions import limiter
from web.formview import field_views, summary_rows
from web.i18n import current_lang
from web.i18n import gettext as _
from web.public import bp
from web.public.auth import current_initiator
from web.public.formdefs import SAVE_FORM
from web.public.formhelp import honeypot_filled, shown_values, uploads_for
from web.public.links import public_link

DRAFT_KEY = "aanmelding"
SENT_KEY = "verzonden"


def _one_initiative() -> str:
    """Whose start form a request is: its draft (kept in the session), or its address until it has one."""
    draft = session.get(DRAFT_KEY)
    return f"concept:{draft}" if draft else f"adres:{get_remote_address()}"


def _setting(name: str) -> Any:
    return lambda: str(current_app.config[name])


def _step_page(step_id: str) -> form_steps.StepPage:
    try:
        return form_steps.step_page(current_loket(), session.get(DRAFT_KEY), step_id)
    except UnknownStep:
        abort(404)


def _upload_hint() -> str:
    kinds = ", ".join(sorted({suffix.lstrip(".").upper() for suffix in ALLOWED_TYPES}))
    return _("U kunt hoogstens %(count)d bestanden toevoegen, elk hoogstens %(mb)d MB. Soorten: %(kinds)s.",
             count=MAX_FILES, mb=MAX_FILE_BYTES // (1024 * 1024), kinds=kinds)


def _render_step(page: form_steps.StepPage, values: dict[str, Any], errors: list[FieldError]) -> str:
    form, step_id = page.form, page.step_id
    ids = form.step_ids()
    fields = field_views(form, step=step_id, values=values, errors=errors, lang=current_lang(),
                         context=page.draft.data if page.draft else {})
    fields = [f for f in fields if f.name not in SERVER_FIELDS or f.widget == "file"]
    return render_template(
        "public/form_step.html", form=form, step=form.step(step_id), number=ids.index(step_id) + 1, total=len(ids),
        fields=fields, form_errors=[], has_files=bool(form.file_fields(step_id)),
        documents=page.draft.documents if page.draft else [], upload_hint=_upload_hint(),
        previous=form.previous_step(step_id),
    )


@bp.get("/aanmelden")
def start() -> Response:
    return redirect(url_for("public.step", step_id=form_steps.first_step(current_loket())))


@bp.get("/aanmelden/stap/<step_id>")
def step(step_id: str) -> str:
    page = _step_page(step_id)
    values = dict(page.draft.data) if page.draft else {}
    if "email" not in values and current_initiator():
        values["email"] = current_initiator()
    return _render_step(page, values, [])


@bp.post("/aanmelden/stap/<step_id>")
@limiter.limit(_setting("START_FORM_STEPS_PER_DRAFT"), key_func=_one_initiative)
@limiter.limit(_setting("START_FORM_STEPS_PER_ADDRESS"))
def save_step(step_id: str) -> Response | str:
    if honeypot_filled():
        return render_template("public/neutral.html")
    try:
        saved = form_steps.save_step(current_loket(), session.get(DRAFT_KEY), step_id, request.form,
                                     uploads_for(list(request.files)), request.form.getlist("verwijder"),
                                     current_lang())
    except UnknownStep:
        abort(404)
    page = saved.page
    if page.draft is not None:
        session[DRAFT_KEY] = page.draft.key
    shown = shown_values(page.draft.data if page.draft else {}, saved.errors, page.form)
    if saved.removed:  # stay on the step, so the person sees which files are left
        return _render_step(page, shown, saved.errors)
    action = request.form.get("actie", "volgende")
    if action == "opslaan":
        return redirect(url_for("public.save"))
    if action == "vorige":
        return redirect(url_for("public.step", step_id=page.form.previous_step(step_id) or step_id))
    if saved.errors:
        return _render_step(page, shown, saved.errors)
    following = page.form.next_step(step_id)
    return redirect(url_for("public.step", step_id=following) if following else url_for("public.summary"))


def _summary(summary: form_steps.SummaryPage, status: int = 200) -> tuple[str, int]:
    form, lang, draft = summary.form, current_lang(), summary.draft
    steps = {item.id: item.title(lang) for item in form.steps}
    files = {form.fields[name].label(lang): step for step in form.step_ids()
             for name in form.file_fields(step)}
    rows = [row for row in summary_rows(form, draft.data, lang) if row[1] not in files]
    where = {name: step_id for step_id in form.step_ids() for name in form.field_names(step_id)}
    problems = [(error.message, url_for("public.step", step_id=where.get(error.field, form.step_ids()[0]))
                 + f"#veld-{error.field}") for error in summary.errors]
    return render_template("public/form_summary.html", form=form, steps=steps, rows=rows, problems=problems,
                           files=files, documents=draft.documents, next_steps=summary.next_steps), status


@bp.get("/aanmelden/controleren")
def summary() -> Response | tuple[str, int]:
    found = form_steps.summary_page(current_loket(), session.get(DRAFT_KEY), current_lang())
    if found is None:
        return redirect(url_for("public.start"))
    return _summary(found)


@bp.post("/aanmelden/versturen")
@limiter.limit(_setting("START_FORM_SENDS_PER_DRAFT"), key_func=_one_initiative)
@limiter.limit(_setting("START_FORM_SENDS_PER_ADDRESS"))
def submit() -> Response | str | tuple[str, int]:
    if honeypot_filled():
        return render_template("public/neutral.html")
    loket, key, lang = current_loket(), session.get(DRAFT_KEY), current_lang()
    try:
        info = form_steps.send(loket, key, lang)
    except SubmissionRejected as rejected:
        found = form_steps.summary_page(loket, key, lang, rejected.errors)
        return redirect(url_for("public.start")) if found is None else _summary(found, 400)
    except AlreadySubmitting:
        return render_template("public/submit_failed.html", busy=True), 409
    except SubmissionFailed:
        return render_template("public/submit_failed.html", busy=False), 503
    if info is None:
        return redirect(url_for("public.confirmation") if session.get(SENT_KEY) else url_for("public.start"))
    session.pop(DRAFT_KEY, None)
    session[SENT_KEY] = {"case_ref": info.case_ref, "email": info.data.get("email")}
    return redirect(url_for("public.confirmation"))


@bp.get("/aanmelden/ontvangen")
def confirmation() -> Response | str:
    sent = session.get(SENT_KEY)
    if not isinstance(sent, dict) or not sent.get("case_ref"):
        return redirect(url_for("site.home"))
    return render_template("public/confirmation.html", case_ref=sent["case_ref"], email=sent.get("email"),
                           next_steps=form_steps.what_happens_next(current_loket()))


@bp.get("/aanmelden/opslaan")
def save() -> Response | str:
    exists, email = form_steps.draft_email(current_loket(), session.get(DRAFT_KEY))
    if not exists:
        return redirect(url_for("public.start"))
    values = {"email": email} if email else {}
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
    try:
        sent = form_steps.send_resume_link(current_loket(), session.get(DRAFT_KEY), values["email"],
                                           lambda token: public_link("public.resume", token=token), lang)
    except MailNotSent:
        return render_template("public/mail_failed.html"), 503
    if not sent:
        return redirect(url_for("public.start"))
    return render_template("public/form_saved.html", email=values["email"])


@bp.get("/aanmelden/verder/<token>")
def resume(token: str) -> Response | tuple[str, int]:
    resumed = form_steps.resume(current_loket(), token, current_lang())
    if resumed is None:
        return render_template("public/link_invalid.html", kind="concept"), 410
    session[DRAFT_KEY] = resumed.draft_key
    return redirect(url_for("public.summary") if resumed.complete else url_for("public.start"))
