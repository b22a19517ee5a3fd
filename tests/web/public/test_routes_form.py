"""The start form over HTTP: steps, errors, uploads, summary, sending, confirmation, and
save-and-resume by e-mail."""

from __future__ import annotations

import re
from io import BytesIO

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.service import Engine
from engine.tables import ProcessInstance
from processes.tables.case import Document
from processes.tables.portal import FormDraft
from tests.web.public.support import (
    ALICE,
    INTAKE_STEPS,
    body,
    fill_intake,
    last_mail,
    link_in,
    path_of,
    post_form,
)
from tests.web_support import check_page, csrf_token


def _cases(engine: Engine) -> int:
    with engine.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(ProcessInstance)) or 0)


def _send(client: FlaskClient) -> object:
    page = client.get("/aanmelden/controleren")
    return client.post("/aanmelden/versturen", data={"csrf_token": csrf_token(page.text)})


def test_every_step_is_a_page_with_a_form_that_works_without_javascript(client: FlaskClient) -> None:
    assert client.get("/aanmelden").headers["Location"].endswith("/aanmelden/stap/wie")
    for number, step in enumerate(INTAKE_STEPS, start=1):
        soup = check_page(client.get(f"/aanmelden/stap/{step}").text)
        form = soup.find("form", attrs={"action": f"/aanmelden/stap/{step}"})
        assert form is not None and form.has_attr("novalidate")
        assert f"Stap {number} van 4" in soup.get_text()
        assert soup.find("input", attrs={"name": "website"}) is not None, "honeypot"
    afronden = check_page(client.get("/aanmelden/stap/afronden").text)
    assert afronden.find("form").get("enctype") == "multipart/form-data"
    assert afronden.find("input", attrs={"type": "file", "name": "bijlagen"}) is not None
    assert afronden.find("input", attrs={"name": "kanaal"}) is None, "set by the server, not the browser"
    assert client.get("/aanmelden/stap/bestaat-niet").status_code == 404


def test_errors_are_summarised_at_the_top_and_linked_to_each_field(client: FlaskClient) -> None:
    response = post_form(client, "/aanmelden/stap/wie", {"email": "geen adres", "naam": "Alice"})
    assert response.status_code == 200
    soup = check_page(response.text)
    assert soup.title is not None and soup.title.get_text().startswith("Fout: ")
    summary = soup.find(id="foutmeldingen")
    assert summary is not None and summary.get("role") == "alert" and summary.has_attr("autofocus")
    links = [a["href"] for a in summary.find_all("a")]
    assert links == ["#veld-soort_initiatiefnemer-0", "#veld-email"]
    for href in links:
        assert soup.find(id=href[1:]) is not None
    email = soup.find(id="veld-email")
    assert email.get("aria-invalid") == "true" and email.get("value") == "geen adres", "what was typed stays"
    assert "veld-email-error" in email.get("aria-describedby")
    assert soup.find(id="veld-naam").get("value") == "Alice"


def test_walk_the_steps_check_the_summary_and_send(app: Flask, client: FlaskClient, engine: Engine) -> None:
    fill_intake(client)
    summary = check_page(client.get("/aanmelden/controleren").text)
    text = summary.get_text(" ", strip=True)
    for expected in ("Alice de Boer", "Buurtfeest Oosterpark", "€ 750", "Evenementen", "Oost"):
        assert expected in text
    assert "binnen 5 werkdagen" in text, "what happens next, read from the diagram"
    assert summary.find("a", href="/aanmelden/stap/wat") is not None, "every part can be changed"
    response = _send(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/aanmelden/ontvangen")
    page = check_page(client.get("/aanmelden/ontvangen").text)
    case_ref = page.find(class_="loket-reference").get_text()
    assert re.fullmatch(r"INI-\d{4}-\d{6}", case_ref)
    assert ALICE in page.get_text()
    with engine.db.transaction() as session:
        case = session.scalar(select(ProcessInstance))
        assert case is not None and case.case_ref == case_ref
        assert case.initiator == ALICE and case.case_data["kanaal"] == "online"
        assert session.scalars(select(FormDraft)).all() == []
    engine.run_due_jobs()
    confirmation = last_mail(app, ALICE)
    assert case_ref in str(confirmation["Subject"]) and "Buurtfeest Oosterpark" in body(confirmation)
    assert client.get("/aanmelden/controleren").headers["Location"].endswith("/aanmelden"), "the draft is gone"
    token = csrf_token(client.get("/aanmelden/stap/wie").text)
    again = client.post("/aanmelden/versturen", data={"csrf_token": token})
    assert again.headers["Location"].endswith("/aanmelden/ontvangen"), "sending twice starts nothing"
    assert _cases(engine) == 1


def test_english_form_uses_the_schemas_english_labels_and_sends_english_mail(
        app: Flask, client: FlaskClient, engine: Engine) -> None:
    client.get("/taal/en")
    soup = check_page(client.get("/aanmelden/stap/wie").text)
    assert soup.html.get("lang") == "en"
    assert "Who are you?" in soup.get_text() and "Resident" in soup.get_text()
    assert "Step 1 of 4" in soup.get_text()
    fill_intake(client)
    assert _send(client).status_code == 302
    engine.run_due_jobs()
    assert str(last_mail(app, ALICE)["Subject"]).startswith("We received your initiative")


def test_a_skipped_step_is_caught_on_the_summary(client: FlaskClient, engine: Engine) -> None:
    for step in ("wie", "waar", "afronden"):
        assert post_form(client, f"/aanmelden/stap/{step}", INTAKE_STEPS[step]).status_code == 302
    soup = check_page(client.get("/aanmelden/controleren").text)
    links = [a["href"] for a in soup.find(id="foutmeldingen").find_all("a")]
    assert "/aanmelden/stap/wat#veld-titel" in links
    response = _send(client)
    assert response.status_code == 400
    assert _cases(engine) == 0


def test_uploads_are_checked_kept_and_removable(client: FlaskClient, engine: Engine) -> None:
    fill_intake(client)
    page = client.get("/aanmelden/stap/afronden")
    data = {"csrf_token": csrf_token(page.text), **INTAKE_STEPS["afronden"],
            "bijlagen": [(BytesIO(b"%PDF-1.4 begroting"), "begroting.pdf"), (BytesIO(b"MZ..."), "tool.exe")]}
    response = client.post("/aanmelden/stap/afronden", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    soup = check_page(response.text)
    assert "tool.exe" in soup.find(id="foutmeldingen").get_text()
    assert "begroting.pdf verwijderen" in soup.get_text()
    with engine.db.transaction() as session:
        [document] = session.scalars(select(Document)).all()
        assert document.filename == "begroting.pdf" and document.instance_id is None
    removal = {"csrf_token": csrf_token(response.text), **INTAKE_STEPS["afronden"], "verwijder": document.public_id}
    after = client.post("/aanmelden/stap/afronden", data=removal)
    assert after.status_code == 200 and "begroting.pdf" not in after.text
    again = {"csrf_token": csrf_token(after.text), **INTAKE_STEPS["afronden"],
             "bijlagen": [(BytesIO(b"%PDF-1.4 begroting 2"), "begroting2.pdf")]}
    assert client.post("/aanmelden/stap/afronden", data=again, content_type="multipart/form-data").status_code == 302
    assert "begroting2.pdf" in client.get("/aanmelden/controleren").text
    assert _send(client).status_code == 302
    with engine.db.transaction() as session:
        [document] = session.scalars(select(Document)).all()
        case = session.scalar(select(ProcessInstance))
        assert case is not None and document.instance_id == case.id
        assert case.case_data["bijlagen"] == [document.public_id]


def test_too_large_request_gets_a_clear_page(app: Flask, client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    page = client.get("/aanmelden/stap/afronden")
    data = {"csrf_token": csrf_token(page.text), "bijlagen": [(BytesIO(b"%PDF" + b"x" * 4096), "groot.pdf")]}
    response = client.post("/aanmelden/stap/afronden", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Het bestand is te groot" in check_page(response.text).get_text()


def test_honeypot_gives_a_neutral_page_and_stores_nothing(client: FlaskClient, engine: Engine) -> None:
    response = post_form(client, "/aanmelden/stap/wie", {**INTAKE_STEPS["wie"], "website": "http://spam.example"})
    assert response.status_code == 200
    assert "Dank u wel" in check_page(response.text).get_text()
    with engine.db.transaction() as session:
        assert session.scalars(select(FormDraft)).all() == []
    fill_intake(client)
    page = client.get("/aanmelden/controleren")
    response = client.post("/aanmelden/versturen", data={"csrf_token": csrf_token(page.text), "website": "x"})
    assert "Dank u wel" in response.text
    assert _cases(engine) == 0


def test_save_and_resume_through_an_email_link(app: Flask, client: FlaskClient, engine: Engine) -> None:
    post_form(client, "/aanmelden/stap/wie", INTAKE_STEPS["wie"])
    response = post_form(client, "/aanmelden/stap/wat", {**INTAKE_STEPS["wat"], "actie": "opslaan"})
    assert response.headers["Location"].endswith("/aanmelden/opslaan")
    save = check_page(client.get("/aanmelden/opslaan").text)
    assert save.find(id="veld-email").get("value") == ALICE
    bad = post_form(client, "/aanmelden/opslaan", {"email": "nee"})
    assert bad.status_code == 400 and "foutmeldingen" in bad.text
    sent = post_form(client, "/aanmelden/opslaan", {"email": ALICE})
    assert "Kijk in uw e-mail" in check_page(sent.text).get_text()
    link = link_in(last_mail(app, ALICE))
    assert "/aanmelden/verder/" in link
    assert body(last_mail(app, ALICE)).startswith("Beste Alice de Boer,"), "the name from the draft's answers"
    with engine.db.transaction() as session:
        [draft] = session.scalars(select(FormDraft)).all()
        assert path_of(link).rsplit("/", 1)[-1] not in (draft.resume_token_hash, draft.key)
    other_browser = app.test_client()
    resumed = other_browser.get(path_of(link))
    assert resumed.status_code == 302
    step = check_page(other_browser.get("/aanmelden/stap/wat").text)
    assert step.find(id="veld-titel").get("value") == "Buurtfeest Oosterpark"
    assert app.test_client().get("/aanmelden/verder/verzonnen-token").status_code == 410


def test_previous_keeps_what_was_typed(client: FlaskClient) -> None:
    post_form(client, "/aanmelden/stap/wie", INTAKE_STEPS["wie"])
    response = post_form(client, "/aanmelden/stap/wat", {"titel": "Half af", "actie": "vorige"})
    assert response.headers["Location"].endswith("/aanmelden/stap/wie")
    assert check_page(client.get("/aanmelden/stap/wat").text).find(id="veld-titel").get("value") == "Half af"


def test_confirmation_page_needs_a_submission(client: FlaskClient) -> None:
    assert client.get("/aanmelden/ontvangen").status_code == 302
