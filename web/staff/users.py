"""Staff accounts (beheerder only): the list, a new account, and one account's page with its
details, a one-time password, switching it off or on, and what changed when."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import ID, engine, error_page, reason_text
from web.staff.services import staff_audit
from web.staff.services import users as service
from web.staff.services.access import ADMIN_ROLES
from web.staff.services.casefile import team_names
from web.staff.services.errors import AccountInvalid, NotAllowedHere, UnknownAccount
from web.staff.userforms import (
    ACCOUNT_FIELDS,
    account_fields,
    audit_lines,
    field_errors,
    one_time_password_field,
)

MAX_INPUT = 1000


@bp.errorhandler(UnknownAccount)
def unknown_account(_error: UnknownAccount) -> tuple[str, int]:
    return error_page(404, _("Dit account bestaat niet"),
                      _("Er is geen gebruiker met dit nummer. Kies een gebruiker uit de lijst."))


def _posted_form() -> service.AccountForm:
    form = request.form
    return service.AccountForm.of(form.get("naam", "")[:MAX_INPUT], form.get("email", "")[:MAX_INPUT],
                                  form.getlist("rollen"), form.getlist("teams"), form.get("wijk", "")[:MAX_INPUT])


@bp.get("/beheer/gebruikers")
@requires(ADMIN_ROLES)
def admin_users() -> str:
    with engine().db.transaction() as session:
        users = service.users(session)
        history = audit_lines(staff_audit.history(session, limit=20), team_names(session))
        return render_template("staff/users.html", users=users, history=history, teams=team_names(session))


def _new_page(form: service.AccountForm, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    with engine().db.transaction() as session:
        org = service.organisation(session)
    fields = account_fields(form, org, errors, new=True)
    return render_template("staff/user_new.html", fields=fields), status


@bp.get("/beheer/gebruikers/nieuw")
@requires(ADMIN_ROLES)
def admin_user_new() -> tuple[str, int]:
    return _new_page(service.AccountForm(), {})


@bp.post("/beheer/gebruikers/nieuw")
@requires(ADMIN_ROLES)
def admin_user_create() -> tuple[str, int] | Response:
    form = _posted_form()
    password = request.form.get("wachtwoord", "")[:MAX_INPUT]
    try:
        with engine().db.transaction() as session:
            user = service.create_account(session, principal(), form, password)
            user_id, name = user.id, user.name
    except AccountInvalid as exc:
        return _new_page(form, field_errors(exc.problems, ACCOUNT_FIELDS), 400)
    flash(_("Het account van %(name)s is aangemaakt. Geef het tijdelijke wachtwoord persoonlijk of telefonisch "
            "door. Bij de eerste keer inloggen kiest %(name)s zelf een nieuw wachtwoord.", name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))


def _user_page(user_id: int, *, form: service.AccountForm | None = None, errors: dict[str, str] | None = None,
               password_error: str = "", status: int = 200) -> tuple[str, int]:
    errors = errors or {}
    with engine().db.transaction() as session:
        user = service.get_user(session, user_id)
        org = service.organisation(session)
        shown = form or service.form_of(user, org)
        names = team_names(session)
        context: dict[str, Any] = {
            "user": user,
            "fields": account_fields(shown, org, errors, new=False),
            "password_field": one_time_password_field(password_error),
            "is_self": user.id == principal().id,
            "open_tasks": service.open_task_count(session, user),
            "history": audit_lines(staff_audit.history(session, user_id=user.id), names),
            "teams": names,
        }
        return render_template("staff/user.html", **context), status


@bp.get(f"/beheer/gebruikers/<{ID}:user_id>")
@requires(ADMIN_ROLES)
def admin_user(user_id: int) -> tuple[str, int]:
    return _user_page(user_id)


@bp.post(f"/beheer/gebruikers/<{ID}:user_id>")
@requires(ADMIN_ROLES)
def admin_user_update(user_id: int) -> tuple[str, int] | Response:
    form = _posted_form()
    try:
        with engine().db.transaction() as session:
            name = service.update_account(session, principal(), user_id, form).name
    except AccountInvalid as exc:
        return _user_page(user_id, form=form, errors=field_errors(exc.problems, ACCOUNT_FIELDS), status=400)
    flash(_("De gegevens van %(name)s zijn opgeslagen.", name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))


@bp.post(f"/beheer/gebruikers/<{ID}:user_id>/actief")
@requires(ADMIN_ROLES)
def admin_user_active(user_id: int) -> Response:
    active = request.form.get("actief") == "ja"
    try:
        with engine().db.transaction() as session:
            name = service.set_active(session, principal(), user_id, active).name
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("Het account van %(name)s staat weer aan.", name=name) if active else
              _("Het account van %(name)s staat uit. %(name)s kan niet meer inloggen en is overal uitgelogd.",
                name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))


@bp.post(f"/beheer/gebruikers/<{ID}:user_id>/wachtwoord")
@requires(ADMIN_ROLES)
def admin_user_password(user_id: int) -> tuple[str, int] | Response:
    password = request.form.get("wachtwoord", "")[:MAX_INPUT]
    try:
        with engine().db.transaction() as session:
            name = service.reset_password(session, principal(), user_id, password).name
    except AccountInvalid as exc:
        return _user_page(user_id, password_error=field_errors(exc.problems, ACCOUNT_FIELDS).get("wachtwoord", ""),
                          status=400)
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("Het tijdelijke wachtwoord van %(name)s is ingesteld en %(name)s is overal uitgelogd. Geef het "
                "wachtwoord persoonlijk of telefonisch door.", name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))
