"""``loket report``: the evaluation report as PDF (with its charts) and HTML, the figures as XLSX
(initiatives and steps) and CSV, for a period; a period the wrong way round is refused."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from tests.processes.monitoring.factories import write_history
from web import create_app, loket_of
from web.cli import cli


def _made(url: str, tmp_path: Path) -> dict[str, str]:
    app = create_app({"TESTING": True, "DATABASE_URL": url, "MAIL_FOLDER": str(tmp_path / "mail")})
    loket = loket_of(app)
    write_history(loket)
    loket.engine.db.dispose()
    return {"DATABASE_URL": url, "SECRET_KEY": "test"}


def _run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", "--from", "2025-12-01", "--to", "2026-01-31", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_report_in_every_format(database_url: str, tmp_path: Path) -> None:
    env = _made(database_url, tmp_path)
    html_file = tmp_path / "rapport.html"
    assert "rapport.html gemaakt" in _run(env, "--format", "html", "--out", str(html_file))
    html = html_file.read_text(encoding="utf-8")
    charts = html.count('src="data:image/svg+xml;base64,')
    assert charts >= 10 and "Evaluatie van de pilot Initiatievenloket" in html
    assert "2025-12-01" in html and "Snel geholpen, dank!" in html

    english = tmp_path / "report.html"
    _run(env, "--format", "html", "--lang", "en", "--out", str(english))
    assert "Initiatives per month" in english.read_text(encoding="utf-8")

    pdf_file = tmp_path / "rapport.pdf"
    _run(env, "--format", "pdf", "--out", str(pdf_file))
    pdf = pdf_file.read_bytes()
    assert pdf.startswith(b"%PDF-")
    streams = [zlib.decompress(m.group(1)) for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
               if m.group(1)[:1] == b"x"]
    drawn = b"".join(streams)
    assert len(re.findall(rb"/Subtype\s*/Form", pdf + drawn)) >= charts  # every chart drawn as vector graphics
    assert len(re.findall(rb"/Type\s*/Page\b", pdf + drawn)) >= 2

    xlsx_file = tmp_path / "cijfers.xlsx"
    _run(env, "--format", "xlsx", "--out", str(xlsx_file))
    book = load_workbook(io.BytesIO(xlsx_file.read_bytes()), read_only=True)
    assert book.sheetnames == ["initiatieven", "stappen"]
    assert len(list(book["initiatieven"].iter_rows())) == 4 and len(list(book["stappen"].iter_rows())) == 8

    csv_file = tmp_path / "initiatieven.csv"
    _run(env, "--format", "csv", "--out", str(csv_file))
    assert csv_file.read_text(encoding="utf-8-sig").splitlines()[1].startswith("MON-A;")


def test_a_period_the_wrong_way_round_is_refused(database_url: str, tmp_path: Path) -> None:
    env = _made(database_url, tmp_path)
    result = CliRunner().invoke(cli, ["report", "--from", "2026-02-01", "--to", "2026-01-01", "--out",
                                      str(tmp_path / "x.pdf")], env=env)
    assert result.exit_code == 2 and "--from ligt na --to" in result.output
    assert not (tmp_path / "x.pdf").exists()
