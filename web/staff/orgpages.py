"""The beheer pages (issue 16): a short overview at /medewerker/beheer and one page per subject —
districts, teams, guides, district budgets, the fund, the organisation audit and the KCC access log.
Each page reads only its own subject, so it stays quick however large the others grow. Teams and
guides are listed in a table, each with a page of its own for its form: their forms are long.

``subject_page`` also brings a page back after a form with problems (HTTP 400): the form shows
the posted values and a message at each wrong field, listed in the error summary at the top.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template

from processes import organisation as service
from processes.access import ADMIN_ROLES
from web.staff import bp
from web.staff.auth import requires
from web.staff.common import loket
from web.staff.orgaudit import audit_lines
from web.staff.orgforms import (
    Builder,
    Failed,
    OrgForm,
    budget_year_forms,
    district_form,
    fund_form,
    guide_form,
    new_budgets_form,
    new_district_form,
    new_fund_form,
    new_guide_form,
    new_team_form,
    notify_options,
    problems_of,
    team_form,
)
from web.staff.wording import words

Page = tuple[str, int]


def _render(here: str, failed: Failed | None, every: list[OrgForm], /, *, parent: str | None = None,
            **context: object) -> Page:
    """The page of endpoint ``here`` (its template has the endpoint's name), which the sub-navigation
    marks; a team's or guide's own page has its list as ``parent``."""
    page = render_template(f"staff/{here.removeprefix('staff.')}.html", here=here, parent=parent,
                           problems=problems_of(every), **context)
    return page, 400 if failed else 200


def _districts(failed: Failed | None) -> Page:
    b = Builder(words(), failed)
    forms = [district_form(b, district) for district in service.district_list(loket())]
    new = new_district_form(b)
    return _render("staff.admin_districts", failed, [*forms, new], forms=forms, new=new)


def _teams(failed: Failed | None) -> Page:
    new = new_team_form(Builder(words(), failed))
    return _render("staff.admin_teams", failed, [new], teams=service.team_list(loket()), notify=dict(notify_options()),
                   new=new)


def team_page(code: str, failed: Failed | None = None) -> Page:
    """One team's form on a page of its own, so the list of teams stays short however many there are."""
    form = team_form(Builder(words(), failed), service.team_of(loket(), code))
    return _render("staff.admin_team", failed, [form], parent="staff.admin_teams", form=form)


def _guides(failed: Failed | None) -> Page:
    rows = service.guide_list(loket())
    new = new_guide_form(Builder(words(), failed), service.district_list(loket()))
    return _render("staff.admin_guides", failed, [new], guides=rows, new=new)


def guide_page(guide_id: int, failed: Failed | None = None) -> Page:
    row, districts = service.guide_of(loket(), guide_id)
    form = guide_form(Builder(words(), failed), row, districts)
    return _render("staff.admin_guide", failed, [form], parent="staff.admin_guides", form=form)


def _budgets(failed: Failed | None) -> Page:
    b = Builder(words(), failed)
    budget_years, districts = service.budget_list(loket())
    years = budget_year_forms(b, budget_years)
    new = new_budgets_form(b, districts)
    return _render("staff.admin_budgets", failed, [*(form for year in years for form in year.forms), new],
                   years=years, new=new)


def _funds(failed: Failed | None) -> Page:
    b = Builder(words(), failed)
    forms = [fund_form(b, fund) for fund in service.fund_list(loket())]
    new = new_fund_form(b)
    return _render("staff.admin_funds", failed, [*forms, new], forms=forms, new=new)


SUBJECTS: dict[str, Callable[[Failed | None], Page]] = {
    "staff.admin_districts": _districts,
    "staff.admin_teams": _teams,
    "staff.admin_guides": _guides,
    "staff.admin_budgets": _budgets,
    "staff.admin_funds": _funds,
}
"""The page of each subject with forms, by the endpoint that shows it."""


def subject_page(endpoint: str, failed: Failed | None = None) -> Page:
    return SUBJECTS[endpoint](failed)


@bp.get("/beheer")
@requires(ADMIN_ROLES)
def admin() -> str:
    return render_template("staff/admin.html", counts=service.admin_counts(loket()))


@bp.get("/beheer/wijken")
@requires(ADMIN_ROLES)
def admin_districts() -> Page:
    return _districts(None)


@bp.get("/beheer/teams")
@requires(ADMIN_ROLES)
def admin_teams() -> Page:
    return _teams(None)


@bp.get("/beheer/begeleiders")
@requires(ADMIN_ROLES)
def admin_guides() -> Page:
    return _guides(None)


@bp.get("/beheer/budgetten")
@requires(ADMIN_ROLES)
def admin_budgets() -> Page:
    return _budgets(None)


@bp.get("/beheer/fonds")
@requires(ADMIN_ROLES)
def admin_funds() -> Page:
    return _funds(None)


@bp.get("/beheer/wijzigingen")
@requires(ADMIN_ROLES)
def admin_history() -> Page:
    return _render("staff.admin_history", None, [], history=audit_lines(words(), service.organisation_changes(loket())))


@bp.get("/beheer/inzage-kcc")
@requires(ADMIN_ROLES)
def admin_kcc_log() -> Page:
    return _render("staff.admin_kcc_log", None, [], log=service.kcc_access_log(loket()))
