"""Staff accounts (beheerder only): the list, a new account, and one account's page with its
details, a one-time password, switching it off or on, and what changed when."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from processes import users as service
from processes.access import ADMIN_ROLES
from processes.errors import AccountInvalid, NotAllowedHere, UnknownAccount
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import ID, error_page, loket, reason_text
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
    page = service.accounts_page(loket())
    return render_template("staff/users.html", users=page.users, history=audit_lines(page.history, page.team_names),
                           teams=page.team_names)


def _new_page(form: service.AccountForm, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    fields = account_fields(form, service.account_choices(loket()), errors, new=True)
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
        user = service.create_account(loket(), principal(), form, password)
        user_id, name = user.id, user.name
    except AccountInvalid as exc:
        return _new_page(form, field_errors(exc.problems, ACCOUNT_FIELDS), 400)
    flash(_("Het account van %(name)s is aangemaakt. Geef het tijdelijke wachtwoord persoonlijk of telefonisch "
            "door. Bij de eerste keer inloggen kiest %(name)s zelf een nieuw wachtwoord.", name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))


def _user_page(user_id: int, *, form: service.AccountForm | None = None, errors: dict[str, str] | None = None,
               password_error: str = "", status: int = 200) -> tuple[str, int]:
    page = service.account_page(loket(), user_id)
    context: dict[str, Any] = {
        "user": page.user,
        "fields": account_fields(form or page.form, page.organisation, errors or {}, new=False),
        "password_field": one_time_password_field(password_error),
        "is_self": page.user.id == principal().id,
        "open_tasks": page.open_tasks,
        "history": audit_lines(page.history, page.team_names),
        "teams": page.team_names,
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
        name = service.update_account(loket(), principal(), user_id, form).name
    except AccountInvalid as exc:
        return _user_page(user_id, form=form, errors=field_errors(exc.problems, ACCOUNT_FIELDS), status=400)
    flash(_("De gegevens van %(name)s zijn opgeslagen.", name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))


@bp.post(f"/beheer/gebruikers/<{ID}:user_id>/actief")
@requires(ADMIN_ROLES)
def admin_user_active(user_id: int) -> Response:
    active = request.form.get("actief") == "ja"
    try:
        name = service.set_active(loket(), principal(), user_id, active).name
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
        name = service.reset_password(loket(), principal(), user_id, password).name
    except AccountInvalid as exc:
        return _user_page(user_id, password_error=field_errors(exc.problems, ACCOUNT_FIELDS).get("wachtwoord", ""),
                          status=400)
    except NotAllowedHere as exc:
        flash(reason_text(exc.code))
    else:
        flash(_("Het tijdelijke wachtwoord van %(name)s is ingesteld en %(name)s is overal uitgelogd. Geef het "
                "wachtwoord persoonlijk of telefonisch door.", name=name))
    return redirect(url_for("staff.admin_user", user_id=user_id))
