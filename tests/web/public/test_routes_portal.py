"""Login by e-mail link and "Mijn initiatieven" over HTTP."""

from __future__ import annotations

from email.message import Message
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes.loket import Loket
from processes.messages import post_message
from processes.portal_login import hash_token
from processes.tables.case import CaseMessage, Document
from processes.tables.portal import LoginToken
from tests.web.public.support import (
    ALICE,
    BOB,
    QUESTION,
    STAFF,
    ask_for_more,
    body,
    last_mail,
    link_in,
    log_in,
    mails,
    path_of,
    post_form,
    start_case,
    to_survey,
)
from tests.web_support import check_page, csrf_token


def test_login_by_link_confirm_button_and_single_use(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    assert client.get("/mijn-initiatieven").headers["Location"].endswith("/inloggen?next=/mijn-initiatieven")
    page = check_page(client.get("/inloggen").text)
    assert page.find(id="veld-email").get("autocomplete") == "email"
    sent = post_form(client, "/inloggen", {"email": "Alice@Example.nl"})
    assert "Kijk in uw e-mail" in check_page(sent.text).get_text()
    mail = last_mail(app, "alice@example.nl")
    link = link_in(mail)
    token = path_of(link).rsplit("/", 1)[-1]
    with engine.db.transaction() as session:
        [row] = session.scalars(select(LoginToken)).all()
        assert row.token_hash == hash_token(token)
    # What a mail scanner does: a GET. It shows a button and uses nothing.
    confirm = client.get(path_of(link))
    assert confirm.status_code == 200
    assert check_page(confirm.text).find("button").get_text(strip=True) == "Inloggen"
    assert client.get(path_of(link)).status_code == 200
    response = client.post(path_of(link), data={"csrf_token": csrf_token(confirm.text)})
    assert response.headers["Location"].endswith("/mijn-initiatieven")
    listing = check_page(client.get("/mijn-initiatieven").text)
    assert case.case_ref in listing.get_text() and "Buurtfeest Oosterpark" in listing.get_text()
    stranger = app.test_client()
    second = stranger.get(path_of(link))
    assert second.status_code == 410 and "werkt niet" in check_page(second.text).get_text()


def test_unknown_address_gets_the_same_answer(app: Flask, client: FlaskClient, engine: Engine) -> None:
    start_case(engine)
    known = post_form(client, "/inloggen", {"email": ALICE})
    unknown = post_form(app.test_client(), "/inloggen", {"email": "niemand@example.nl"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert last_mail(app, "niemand@example.nl") is not None, "no difference in what happens either"
    # the mail greets a known initiator by the name on their newest initiative
    assert body(last_mail(app, ALICE)).startswith("Beste Jan Jansen,")
    assert body(last_mail(app, "niemand@example.nl")).startswith("Beste initiatiefnemer,")


def test_login_form_errors(client: FlaskClient) -> None:
    response = post_form(client, "/inloggen", {"email": "alice"})
    assert response.status_code == 400
    soup = check_page(response.text)
    assert soup.find(id="foutmeldingen").find("a")["href"] == "#veld-email"


def test_login_returns_to_the_page_asked_for_but_never_elsewhere(app: Flask, engine: Engine) -> None:
    case = start_case(engine)
    for wanted, landing in ((f"/mijn-initiatieven/{case.case_ref}", f"/mijn-initiatieven/{case.case_ref}"),
                            ("https://evil.example/phish", "/mijn-initiatieven"),
                            ("//evil.example", "/mijn-initiatieven")):
        client = app.test_client()
        form = client.get(f"/inloggen?next={wanted}")
        client.post("/inloggen", data={"csrf_token": csrf_token(form.text), "email": ALICE,
                                       "next": wanted})
        link = path_of(link_in(last_mail(app, ALICE)))
        confirm = client.get(link)
        response = client.post(link, data={"csrf_token": csrf_token(confirm.text)})
        assert response.headers["Location"] == landing


def test_logout(client: FlaskClient, engine: Engine) -> None:
    log_in(client, engine, ALICE)
    page = client.get("/mijn-initiatieven")
    response = client.post("/uitloggen", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert client.get("/mijn-initiatieven").status_code == 302


def test_case_page_shows_status_history_category_and_answers(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    log_in(client, engine, ALICE)
    soup = check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text)
    text = soup.get_text(" ", strip=True)
    assert "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief." in text
    assert "We verwachten deze stap af te ronden vóór" in text
    assert "Onze beslisregels stellen de categorie Wijkwens voor." in text
    assert soup.find("a", href="/indeling#regel-R6") is not None
    assert [li.get_text(" ", strip=True).split(": ", 1)[1] for li in soup.select(".loket-history li")] == [
        "Uw initiatief is ontvangen.", "Het initiatieventeam bekijkt welke aanpak past bij uw initiatief."]
    assert "Actie nodig" not in text
    headings = [int(h.name[1]) for h in soup.find("main").find_all(["h1", "h2", "h3", "h4"])]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False))


def test_answering_a_question_with_an_upload(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    ask_for_more(engine, case)
    log_in(client, engine, ALICE)
    listing = check_page(client.get("/mijn-initiatieven").text)
    assert "Actie nodig" in listing.get_text()
    url = f"/mijn-initiatieven/{case.case_ref}"
    page = client.get(url)
    soup = check_page(page.text)
    assert QUESTION in soup.get_text() and "Graag uw antwoord vóór" in soup.get_text()
    form = soup.find("form", attrs={"action": f"{url}/actie/message/aanvulling_ontvangen"})
    assert form is not None and form.get("enctype") == "multipart/form-data"
    empty = client.post(form["action"], data={"csrf_token": csrf_token(page.text)})
    assert empty.status_code == 400
    assert check_page(empty.text).find(id="foutmeldingen").find("a")["href"] == "#veld-antwoord"
    bad_file = client.post(form["action"], content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page.text), "antwoord": "Zie bijlage",
        "documenten": [(BytesIO(b"MZ"), "tekening.exe")]})
    assert bad_file.status_code == 400 and "tekening.exe" in bad_file.text
    with engine.db.transaction() as session:
        assert session.scalars(select(Document)).all() == [], "a refused answer stores no file"
    response = client.post(form["action"], content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page.text), "antwoord": "Zie bijlage",
        "documenten": [(BytesIO(b"%PDF-1.4 tekening"), "tekening.pdf")]})
    assert response.status_code == 302
    engine.run_due_jobs()
    after = check_page(client.get(url).text)
    assert "Dank u wel. We hebben uw antwoord ontvangen." in after.get_text()
    assert "Actie nodig" not in after.get_text()
    link = after.find("a", string="tekening.pdf")
    assert link is not None
    download = client.get(link["href"])
    assert download.data == b"%PDF-1.4 tekening"
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"
    # A second click (an old tab) is not an error: the initiator hears it was answered already.
    again = client.post(form["action"], data={"csrf_token": csrf_token(page.text), "antwoord": "Nog eens"})
    assert again.status_code == 302
    shown = check_page(client.get(again.headers["Location"]).text).get_text()
    assert "Dit was al beantwoord of is niet meer nodig." in shown
    assert [e.kind for e in engine.audit_trail(case.id)].count("message") == 1


def test_survey_task_on_the_case_page(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    to_survey(engine, case)
    log_in(client, engine, ALICE)
    url = f"/mijn-initiatieven/{case.case_ref}"
    page = client.get(url)
    soup = check_page(page.text)
    form = soup.find("form", attrs={"action": lambda a: a and "/actie/task/" in a})
    assert form is not None and "Hoe tevreden bent u over onze hulp?" in form.get_text()
    response = client.post(form["action"], data={"csrf_token": csrf_token(page.text), "tevredenheid_score": "5"})
    assert response.status_code == 302
    assert engine.instance(case.id).state == "completed"
    assert "Uw initiatief is afgewezen." in client.get(url).text


def test_message_thread(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    with engine.db.transaction() as session:
        post_message(session, case.id, author=STAFF, body="Wanneer is het feest?", from_initiator=False)
    log_in(client, engine, ALICE)
    url = f"/mijn-initiatieven/{case.case_ref}"
    page = client.get(url)
    assert "Wanneer is het feest?" in page.text and STAFF not in page.text, "staff accounts stay internal"
    empty = client.post(f"{url}/bericht", data={"csrf_token": csrf_token(page.text), "bericht": "  "})
    assert empty.status_code == 400
    assert check_page(empty.text).find(id="foutmeldingen").find("a")["href"] == "#veld-bericht"
    response = client.post(f"{url}/bericht", data={"csrf_token": csrf_token(page.text), "bericht": "Op 5 mei."})
    assert response.headers["Location"].endswith("#berichten")
    with engine.db.transaction() as session:
        messages = session.scalars(select(CaseMessage).order_by(CaseMessage.id)).all()
        assert [(m.body, m.from_initiator, m.author) for m in messages][-1] == ("Op 5 mei.", True, ALICE)


def test_empty_list_for_a_new_address(client: FlaskClient, engine: Engine) -> None:
    log_in(client, engine, BOB)
    text = check_page(client.get("/mijn-initiatieven").text).get_text()
    assert "Er zijn nog geen initiatieven" in text


def test_status_mail_links_to_the_portal_with_only_the_name(loket: Loket, app: Flask, engine: Engine) -> None:
    app.config["PUBLIC_URL"] = "https://loket.gemeente.example/"
    case = start_case(engine, omschrijving="Geheim plan van Alice", naam="Alice de Boer", telefoon="0612345678")
    engine.run_due_jobs()
    assert not [m for m in _mails(app) if "Nieuws over uw initiatief" in str(m["Subject"])], \
        "receiving is confirmed by the loket's own mail, not by a second status mail"
    # The regiegroep step informs the initiator (informInitiator in wijkwens.bpmn).
    [task] = engine.open_tasks(instance_id=case.id)
    engine.complete_task(case.id, task.task_id, {"aanvulling_nodig": False, "categorie_akkoord": True},
                         actor="intake@gemeente.example")
    engine.run_due_jobs()
    status = [m for m in _mails(app) if "Nieuws over uw initiatief" in str(m["Subject"])]
    assert status, "the regiegroep step informs the initiator"
    text = body(status[0])
    assert f"https://loket.gemeente.example/mijn-initiatieven/{case.case_ref}" in text
    assert "Buurtfeest Oosterpark" in text
    assert text.startswith("Beste Alice de Boer,"), "the mail addresses the initiator by name"
    for private in ("Geheim plan", "0612345678", ALICE):
        assert private not in text
    assert text.count("Alice de Boer") == 1, "the name is in the salutation only"
    confirmation = [m for m in _mails(app) if "Uw initiatief is ontvangen" in str(m["Subject"])]
    assert f"https://loket.gemeente.example/mijn-initiatieven/{case.case_ref}" in body(confirmation[0])
    assert body(confirmation[0]).startswith("Beste Alice de Boer,")


def _mails(app: Flask) -> list[Message]:
    return mails(app)


def test_when_the_mail_server_fails_no_login_link_is_stored(app: Flask, client: FlaskClient, engine: Engine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_mail: object) -> None:
        raise ConnectionRefusedError("smtp down")

    assert engine.mailer is not None
    monkeypatch.setattr(engine.mailer, "send", refuse)
    response = post_form(client, "/inloggen", {"email": ALICE})
    assert response.status_code == 503
    assert "De e-mail kon niet worden verstuurd" in check_page(response.text).get_text()
    with engine.db.transaction() as session:
        assert session.scalars(select(LoginToken)).all() == []


def test_case_page_in_english(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine)
    ask_for_more(engine, case)
    log_in(client, engine, ALICE)
    client.get("/taal/en")
    soup = check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text)
    text = soup.get_text(" ", strip=True)
    assert "We need more information from you." in text
    assert "Action needed" in text and "Your answer" in text
    assert "Our decision rules suggest the category District wish." in text
    explanation = soup.find(id="categorie-uitleg")  # the decision table explains in English too
    assert explanation is not None and explanation.get_text().startswith("You ") and not explanation.has_attr("lang")
