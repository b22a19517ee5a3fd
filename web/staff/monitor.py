"""The monitoring dashboard (``/medewerker/monitor``): for the procesbeheerder and the beheerder
every figure of the pilot, for a team lead the open work and the steps of their team. Filters
for period, category and district in a GET form (works without JavaScript); each chart with its
figures as a table. The exports and the report are in :mod:`web.staff.monitor_exports`."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from flask import abort, get_template_attribute, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from processes.errors import AccessDenied
from processes.monitoring import Dashboard, Filters, Scope, dashboard, scope_of
from processes.vocabulary import CATEGORIES
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import category_names, channel_labels, loket
from web.staff.monitor_charts import Chart, counted, number, percent

YEARS = (2000, 2100)
bp.add_app_template_global(number, "monitor_number")
bp.add_app_template_global(percent, "monitor_percent")


@bp.app_template_global("monitor_chart")
def chart_section(chart: Chart) -> Markup:
    """A chart with its table as HTML (the ``chart`` macro), kept per language and figures: the
    same figures in the same language give the same HTML, so this is safe by construction, and
    most views show the figures the view before showed."""
    title, labels, series, horizontal, stacked, unit = chart.figures()
    return _section(str(get_locale()), chart.key, title, labels, series, horizontal, stacked, unit)


@lru_cache(maxsize=256)
def _section(_lang: str, key: str, title: str, labels: tuple[str, ...],
             series: tuple[tuple[str, tuple[float | None, ...]], ...], horizontal: bool, stacked: bool,
             unit: str) -> Markup:
    chart = Chart(key, title, list(labels), [(name, list(values)) for name, values in series], horizontal, stacked,
                  unit)
    return Markup(get_template_attribute("staff/_monitor_figures.html", "chart")(chart))  # noqa: S704 - a template's output


def kind_labels() -> dict[str, str]:
    return {"inwoner": _("Inwoner"), "bedrijf": _("Bedrijf"),
            "maatschappelijke_organisatie": _("Maatschappelijke organisatie"), "overheid": _("Andere overheid"),
            "onbekend": _("Onbekend")}


def read_filters(args: Any) -> tuple[Filters, list[str]]:
    """The filters of a request, and what was wrong with them (then left out, never a 500)."""
    problems: list[str] = []
    days: dict[str, date | None] = {}
    for name in ("van", "tot"):
        text = str(args.get(name, ""))[:10].strip()
        days[name] = None
        if text:
            try:
                days[name] = date.fromisoformat(text)
            except ValueError:
                problems.append(_("Vul een geldige datum in, bijvoorbeeld 2026-01-31."))
                continue
            if not YEARS[0] <= (days[name] or date.min).year <= YEARS[1]:
                days[name] = None
                problems.append(_("Kies een datum tussen 2000 en 2100."))
    if days["van"] and days["tot"] and days["van"] > days["tot"]:
        problems.append(_("De begindatum ligt na de einddatum. Kies een begindatum die eerder is."))
        days["van"], days["tot"] = days["tot"], days["van"]
    category = str(args.get("categorie", ""))[:40] or None
    if category is not None and category not in CATEGORIES:
        problems.append(_("Deze categorie bestaat niet. Kies een categorie uit de lijst."))
        category = None
    district = str(args.get("wijk", ""))[:40] or None
    return Filters(days["van"], days["tot"], category, district), problems


def _steps_chart(found: Dashboard) -> Chart:
    rows = [row for row in sorted(found.steps.values(), key=lambda row: row.key) if row.norm is not None]
    return Chart("norm-stappen", _("Binnen de servicenorm per stap (%)"), [row.name for row in rows],
                 [(_("Binnen de norm"), [round(100 * (row.within_norm_share or 0.0), 1) for row in rows])], unit="%")


def _lead_chart(found: Dashboard) -> Chart:
    rows = sorted(found.steps.values(), key=lambda row: row.key)
    return Chart("doorlooptijd-stappen", _("Doorlooptijd per stap (werkdagen)"), [row.name for row in rows],
                 [(_("Middelste waarde"), [row.median for row in rows]),
                  (_("80 van de 100 binnen"), [row.p80 for row in rows])])


def _case_chart(found: Dashboard) -> Chart:
    names = category_names()
    rows = sorted(found.cases.values(), key=lambda row: row.key)
    return Chart("doorlooptijd-categorie", _("Doorlooptijd van begin tot besluit per categorie (werkdagen)"),
                 [names.get(row.key, row.key) for row in rows],
                 [(_("Middelste waarde"), [row.median for row in rows]),
                  (_("80 van de 100 binnen"), [row.p80 for row in rows])])


def _work_chart(found: Dashboard) -> Chart:
    teams = [found.team_names.get(row.team, row.team) for row in found.work]
    return Chart("open-werk", _("Open taken per team"), teams,
                 [(_("Open"), [float(row.open) for row in found.work]),
                  (_("Te laat"), [float(row.overdue) for row in found.work])])


def _budget_chart(found: Dashboard) -> Chart:
    labels = [(_("Initiatievenfonds") if row.pot == "fonds" else found.district_names.get(row.pot, row.pot))
              + f" {row.year}" for row in found.budgets]
    return Chart("budgetten", _("Budgetten in euro"), labels,
                 [(_("Toegekend"), [float(row.granted) for row in found.budgets]),
                  (_("Gereserveerd"), [float(row.reserved) for row in found.budgets]),
                  (_("Over"), [float(row.remaining) for row in found.budgets])], stacked=True)


def charts(found: Dashboard) -> list[Chart]:
    """The charts of the dashboard (and of the report), in the order of the page."""
    made = [_steps_chart(found), _lead_chart(found), _work_chart(found)]
    if not found.scope.everything:
        return made
    volumes = found.volumes
    count = _("Initiatieven")
    return [
        counted("per-maand", _("Initiatieven per maand"), volumes.per_month, {}, count, horizontal=False),
        counted("per-categorie", _("Initiatieven per categorie"), volumes.per_category, category_names(), count),
        counted("per-wijk", _("Initiatieven per wijk"), volumes.per_district, found.district_names, count),
        counted("per-soort", _("Initiatieven per soort initiatiefnemer"), volumes.per_kind, kind_labels(), count),
        counted("per-kanaal", _("Initiatieven per kanaal"), volumes.per_channel, channel_labels(), count),
        *made, _case_chart(found),
        counted("tevredenheid", _("Antwoorden per score (1 = heel ontevreden, 5 = heel tevreden)"),
                {str(k): v for k, v in sorted(found.satisfaction.scores.items())}, {}, _("Antwoorden"),
                horizontal=False),
        _budget_chart(found),
    ]


def monitor_context(found: Dashboard, problems: list[str]) -> dict[str, Any]:
    return {"found": found, "charts": charts(found), "problems": problems, "filters": found.filters,
            "categories": category_names(), "kinds": kind_labels()}


def viewer_scope() -> Scope:
    try:
        return scope_of(loket(), principal())
    except AccessDenied:
        abort(403)


@bp.get("/monitor")
@requires(None)
def monitor() -> str:
    scope = viewer_scope()
    filters, problems = read_filters(request.args)
    found = dashboard(loket(), filters, scope)
    return render_template("staff/monitor.html", **monitor_context(found, problems))
