"""Privacy (AVG) in the workspace: the access log for the privacyfunctionaris (a page with
filters and paging, and a CSV download) and the beheerder's retention policy per category."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from processes import access_log, log_retention, retention
from processes.access import ADMIN_ROLES, PRIVACY_ROLES
from processes.errors import OrganisationInvalid
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import category_names, file_response, loket


def filter_problem_texts() -> dict[str, str]:
    return {"reference_invalid": _("Vul een nummer in zoals INI-2025-000001."),
            "date_invalid": _("Vul een datum in zoals 31-12-2025."),
            "period_reversed": _("De einddatum ligt voor de begindatum.")}


@bp.get("/privacy/inzagelog")
@requires(PRIVACY_ROLES)
def access_log_page() -> str:
    flt, problems = access_log.LogFilter.of(request.args)
    found = access_log.log_page(loket(), flt)
    texts = filter_problem_texts()
    return render_template("staff/access_log.html", flt=flt, found=found,
                           log_months=log_retention.current_term(loket()).months,
                           problems=[texts.get(code, code) for code in problems.values()])


@bp.get("/privacy/inzagelog.csv")
@requires(PRIVACY_ROLES)
def access_log_csv() -> Response:
    flt, _problems = access_log.LogFilter.of(request.args)
    return file_response(access_log.log_csv(loket(), flt), "text/csv; charset=utf-8", download_name="inzagelog.csv")


def retention_problem_texts() -> dict[str, str]:
    return {"months_missing": _("Vul een aantal maanden in."),
            "log_months_out_of_range": _("Kies minstens %(least)d en hoogstens %(most)d maanden.",
                                         least=log_retention.MIN_MONTHS, most=log_retention.MAX_MONTHS),
            "months_invalid": _("Vul een heel aantal maanden in, bijvoorbeeld 24."),
            "months_out_of_range": _("Kies minstens 1 en hoogstens 120 maanden."),
            "attachments_after_anonymise": _("De bijlagen kunnen niet langer blijven dan de persoonsgegevens: bij "
                                             "het verwijderen van de persoonsgegevens gaan de bijlagen ook weg.")}


def _retention_page(failed: str | None = None, posted: dict[str, str] | None = None,
                    problems: dict[str, str] | None = None) -> tuple[str, int]:
    texts = retention_problem_texts()
    return render_template(
        "staff/retention.html", policies=retention.current_policies(loket()), names=category_names(),
        log_term=log_retention.current_term(loket()), log_limits=(log_retention.MIN_MONTHS, log_retention.MAX_MONTHS),
        history=retention.policy_history(loket()), failed=failed, posted=posted or {},
        problems={field: texts.get(code, code) for field, code in (problems or {}).items()},
    ), 400 if failed else 200


@bp.get("/beheer/bewaartermijnen")
@requires(ADMIN_ROLES)
def admin_retention() -> tuple[str, int]:
    return _retention_page()


@bp.post("/beheer/bewaartermijnen/<category>")
@requires(ADMIN_ROLES)
def admin_retention_post(category: str) -> tuple[str, int] | Response:
    posted = {key: request.form.get(key, "")[:20] for key in ("anonimiseren", "bijlagen")}
    try:
        policy = retention.update_policy(loket(), principal(), category, posted["anonimiseren"], posted["bijlagen"])
    except OrganisationInvalid as exc:
        return _retention_page(category, posted, exc.problems)
    flash(_("De bewaartermijnen voor %(category)s zijn opgeslagen.",
            category=category_names().get(policy.category, policy.category)))
    return redirect(url_for("staff.admin_retention"))


@bp.post("/beheer/bewaartermijnen-inzagelog")
@requires(ADMIN_ROLES)
def admin_log_retention_post() -> tuple[str, int] | Response:
    posted = {log_retention.NAME: request.form.get(log_retention.NAME, "")[:20]}
    try:
        found = log_retention.update_term(loket(), principal(), posted[log_retention.NAME])
    except OrganisationInvalid as exc:
        problems = {field: "log_months_out_of_range" if code == "months_out_of_range" else code
                    for field, code in exc.problems.items()}
        return _retention_page(log_retention.NAME, posted, problems)
    flash(_("De bewaartermijn van het inzagelog is opgeslagen: %(months)d maanden.", months=found.months))
    return redirect(url_for("staff.admin_retention"))
