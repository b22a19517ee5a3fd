"""The beheerder's organisation forms (issue 3): district names, teams and their team lead, guides
(add, change), yearly district budgets and the fund. Each form is on the beheer page of its subject
(:mod:`web.staff.orgpages`; a team's or guide's on its own page) and comes back to it; after a
change the browser goes to the subject's page.

A form with problems brings its page back (HTTP 400) with the posted values and a message at each
wrong field, listed in the error summary at the top; nothing is stored. After a change the page
says what was saved. Every change is in the organisation audit (Beheer, Wijzigingen).
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
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
from web.staff.orgforms import NEW_BUDGETS, NEW_DISTRICT, NEW_FUND, NEW_GUIDE, NEW_TEAM, Failed
from web.staff.orgpages import guide_page, subject_page, team_page

MAX_INPUT = 1000
DISTRICTS, TEAMS, GUIDES = "staff.admin_districts", "staff.admin_teams", "staff.admin_guides"
BUDGETS, FUNDS = "staff.admin_budgets", "staff.admin_funds"


def _posted() -> MultiDict[str, str]:
    """The posted fields, each cut to a sane length (the CSRF token left out)."""
    return MultiDict([(key, value[:MAX_INPUT]) for key, value in request.form.items(multi=True)
                      if key != "csrf_token"])


def _failed(endpoint: str, key: str, posted: MultiDict[str, str], exc: OrganisationInvalid) -> tuple[str, int]:
    return subject_page(endpoint, Failed(key, posted, exc.problems))


def _saved(message: str, endpoint: str) -> Response:
    flash(message)
    return redirect(url_for(endpoint))


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
        return _failed(DISTRICTS, NEW_DISTRICT, posted, exc)
    return _saved(_("De wijk %(name)s is toegevoegd, met een regiegroep en een budget voor dit jaar.", name=name),
                  DISTRICTS)


@bp.post("/beheer/teams/nieuw")
@requires(ADMIN_ROLES)
def admin_team_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = districts_teams.create_team(loket(), principal(), posted.get("code"), posted.get("naam"),
                                           posted.get("teamleider")).name
    except OrganisationInvalid as exc:
        return _failed(TEAMS, NEW_TEAM, posted, exc)
    return _saved(_("Het team %(name)s is toegevoegd.", name=name), TEAMS)


@bp.post("/beheer/wijken/<code>")
@requires(ADMIN_ROLES)
def admin_district(code: str) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = districts_teams.update_district(loket(), principal(), code, posted.get("naam"),
                                               posted.get("naam_en", ""), _yes(posted, "actief")).name
    except OrganisationInvalid as exc:
        return _failed(DISTRICTS, f"wijk-{code}", posted, exc)
    return _saved(_("De naam van de wijk is opgeslagen: %(name)s.", name=name), DISTRICTS)


@bp.route("/beheer/teams/<code>", methods=["GET", "POST"])
@requires(ADMIN_ROLES)
def admin_team(code: str) -> tuple[str, int] | Response:
    if request.method == "GET":
        return team_page(code)
    posted = _posted()
    try:
        name = districts_teams.update_team(loket(), principal(), code, posted.get("naam"), posted.get("teamleider"),
                                           _yes(posted, "actief"), posted.get("meldingen"),
                                           posted.get("meldingen_email")).name
    except OrganisationInvalid as exc:
        return team_page(code, Failed(f"team-{code}", posted, exc.problems))
    return _saved(_("De gegevens van %(name)s zijn opgeslagen.", name=name), TEAMS)


@bp.post("/beheer/begeleiders/nieuw")
@requires(ADMIN_ROLES)
def admin_guide_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        name = service.create_guide(loket(), principal(),
                                    service.GuideForm.of(posted, posted.getlist("kennis"))).name
    except OrganisationInvalid as exc:
        return _failed(GUIDES, NEW_GUIDE, posted, exc)
    return _saved(_("%(name)s is toegevoegd als begeleider.", name=name), GUIDES)


@bp.route(f"/beheer/begeleiders/<{ID}:guide_id>", methods=["GET", "POST"])
@requires(ADMIN_ROLES)
def admin_guide(guide_id: int) -> tuple[str, int] | Response:
    """The guide's page and its form in one route: with a GET route beside it, an id no column can
    hold was a 405 for a POST instead of a 404."""
    if request.method == "GET":
        return guide_page(guide_id)
    posted = _posted()
    try:
        name = service.update_guide(loket(), principal(), guide_id,
                                    service.GuideForm.of(posted, posted.getlist("kennis"))).name
    except OrganisationInvalid as exc:
        return guide_page(guide_id, Failed(f"begeleider-{guide_id}", posted, exc.problems))
    return _saved(_("De gegevens van %(name)s zijn opgeslagen.", name=name), GUIDES)


@bp.post("/beheer/budgetten/nieuw")
@requires(ADMIN_ROLES)
def admin_budgets_create() -> tuple[str, int] | Response:
    posted = _posted()
    amounts = {key.removeprefix("bedrag-"): value for key, value in posted.items() if key.startswith("bedrag-")}
    try:
        year = service.create_budgets(loket(), principal(), posted.get("jaar"), amounts)[0].year
    except OrganisationInvalid as exc:
        return _failed(BUDGETS, NEW_BUDGETS, posted, exc)
    return _saved(_("De budgetten voor %(year)d zijn toegevoegd.", year=year), BUDGETS)


@bp.post(f"/beheer/budgetten/<{ID}:budget_id>")
@requires(ADMIN_ROLES)
def admin_budget(budget_id: int) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        service.update_budget(loket(), principal(), budget_id, posted.get("bedrag"))
    except OrganisationInvalid as exc:
        return _failed(BUDGETS, f"budget-{budget_id}", posted, exc)
    return _saved(_("Het budget is opgeslagen."), BUDGETS)


@bp.post("/beheer/fonds/nieuw")
@requires(ADMIN_ROLES)
def admin_fund_create() -> tuple[str, int] | Response:
    posted = _posted()
    try:
        year = service.create_fund(loket(), principal(), posted.get("jaar"), posted.get("totaal")).year
    except OrganisationInvalid as exc:
        return _failed(FUNDS, NEW_FUND, posted, exc)
    return _saved(_("Het Initiatievenfonds voor %(year)d is toegevoegd.", year=year), FUNDS)


@bp.post(f"/beheer/fonds/<{ID}:fund_id>")
@requires(ADMIN_ROLES)
def admin_fund(fund_id: int) -> tuple[str, int] | Response:
    posted = _posted()
    try:
        service.update_fund(loket(), principal(), fund_id, posted.get("totaal"))
    except OrganisationInvalid as exc:
        return _failed(FUNDS, f"fonds-{fund_id}", posted, exc)
    return _saved(_("Het fonds is opgeslagen."), FUNDS)
