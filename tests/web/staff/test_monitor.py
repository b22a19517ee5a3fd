"""The monitoring dashboard through HTTP: who may see it (and how much), the filters, the charts
with their tables, the downloads opened and read back, and odd input without a 500."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select, update

from processes.tables.facts import CaseFact
from processes.tables.organisation import Team
from tests.processes.monitoring.factories import write_history
from tests.web.staff.support import BEHEER, FONDS, GROEN, INTAKE, KCC, PROCES, login_as
from tests.web_support import check_page
from web import loket_of

MONITOR = "/medewerker/monitor"


def _history(app: Flask) -> None:
    write_history(loket_of(app))


def test_the_process_owner_sees_every_figure_with_charts_and_tables(app: Flask, client: FlaskClient) -> None:
    _history(app)
    login_as(client, app, PROCES)
    assert f'href="{MONITOR}"' in client.get("/medewerker/").text
    page = client.get(f"{MONITOR}?van=2025-12-01&tot=2026-01-31")
    assert page.status_code == 200
    soup = check_page(page.text)
    images = soup.find_all("img", class_="staff-chart-image")
    assert len(images) >= 10
    assert all(img["src"].startswith("data:image/svg+xml;base64,") and img["alt"] for img in images)
    captions = [caption.get_text() for caption in soup.find_all("caption")]
    assert "Initiatieven per maand in getallen" in captions
    month = soup.find("caption", string="Initiatieven per maand in getallen").find_parent("table")
    assert [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in month.tbody.find_all("tr")] == [
        ["2025-12", "1"], ["2026-01", "2"]]
    assert "Snel geholpen, dank!" in page.text and "R6" in page.text
    assert "Totaal in deze selectie: 3 initiatieven." in page.text
    west = client.get(f"{MONITOR}?wijk=west&categorie=complex")
    assert "Totaal in deze selectie: 1 initiatieven." in west.text


def test_a_team_lead_sees_only_their_team_and_other_roles_get_403(app: Flask, client: FlaskClient) -> None:
    _history(app)
    with loket_of(app).transaction() as session:
        session.execute(update(Team).where(Team.code == "team-groen").values(lead_email=GROEN))
    login_as(client, app, GROEN)
    assert f'href="{MONITOR}"' in client.get("/medewerker/").text
    page = client.get(MONITOR)
    assert page.status_code == 200
    check_page(page.text)
    assert "Beoordelen door team Groen" in page.text and "Team Groen" in page.text
    assert "Categorie bevestigen" not in page.text and "Initiatievenfonds" not in page.text
    assert client.get(f"{MONITOR}/export/initiatieven.csv").status_code == 403
    assert client.get(f"{MONITOR}/rapport.pdf").status_code == 403
    for email in (INTAKE, KCC, FONDS):
        login_as(client, app, email)
        assert f'href="{MONITOR}"' not in client.get("/medewerker/").text
        assert client.get(MONITOR).status_code == 403
    client.post("/medewerker/uitloggen")
    anonymous = app.test_client()
    assert anonymous.get(MONITOR).headers["Location"].startswith("/medewerker/inloggen")
    login_as(client, app, BEHEER)
    assert client.get(MONITOR).status_code == 200


def test_the_downloads_hold_the_cases_and_the_steps(app: Flask, client: FlaskClient) -> None:
    _history(app)
    login_as(client, app, PROCES)
    cases = client.get(f"{MONITOR}/export/initiatieven.csv?wijk=oost")
    assert cases.status_code == 200 and "attachment" in cases.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(cases.data.decode("utf-8-sig")), delimiter=";"))
    assert [(row["nummer"], row["categorie"], row["regel"], row["binnengekomen"]) for row in rows] == [
        ("MON-A", "eenvoudig", "R1", "2025-12-22 10:00:00"), ("MON-C", "eenvoudig", "R1", "2026-01-07 09:00:00")]
    steps = client.get(f"{MONITOR}/export/stappen.xlsx")
    assert steps.status_code == 200
    sheet = load_workbook(io.BytesIO(steps.data), read_only=True).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    assert header[:7] == ["nummer", "proces", "stap", "geopend", "afgerond", "seconden_open", "werkdagen_open"]
    first = dict(zip(header, body[0], strict=True))
    assert (first["nummer"], first["stap"], first["geopend"], first["afgerond"], first["werkdagen_open"]) == (
        "MON-A", "categorie_bevestigen", "2025-12-22 10:00:00", "2025-12-29 10:00:00", 3)
    open_rows = [dict(zip(header, row, strict=True)) for row in body if not row[4]]
    assert sorted((row["nummer"], row["stap"], row["team"], row["te_laat"]) for row in open_rows) == [
        ("MON-B", "intakegesprek", "initiatieventeam", "ja"), ("MON-C", "groen_beoordelen", "team-groen", "nee")]
    assert len(body) == 7  # five completed tasks, two open
    assert client.get(f"{MONITOR}/export/geheim.csv").status_code == 404
    assert client.get(f"{MONITOR}/export/stappen.pdf").status_code == 404


def test_odd_filters_are_explained_not_a_500(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PROCES)
    page = client.get(f"{MONITOR}?van=gisteren&tot=1800-01-01&categorie=x&wijk=" + "y" * 5000)
    assert page.status_code == 200
    assert "Vul een geldige datum in" in page.text and "Kies een datum tussen 2000 en 2100." in page.text
    assert "Deze categorie bestaat niet." in page.text
    swapped = client.get(f"{MONITOR}?van=2026-02-01&tot=2026-01-01")
    assert "De begindatum ligt na de einddatum." in swapped.text
    assert client.get(f"{MONITOR}/export/initiatieven.csv?van=nooit").status_code == 200


def test_the_report_downloads_as_html_and_pdf(app: Flask, client: FlaskClient) -> None:
    _history(app)
    login_as(client, app, PROCES)
    html = client.get(f"{MONITOR}/rapport.html?wijk=oost")
    assert html.status_code == 200 and "evaluatie-pilot.html" in html.headers["Content-Disposition"]
    assert "Evaluatie van de pilot Initiatievenloket" in html.text and "Wijk: Oost." in html.text
    pdf = client.get(f"{MONITOR}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert client.get(f"{MONITOR}/rapport.docx").status_code == 404
    assert f'href="{MONITOR}/rapport.pdf' in client.get(MONITOR).text


def test_the_charts_kept_follow_the_language_and_the_figures(app: Flask, client: FlaskClient) -> None:
    """A chart's HTML is kept per language and figures: the same view in English is English, and
    a new initiative shows at once."""
    _history(app)
    login_as(client, app, PROCES)
    dutch = client.get(f"{MONITOR}?van=2025-12-01&tot=2026-01-31").text
    assert "Initiatieven per maand in getallen" in dutch
    client.get("/taal/en")
    english = check_page(client.get(f"{MONITOR}?van=2025-12-01&tot=2026-01-31").text)
    assert any(caption.get_text().endswith(" in figures") for caption in english.find_all("caption"))
    assert "in getallen" not in str(english)
    client.get("/taal/nl")
    with loket_of(app).transaction() as session:  # one more initiative in January: its facts
        first = session.execute(select(CaseFact).where(CaseFact.month == "2026-01")).scalars().first()
        assert first is not None
        session.execute(update(CaseFact).where(CaseFact.instance_id == first.instance_id)
                        .values(month="2025-12", created_at=first.created_at.replace(year=2025, month=12, day=15)))
    month = check_page(client.get(f"{MONITOR}?van=2025-12-01&tot=2026-01-31").text).find(
        "caption", string="Initiatieven per maand in getallen").find_parent("table")
    assert [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in month.tbody.find_all("tr")] == [
        ["2025-12", "2"], ["2026-01", "1"]]
