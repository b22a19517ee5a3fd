"""The beheerder's organisation data (issue 3): district names, teams and their team lead, guides
(add, change), yearly district budgets and the fund, the accounts list and the KCC access log, on
one page with a small form per item.

A form with problems brings the whole page back (HTTP 400) with the posted values and a message
at each wrong field, listed in the error summary at the top; nothing is stored. After a change
the page says what was saved. Every change is in the organisation audit at the bottom.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from processes import districts_teams
from processes import organisation as service
from processes.access import ADMIN_ROLES
from processes.errors import OrganisationInvalid
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import ID, loket
from web.staff.orgaudit import audit_lines
from web.staff.orgforms import (
    NEW_BUDGETS,
    NEW_DISTRICT,
    NEW_FUND,
    NEW_GUIDE,
    NEW_TEAM,
    Builder,
    Failed,
    admin_forms,
)
from web.staff.wording import words

MAX_INPUT = 1000


def _posted() -> MultiDict[str, str]:
    """The posted fields, each cut to a sane length (the CSRF token left out)."""
    return MultiDict([(key, value[:MAX_INPUT]) for key, value in request.form.items(multi=True)
                      if key != "csrf_token"])


def _page(failed: Failed | None = None) -> tuple[str, int]:
    lookup = words()
    data = service.organisation_data(loket())
    forms = admin_forms(Builder(lookup, failed), districts=data.districts, teams=data.teams, guides=data.guides,
                        years=data.years)
    return render_template("staff/admin.html", forms=forms, problems=forms.problems, users=data.users,
                           log=data.kcc_log, history=audit_lines(lookup, data.history)), 400 if failed else 200


def _saved(message: str, anchor: str) -> Response:
    flash(message)
    return redirect(url_for("staff.admin") + f"#{anchor}")


@bp.get("/beheer")
@requires(ADMIN_ROLES)
def admin() -> tuple[str, int]:
    return _page()


def _yes(posted: MultiDict[str, str], name: str) -> bool | None:
    """A Ja/Nee answer (``on``/``uit``); None when the form did not ask it."""
    return posted[name] == "on" if name in posted else None


@bp.post("/beheer/wijken/nieuw")
@requires(ADMIN_ROLES)
def admin_district_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = districts_teams.create_district(loket(), principal(), posted.get("code"), posted.get("naam"),
                                               posted.get("naam_en"), posted.get("bedrag")).name
    except OrganisationInvalid as exc:
        return _page(Failed(NEW_DISTRICT, posted, exc.problems))
    return _saved(_("De wijk %(name)s is toegevoegd, met een regiegroep en een budget voor dit jaar.", name=name),
                  "wijken")


@bp.post("/beheer/teams/nieuw")
@requires(ADMIN_ROLES)
def admin_team_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = districts_teams.create_team(loket(), principal(), posted.get("code"), posted.get("naam"),
                                           posted.get("teamleider")).name
    except OrganisationInvalid as exc:
        return _page(Failed(NEW_TEAM, posted, exc.problems))
    return _saved(_("Het team %(name)s is toegevoegd.", name=name), "teams")


@bp.post("/beheer/wijken/<code>")
@requires(ADMIN_ROLES)
def admin_district(code: str) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = districts_teams.update_district(loket(), principal(), code, posted.get("naam"),
                                               posted.get("naam_en", ""), _yes(posted, "actief")).name
    except OrganisationInvalid as exc:
        return _page(Failed(f"wijk-{code}", posted, exc.problems))
    return _saved(_("De naam van de wijk is opgeslagen: %(name)s.", name=name), "wijken")


@bp.post("/beheer/teams/<code>")
@requires(ADMIN_ROLES)
def admin_team(code: str) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = districts_teams.update_team(loket(), principal(), code, posted.get("naam"), posted.get("teamleider"),
                                           _yes(posted, "actief"), posted.get("meldingen"),
                                           posted.get("meldingen_email")).name
    except OrganisationInvalid as exc:
        return _page(Failed(f"team-{code}", posted, exc.problems))
    return _saved(_("De gegevens van %(name)s zijn opgeslagen.", name=name), "teams")


@bp.post("/beheer/begeleiders/nieuw")
@requires(ADMIN_ROLES)
def admin_guide_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = service.create_guide(loket(), principal(),
                                    service.GuideForm.of(posted, posted.getlist("kennis"))).name
    except OrganisationInvalid as exc:
        return _page(Failed(NEW_GUIDE, posted, exc.problems))
    return _saved(_("%(name)s is toegevoegd als begeleider.", name=name), "begeleiders")


@bp.post(f"/beheer/begeleiders/<{ID}:guide_id>")
@requires(ADMIN_ROLES)
def admin_guide(guide_id: int) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = service.update_guide(loket(), principal(), guide_id,
                                    service.GuideForm.of(posted, posted.getlist("kennis"))).name
    except OrganisationInvalid as exc:
        return _page(Failed(f"begeleider-{guide_id}", posted, exc.problems))
    return _saved(_("De gegevens van %(name)s zijn opgeslagen.", name=name), "begeleiders")


@bp.post("/beheer/budgetten/nieuw")
@requires(ADMIN_ROLES)
def admin_budgets_create() -> tuple[str, int] | Response:
    posted = _posted()
    amounts = {key.removeprefix("bedrag-"): value for key, value in posted.items() if key.startswith("bedrag-")}
    try:
        year = service.create_budgets(loket(), principal(), posted.get("jaar"), amounts)[0].year
    except OrganisationInvalid as exc:
        return _page(Failed(NEW_BUDGETS, posted, exc.problems))
    return _saved(_("De budgetten voor %(year)d zijn toegevoegd.", year=year), "budgetten")


@bp.post(f"/beheer/budgetten/<{ID}:budget_id>")
@requires(ADMIN_ROLES)
def admin_budget(budget_id: int) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        service.update_budget(loket(), principal(), budget_id, posted.get("bedrag"))
    except OrganisationInvalid as exc:
        return _page(Failed(f"budget-{budget_id}", posted, exc.problems))
    return _saved(_("Het budget is opgeslagen."), "budgetten")


@bp.post("/beheer/fonds/nieuw")
@requires(ADMIN_ROLES)
def admin_fund_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        year = service.create_fund(loket(), principal(), posted.get("jaar"), posted.get("totaal")).year
    except OrganisationInvalid as exc:
        return _page(Failed(NEW_FUND, posted, exc.problems))
    return _saved(_("Het Initiatievenfonds voor %(year)d is toegevoegd.", year=year), "budgetten")


@bp.post(f"/beheer/fonds/<{ID}:fund_id>")
@requires(ADMIN_ROLES)
def admin_fund(fund_id: int) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        service.update_fund(loket(), principal(), fund_id, posted.get("totaal"))
    except OrganisationInvalid as exc:
        return _page(Failed(f"fonds-{fund_id}", posted, exc.problems))
    return _saved(_("Het fonds is opgeslagen."), "budgetten")
