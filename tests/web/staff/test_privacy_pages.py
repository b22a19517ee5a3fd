"""Privacy in the workspace: the privacyfunctionaris reads the access log (filters, pages, CSV)
and never a case file; every other role gets 403 on the log; the beheerder sets the retention
policy per category."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from engine import clock
from engine.service import Engine
from processes import access_log
from processes.anonymise import apply_retention
from processes.documents import Upload, store_document
from processes.tables.privacy import RetentionPolicy
from processes.tables.staff import KccAccess, StaffUser
from tests.web.staff.support import (
    BEHEER,
    DOMAIN,
    FONDS,
    GROEN,
    GUIDE,
    INTAKE,
    KCC,
    OOST,
    PRIVACY,
    PROCES,
    VERGUNNINGEN,
    green_case,
    login_as,
    start,
)
from tests.web_support import check_page, csrf_token
from web import loket_of

LOG = "/medewerker/privacy/inzagelog"


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:1500]
    check_page(response.text)
    return response.text


def kcc_looks_at(app: Flask, client: FlaskClient, case_ref: str) -> None:
    login_as(client, app, KCC)
    assert client.get("/medewerker/kcc?q=Jansen").status_code == 200
    assert client.get(f"/medewerker/kcc/{case_ref}").status_code == 200


def test_the_privacy_officer_reads_who_looked_at_what(app: Flask, client: FlaskClient, engine: Engine) -> None:
    seen, other = green_case(engine), start(engine)
    kcc_looks_at(app, client, seen.info.case_ref)
    kcc_looks_at(app, client, other.info.case_ref)
    login_as(client, app, PRIVACY)

    text = page(client, LOG)
    assert "4 regels gevonden" in text and "Kim Jansen" in text and "Zocht op 'Jansen' (2 resultaten)" in text
    text = page(client, f"{LOG}?dossier={seen.info.case_ref.lower()}")
    assert "1 regel gevonden" in text and seen.info.case_ref in text and other.info.case_ref not in text
    assert "0 regels gevonden" in page(client, f"{LOG}?medewerker=ahmed.benali@{DOMAIN}")
    assert "4 regels gevonden" in page(client, f"{LOG}?medewerker={KCC}")
    today = clock.now().date()
    assert "0 regels gevonden" in page(client, f"{LOG}?van={today + timedelta(days=2)}")
    assert "4 regels gevonden" in page(client, f"{LOG}?van={today - timedelta(days=1)}&tot={today + timedelta(days=1)}")
    text = page(client, f"{LOG}?van=morgen&tot=2020-01-01&dossier=<script>")
    assert "Vul een datum in zoals 31-12-2025." in text and "Vul een nummer in zoals INI-2025-000001." in text
    # The officer never opens the case itself.
    for url in (f"/medewerker/dossier/{seen.info.case_ref}", f"/medewerker/kcc/{seen.info.case_ref}",
                f"/medewerker/dossier/{seen.info.case_ref}/documenten/onbekend", "/medewerker/kcc?q=Jansen",
                "/medewerker/taken", "/medewerker/beheer", "/medewerker/monitor"):
        assert client.get(url).status_code == 403, url


def test_case_files_and_task_pages_opened_by_staff_are_in_the_log(app: Flask, client: FlaskClient,
                                                                   engine: Engine) -> None:
    case = green_case(engine)
    task_id = case.task("groen_beoordelen").task_id
    login_as(client, app, GROEN)
    client.get(f"/medewerker/dossier/{case.info.case_ref}").close()  # the entry is written once the page is sent
    client.get(f"/medewerker/taken/{task_id}").close()
    client.get("/medewerker/dossier/INI-2000-999999").close()  # a page that did not open is not logged
    with loket_of(app).reading() as session:
        entries = session.execute(select(KccAccess.user_email, KccAccess.action, KccAccess.instance_id)
                                  .order_by(KccAccess.id)).all()
    assert [tuple(entry) for entry in entries] == [(GROEN, "dossier", case.id), (GROEN, "taak", case.id)]
    login_as(client, app, PRIVACY)
    text = page(client, f"{LOG}?dossier={case.info.case_ref}")
    assert "2 regels gevonden" in text and "Opende het dossier" in text and "Opende een taak van het initiatief" in text
    assert "Gerda Hoekstra" in text


def test_the_log_pages_and_its_csv(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = green_case(engine)
    with engine.db.transaction() as session:
        kcc = session.scalar(select(StaffUser).where(StaffUser.email == KCC))
        assert kcc is not None
        start_at = clock.now() - timedelta(hours=2)
        session.execute(insert(KccAccess), [
            {"user_id": kcc.id, "user_email": KCC, "action": "search", "query": f"=zoek {number}", "result_count": 1,
             "at": start_at + timedelta(minutes=number)} for number in range(access_log.PAGE_SIZE + 5)])
        session.execute(insert(KccAccess), [{"user_id": kcc.id, "user_email": KCC, "action": "view",
                                            "instance_id": case.id, "at": clock.now()}])
    login_as(client, app, PRIVACY)
    first = page(client, LOG)
    assert "56 regels gevonden" in first and "Pagina 1 van 2" in first and case.info.case_ref in first
    second = page(client, f"{LOG}?pagina=2")
    assert "Pagina 2 van 2" in second and "=zoek 0" in second and case.info.case_ref not in second
    assert "Pagina 2 van 2" in page(client, f"{LOG}?pagina=99")

    response = client.get(f"{LOG}.csv?medewerker={KCC}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"].startswith("no-store") or "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == list(access_log.COLUMNS) and len(rows) == 57
    assert rows[1][1:5] == ["Kim Jansen", KCC, "bekeek initiatief (KCC)", case.info.case_ref]
    assert rows[-1][3:6] == ["zocht", "", "'=zoek 0"]  # never a formula in a spreadsheet
    only_case = client.get(f"{LOG}.csv?dossier={case.info.case_ref}").get_data(as_text=True)
    assert len(only_case.strip().splitlines()) == 2


@pytest.mark.parametrize("email", [INTAKE, GUIDE, GROEN, OOST, FONDS, VERGUNNINGEN, KCC, PROCES, BEHEER])
def test_every_other_role_is_refused_the_log(app: Flask, client: FlaskClient, email: str) -> None:
    login_as(client, app, email)
    assert client.get(LOG).status_code == 403
    assert client.get(f"{LOG}.csv").status_code == 403
    assert "Inzagelog persoonsgegevens" not in client.get("/medewerker/").text


def test_the_privacy_officer_finds_the_log_from_the_start_page(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, PRIVACY)
    text = page(client, "/medewerker/")
    assert "Privacyfunctionaris" in text and f'href="{LOG}"' in text
    assert "Werkvoorraad" not in text


def test_the_beheerder_sets_the_retention_policy(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    assert 'href="/medewerker/beheer/bewaartermijnen"' in page(client, "/medewerker/beheer")
    text = page(client, "/medewerker/beheer/bewaartermijnen")
    assert "Nog niet ingesteld" in text and 'value="24"' in text and 'value="12"' in text
    token = csrf_token(text)
    response = client.post("/medewerker/beheer/bewaartermijnen/wijkwens",
                           data={"csrf_token": token, "anonimiseren": "12", "bijlagen": "18"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    check_page(body)
    assert "De bijlagen kunnen niet langer blijven dan de persoonsgegevens" in body and 'value="18"' in body
    response = client.post("/medewerker/beheer/bewaartermijnen/wijkwens",
                           data={"csrf_token": token, "anonimiseren": "12", "bijlagen": "6"})
    assert response.status_code == 302
    assert "De bewaartermijnen voor Wijkwens zijn opgeslagen." in page(client, "/medewerker/beheer/bewaartermijnen")
    with engine.db.reading() as session:
        stored = session.get(RetentionPolicy, "wijkwens")
        assert stored is not None and (stored.anonymise_months, stored.attachments_months) == (12, 6)
    assert client.post("/medewerker/beheer/bewaartermijnen/onbekend",
                       data={"csrf_token": token, "anonimiseren": "12", "bijlagen": "6"}).status_code == 404
    assert "persoonsgegevens 24 → 12 maanden" in page(client, "/medewerker/beheer/bewaartermijnen")


def test_an_anonymised_case_file_still_opens_and_says_what_went(app: Flask, client: FlaskClient,
                                                                engine: Engine) -> None:
    case = green_case(engine, telefoon="0612345678")
    with engine.db.transaction() as session:
        store_document(session, Upload("paspoort.pdf", b"%PDF-1.4 kopie"), uploaded_by="initiatiefnemer@example.nl",
                       instance_id=case.id, purpose="bijlage")
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                       "afspraken": "Onderhoud door de buren."}, actor=GROEN)
    case.complete("tevredenheid", {"tevredenheid_score": 4}, actor="initiatiefnemer@example.nl")
    clock.set_time(clock.now() + timedelta(days=25 * 31))
    assert apply_retention(loket_of(app)).anonymised == [case.info.case_ref]
    login_as(client, app, INTAKE)
    text = page(client, f"/medewerker/dossier/{case.info.case_ref}")
    assert "Persoonsgegevens verwijderd (bewaartermijn)" in text and "[verwijderd]" in text
    assert "inhoud verwijderd op" in text and "Toegekend" in text
    for gone in ("Jan Jansen", "0612345678", "paspoort.pdf", "Onderhoud door de buren.", "Geveltuin Lindenstraat"):
        assert gone not in text, gone
    login_as(client, app, KCC)
    assert "Jan Jansen" not in page(client, f"/medewerker/kcc/{case.info.case_ref}")


def test_the_beheerder_sets_how_long_the_access_log_is_kept(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    text = page(client, "/medewerker/beheer/bewaartermijnen")
    assert "Nog niet ingesteld: de standaardtermijn van 24 maanden geldt." in text
    token = csrf_token(text)
    for wrong, problem in (("3", "Kies minstens 6 en hoogstens 120 maanden."), ("", "Vul een aantal maanden in."),
                           ("zes", "Vul een heel aantal maanden in")):
        response = client.post("/medewerker/beheer/bewaartermijnen-inzagelog",
                               data={"csrf_token": token, "inzagelog": wrong})
        assert response.status_code == 400
        body = response.get_data(as_text=True)
        check_page(body)
        assert problem in body and f'name="inzagelog" value="{wrong}"' in body
    assert client.post("/medewerker/beheer/bewaartermijnen-inzagelog",
                       data={"inzagelog": "12"}).status_code == 400  # no CSRF token: nothing stored
    response = client.post("/medewerker/beheer/bewaartermijnen-inzagelog",
                           data={"csrf_token": token, "inzagelog": "12"})
    assert response.status_code == 302
    text = page(client, "/medewerker/beheer/bewaartermijnen")
    assert "De bewaartermijn van het inzagelog is opgeslagen: 12 maanden." in text
    assert "Inzagelog:" in text and "24 → 12 maanden" in text
    assert "We bewaren het logboek 12 maanden" in page(client, "/privacy")
    login_as(client, app, PRIVACY)
    assert "Het log gaat 12 maanden terug" in page(client, LOG)
