"""The evaluation report: the dashboard's figures and charts as one HTML page and as PDF (made by
WeasyPrint), ready to send to the Staten or the council; downloaded from the dashboard and made
by ``loket report`` for scheduled runs (with the CSV and XLSX exports)."""

from __future__ import annotations

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from processes import clock
from processes.loket import Loket
from processes.monitoring import Filters, Scope, dashboard
from processes.monitoring.exports import export, workbook
from web.i18n import current_lang
from web.staff import bp
from web.staff.auth import requires
from web.staff.common import LOCAL, category_names, file_response, loket
from web.staff.monitor import charts, read_filters, viewer_scope

REPORT_FORMATS = ("html", "pdf")
FORMATS = ("csv", "xlsx", "html", "pdf")
MIMETYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def report_html(app_loket: Loket, filters: Filters) -> str:
    found = dashboard(app_loket, filters, Scope())
    return render_template("staff/report.html", found=found, charts=charts(found), filters=filters,
                           categories=category_names(), lang=current_lang(),
                           made=clock.now().astimezone(LOCAL).strftime("%d-%m-%Y %H:%M"))


def report_pdf(html: str) -> bytes:
    from weasyprint import HTML  # loaded only when a PDF is made (it needs Pango on the machine)

    return bytes(HTML(string=html).write_pdf())


def report(app_loket: Loket, fmt: str, filters: Filters) -> bytes:
    """The report or export in ``fmt`` (csv: the initiatives; xlsx: initiatives and steps)."""
    if fmt == "csv":
        return export(app_loket, "initiatieven", "csv", filters)
    if fmt == "xlsx":
        return workbook(app_loket, filters)
    html = report_html(app_loket, filters)
    return html.encode("utf-8") if fmt == "html" else report_pdf(html)


@bp.get("/monitor/rapport.<fmt>")
@requires(None)
def monitor_report(fmt: str) -> Response:
    if not viewer_scope().everything:
        abort(403)
    if fmt not in REPORT_FORMATS:
        abort(404)
    filters, _problems = read_filters(request.args)
    return file_response(report(loket(), fmt, filters), MIMETYPES[fmt], download_name=f"evaluatie-pilot.{fmt}")
