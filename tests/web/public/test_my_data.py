"""Mijn gegevens: an initiator downloads all their data as JSON and reads it as a printable page
(account, initiatives with answers, history, messages, decisions, files with working links);
never another initiator's; logged out, the login page comes first. The privacy page says what
is kept, why, how long (from the retention policy), who sees it, in Dutch and English."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient

from engine.service import Engine
from processes.documents import Upload, store_document
from processes.messages import post_message
from processes.tables.privacy import RetentionPolicy
from tests.web.public.support import (
    ALICE,
    BOB,
    STAFF,
    ask_for_more,
    log_in,
    path_of,
    start_case,
    to_survey,
)
from tests.web_support import check_page

BOBS = ["Bob Bakker", BOB, "Geheime moestuin van Bob", "Bob wil graag een hek"]


def alice_and_bob(engine: Engine) -> tuple[Any, Any]:
    """Alice: a decided wijkwens with a message each way and a file, and an initiative whose
    question she answered. Bob: an initiative of his own with a message."""
    decided = start_case(engine, naam="Alice de Boer", telefoon="0611111111")
    with engine.db.transaction() as session:
        post_message(session, decided.id, author=ALICE, body="Mag de buurvrouw ook helpen?", from_initiator=True)
        post_message(session, decided.id, author=STAFF, body="Ja, dat mag.", from_initiator=False)
        store_document(session, Upload("plattegrond.pdf", b"%PDF-1.4 plattegrond"), uploaded_by=ALICE,
                       instance_id=decided.id, purpose="bijlage")
    to_survey(engine, decided)
    asked = start_case(engine, naam="Alice de Boer", titel="Bankje bij de vijver")
    ask_for_more(engine, asked)
    engine.deliver_message(asked.id, "aanvulling_ontvangen", {"antwoord": "Het bankje komt bij de eendjes."},
                           actor=ALICE)
    bobs = start_case(engine, BOB, naam="Bob Bakker", titel="Geheime moestuin van Bob")
    with engine.db.transaction() as session:
        post_message(session, bobs.id, author=BOB, body="Bob wil graag een hek.", from_initiator=True)
    return decided, asked


def test_the_json_download_holds_all_of_the_initiators_data_and_only_theirs(client: FlaskClient,
                                                                            engine: Engine) -> None:
    decided, asked = alice_and_bob(engine)
    log_in(client, engine, ALICE)

    response = client.get("/mijn-gegevens.json")

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == "attachment; filename=mijn-gegevens.json"
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    assert [value for value in BOBS if value in text] == []
    found = json.loads(text)
    assert found["account"]["email"] == ALICE and found["language"] == "nl"
    by_ref = {item["reference"]: item for item in found["initiatives"]}
    assert set(by_ref) == {decided.case_ref, asked.case_ref}
    first = by_ref[decided.case_ref]
    answers = {row["field"]: row for row in first["answers"]}
    assert answers["naam"]["value"] == "Alice de Boer" and answers["naam"]["question"] == "Uw naam"
    assert answers["telefoon"]["value"] == "0611111111" and answers["gevraagd_bedrag"]["answer"] == "€ 750"
    assert first["category"]["code"] == "wijkwens"
    assert first["decision"]["result"] == "afgewezen" and first["decision"]["reason"] == "Er is al een feest die week."
    assert [(m["from"], m["text"]) for m in first["messages"]] == [
        ("initiator", "Mag de buurvrouw ook helpen?"), ("municipality", "Ja, dat mag.")]
    assert len(first["status_history"]) >= 3 and all(entry["text"] for entry in first["status_history"])
    [attachment] = first["attachments"]
    assert attachment["name"] == "plattegrond.pdf" and attachment["removed_at"] is None
    download = client.get(path_of(attachment["download_url"]))
    assert download.status_code == 200 and download.data == b"%PDF-1.4 plattegrond"
    later = by_ref[asked.case_ref]["later_answers"]
    assert [(row["field"], row["value"]) for answer in later for row in answer["answers"]] == [
        ("antwoord", "Het bankje komt bij de eendjes.")]


def test_the_readable_page_shows_the_same_and_can_be_printed(client: FlaskClient, engine: Engine) -> None:
    decided, asked = alice_and_bob(engine)
    log_in(client, engine, ALICE)
    assert 'href="/mijn-gegevens"' in client.get("/mijn-initiatieven").text

    response = client.get("/mijn-gegevens")

    assert response.status_code == 200
    soup = check_page(response.text)
    shown = soup.get_text(" ")
    for expected in (ALICE, decided.case_ref, asked.case_ref, "Alice de Boer", "0611111111", "Bankje bij de vijver",
                     "Het bankje komt bij de eendjes.", "Mag de buurvrouw ook helpen?", "Ja, dat mag.",
                     "Er is al een feest die week.", "printknop"):
        assert expected in shown, expected
    assert [value for value in BOBS if value in response.text] == []
    link = soup.find("a", string="plattegrond.pdf")
    assert link is not None and client.get(link["href"]).data == b"%PDF-1.4 plattegrond"
    assert soup.find("a", attrs={"href": "/mijn-gegevens.json"}) is not None


def test_bob_sees_only_his_own(client: FlaskClient, engine: Engine) -> None:
    alice_and_bob(engine)
    log_in(client, engine, BOB)
    found = client.get("/mijn-gegevens.json").get_json()
    assert [item["title"] for item in found["initiatives"]] == ["Geheime moestuin van Bob"]
    text = client.get("/mijn-gegevens").text + json.dumps(found)
    assert "Alice" not in text and ALICE not in text and "plattegrond" not in text


def test_logged_out_the_login_page_comes_first(client: FlaskClient, engine: Engine) -> None:
    alice_and_bob(engine)
    for url in ("/mijn-gegevens", "/mijn-gegevens.json"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == f"/inloggen?next={url}"


def test_the_download_in_english(client: FlaskClient, engine: Engine) -> None:
    decided, _asked = alice_and_bob(engine)
    log_in(client, engine, ALICE)
    client.get("/taal/en")
    found = client.get("/mijn-gegevens.json").get_json()
    first = next(item for item in found["initiatives"] if item["reference"] == decided.case_ref)
    answers = {row["field"]: row for row in first["answers"]}
    assert found["language"] == "en" and answers["naam"]["question"] == "Your name"
    assert "Print" in client.get("/mijn-gegevens").text


def test_the_privacy_page_reads_the_retention_policy(client: FlaskClient, engine: Engine) -> None:
    footer = check_page(client.get("/").text).find("footer")
    assert footer is not None and footer.find("a", attrs={"href": "/privacy"}) is not None
    page = check_page(client.get("/privacy").text)
    text = page.get_text(" ")
    for expected in ("Welke gegevens bewaren we?", "publieke taak", "artikel 6 lid 1 onder e", "Wie kan uw gegevens",
                     "privacyfunctionaris", "Mijn gegevens", "Autoriteit Persoonsgegevens", "24 maanden",
                     "12 maanden", "30 dagen"):
        assert expected in text, expected
    with engine.db.transaction() as session:
        session.add(RetentionPolicy(category="wijkwens", anonymise_months=6, attachments_months=1))
    table = check_page(client.get("/privacy").text).find("tbody")
    assert table is not None
    rows = {row.th.get_text(strip=True) if row.th else "": [cell.get_text(strip=True) for cell in row.find_all("td")]
            for row in table.find_all("tr")}
    assert rows["Wijkwens"] == ["1 maand", "6 maanden"] and rows["Complex initiatief"] == ["12 maanden", "24 maanden"]


def test_the_privacy_page_in_english(client: FlaskClient) -> None:
    client.get("/taal/en")
    page = check_page(client.get("/privacy").text)
    text = page.get_text(" ")
    assert page.html is not None and page.html.get("lang") == "en"
    for expected in ("What data do we keep?", "public task", "Who can see your data?", "24 months", "My data"):
        assert expected in text, expected
