"""``loket bench pages``: every page a user can reach is timed on a fresh demo database."""

from __future__ import annotations

import json

from click.testing import CliRunner
from flask import Flask
from flask_babel import force_locale

from web.bench_every_page import PageTime, format_pages_report
from web.cli import cli
from web.staff.common import audit_labels
from web.staff.wording import data_labels


def test_every_role_and_the_public_pages_are_timed() -> None:
    result = CliRunner().invoke(cli, ["bench", "pages", "--rounds", "1", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found = [PageTime(row["who"], row["path"], row["status"], row["p50_ms"], row["p95_ms"])
             for row in json.loads(result.output)]
    answered = {(page.who, page.path) for page in found if page.status == 200}
    assert ("anoniem", "/") in answered and ("anoniem", "/indeling") in answered
    assert ("initiatiefnemer", "/mijn-initiatieven") in answered
    assert any(who == "initiatiefnemer" and path.startswith("/mijn-initiatieven/INI-") for who, path in answered)
    for role, path in [("intake", "/medewerker/werkvoorraad"), ("kcc", "/medewerker/kcc"),
                       ("procesbeheerder", "/medewerker/processen"), ("beheerder", "/medewerker/beheer")]:
        assert (role, path) in answered
    # Pages with a case or task in their address get one the role works on.
    assert any(who == "intake" and path.startswith("/medewerker/dossier/INI-") for who, path in answered)
    assert any(who == "specialist" and path.startswith("/medewerker/taken/") for who, path in answered)
    assert not [page for page in found if page.status >= 500]
    assert all(page.p50_ms > 0 for page in found)
    assert "/medewerker/beheer" in format_pages_report(found)


def test_the_report_marks_pages_over_the_target() -> None:
    slow, quick = PageTime("intake", "/traag", 200, 12.0, 15.0), PageTime("intake", "/snel", 200, 3.0, 4.0)
    report = format_pages_report([slow, quick])
    assert "/traag" in report.splitlines()[1] and "boven 8 ms" in report.splitlines()[1]
    assert "boven 8 ms" not in report.splitlines()[2]
    assert "2 pagina's gemeten; 1 boven 8 ms" in report
    assert slow.as_json()["over_target"] is True and quick.as_json()["over_target"] is False


def test_label_tables_are_built_once_per_request_and_language(app: Flask) -> None:
    with app.test_request_context("/"):
        assert data_labels() is data_labels()
        assert audit_labels()["started"] == "Ingediend"
        # A mail in the initiator's language during a Dutch page gets its own table.
        with force_locale("en"):
            english = audit_labels()
            assert english["started"] != "Ingediend" and english is audit_labels()
        assert audit_labels()["started"] == "Ingediend"
