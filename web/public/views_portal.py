"""Login by e-mail link, and "Mijn initiatieven": status, history, what is asked of the
initiator (answered right there), messages and documents."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from forms import FieldError, clean
from processes import portal, portal_login
from processes.documents import MAX_FILES
from processes.errors import (
    EngineError,
    InvalidTaskData,
    MailNotSent,
    MessageNotExpected,
    NotFound,
    TaskAlreadyCompleted,
)
from processes.messages import MessageRejected
from web import current_loket
from web.extensions import limiter
from web.formview import field_views
from web.i18n import current_lang, safe_next
from web.i18n import gettext as _
from web.public import bp
from web.public.auth import current_initiator, initiator_required, log_in_with_link, log_out
from web.public.casepage import render_case
from web.public.formdefs import LOGIN_FORM, MESSAGE_FORM
from web.public.formhelp import check_uploads, honeypot_filled, shown_values, uploads_for
from web.public.links import public_link

HOME = "public.my_initiatives"


def _login_page(values: dict[str, Any], errors: list[FieldError], status: int = 200) -> tuple[str, int]:
    fields = field_views(LOGIN_FORM, step=None, values=shown_values(values, errors, LOGIN_FORM), errors=errors,
                         lang=current_lang())
    return render_template("public/login.html", fields=fields, next=safe_next(request.values.get("next"), "")), status


@bp.get("/inloggen")
def login() -> Response | tuple[str, int]:
    if current_initiator():
        return redirect(url_for(HOME))
    return _login_page({}, [])


@bp.post("/inloggen")
@limiter.limit("5/minute")
def request_login_link() -> Response | str | tuple[str, int]:
    if honeypot_filled():
        return render_template("public/login_sent.html")
    lang = current_lang()
    values, errors = clean(LOGIN_FORM, request.form, lang=lang)
    if errors:
        return _login_page(values, errors, 400)
    next_path = safe_next(request.form.get("next"), "") or None
    try:
        portal_login.request_login_link(current_loket(), values["email"], next_path=next_path, lang=lang,
                                        link=lambda token: public_link("public.confirm_login", token=token))
    except MailNotSent:
        return render_template("public/mail_failed.html"), 503
    # The same answer whether or not the address is known: nobody learns who uses the loket.
    return render_template("public/login_sent.html")


@bp.get("/inloggen/<token>")
def confirm_login(token: str) -> str | tuple[str, int]:
    if not portal_login.login_link_valid(current_loket(), token):
        return render_template("public/link_invalid.html", kind="login"), 410
    return render_template("public/login_confirm.html", token=token)


@bp.post("/inloggen/<token>")
@limiter.limit("20/minute")
def use_login_link(token: str) -> Response | tuple[str, int]:
    login_as = log_in_with_link(token)
    if login_as is None:
        return render_template("public/link_invalid.html", kind="login"), 410
    return redirect(safe_next(login_as.next_path, url_for(HOME)))


@bp.post("/uitloggen")
def logout() -> Response:
    log_out()
    flash(_("U bent uitgelogd."))
    return redirect(url_for("site.home"))


@bp.get("/mijn-initiatieven")
@initiator_required
def my_initiatives() -> str:
    rows = portal.my_cases(current_loket(), str(current_initiator()))
    return render_template("public/my_list.html", cases=[row.case for row in rows],
                           action_counts={row.case.id: row.actions for row in rows})


@bp.get("/mijn-initiatieven/<case_ref>")
@initiator_required
def case_page(case_ref: str) -> str:
    return render_case(case_ref)


@bp.post("/mijn-initiatieven/<case_ref>/actie/<kind>/<key>")
@limiter.limit("20/minute")
@initiator_required
def answer(case_ref: str, kind: str, key: str) -> Response | str | tuple[str, int]:
    email, lang, loket = str(current_initiator()), current_lang(), current_loket()
    try:
        action = portal.action_to_answer(loket, email, case_ref, kind, key)
    except portal.AlreadyAnswered:
        flash(_("Dit was al beantwoord of is niet meer nodig. Hieronder ziet u hoe het nu staat."))
        return redirect(url_for("public.case_page", case_ref=case_ref))
    form = loket.case_form(action.instance_id, action.form_id)
    values, errors = clean(form, request.form, lang=lang)
    uploads = uploads_for(form.file_fields())
    errors += check_uploads(uploads, lang, MAX_FILES)
    if errors:
        return render_case(case_ref, answer_errors={action.key: (shown_values(values, errors, form), errors)}), 400
    try:
        portal.answer(loket, email, case_ref, action, values, uploads)
    except InvalidTaskData as invalid:
        return render_case(case_ref, answer_errors={action.key: (values, list(invalid.errors))}), 400
    except (MessageNotExpected, TaskAlreadyCompleted, NotFound):
        flash(_("Dit was al beantwoord of is niet meer nodig. Hieronder ziet u hoe het nu staat."))
        return redirect(url_for("public.case_page", case_ref=case_ref))
    except EngineError:
        return render_template("public/submit_failed.html", busy=False), 503
    flash(_("Dank u wel. We hebben uw antwoord ontvangen."))
    return redirect(url_for("public.case_page", case_ref=case_ref))


@bp.post("/mijn-initiatieven/<case_ref>/bericht")
@limiter.limit("20/minute")
@initiator_required
def send_message(case_ref: str) -> Response | str | tuple[str, int]:
    email, lang = str(current_initiator()), current_lang()
    values, errors = clean(MESSAGE_FORM, request.form, lang=lang)
    if not errors:
        try:
            portal.send_message(current_loket(), email, case_ref, str(values["bericht"]))
        except MessageRejected as rejected:
            errors = [FieldError("bericht", str(rejected))]
    if errors:
        return render_case(case_ref, message_errors=(shown_values(values, errors, MESSAGE_FORM), errors)), 400
    flash(_("Uw bericht is verstuurd."))
    return redirect(url_for("public.case_page", case_ref=case_ref) + "#berichten")


@bp.get("/mijn-initiatieven/<case_ref>/document/<public_id>")
@initiator_required
def download(case_ref: str, public_id: str) -> Response:
    found = portal.document(current_loket(), str(current_initiator()), case_ref, public_id)
    response = send_file(BytesIO(found.content), mimetype=found.content_type, as_attachment=True,
                         download_name=found.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
