"""Attachments when registering on behalf: stored with the start, never when the form is wrong."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from engine.tables import ProcessInstance
from processes.documents import Upload, UploadRejected
from processes.errors import InvalidInput
from processes.intake import SubmissionFailed, SubmissionRejected, register_on_behalf
from processes.loket import Loket
from processes.tables.case import Document
from tests.processes.factories import intake_data
from tests.web.staff.support import KCC, login_as, register_form
from tests.web_support import check_page, csrf_token

PDF = b"%PDF-1.4 tekening van het bankje"
PNG = b"\x89PNG\r\n\x1a\n foto"


def documents(engine: Engine) -> list[tuple[int | None, str | None, str, str]]:
    with engine.db.transaction() as session:
        rows = session.scalars(select(Document).order_by(Document.id)).all()
        return [(row.instance_id, row.draft_key, row.filename, row.uploaded_by) for row in rows]


def cases(engine: Engine) -> int:
    with engine.db.transaction() as session:
        return len(session.scalars(select(ProcessInstance.id)).all())


# service ---------------------------------------------------------------------------------------
def test_uploads_become_the_attachments_of_the_new_case(loket: Loket, engine: Engine) -> None:
    uploads = [Upload("tekening.pdf", PDF), Upload("foto.png", PNG)]
    info = register_on_behalf(loket, intake_data(), channel="balie", actor=KCC, uploads=uploads)
    stored = documents(engine)
    assert stored == [(info.id, None, "tekening.pdf", KCC), (info.id, None, "foto.png", KCC)]
    with engine.db.transaction() as session:
        ids = list(session.scalars(select(Document.public_id).order_by(Document.id)).all())
    assert info.data["bijlagen"] == ids


def test_ids_typed_into_the_form_are_never_attachments(loket: Loket, engine: Engine) -> None:
    info = register_on_behalf(loket, intake_data(bijlagen=["iemand-anders-bestand"]), channel="balie", actor=KCC)
    assert "bijlagen" not in info.data


def test_rejected_answers_leave_no_files_behind(loket: Loket, engine: Engine) -> None:
    with pytest.raises(SubmissionRejected):
        register_on_behalf(loket, intake_data(email=""), channel="telefoon", actor=KCC,
                           uploads=[Upload("tekening.pdf", PDF)])
    assert documents(engine) == [] and cases(engine) == 0


def test_a_failed_start_leaves_no_files_behind(loket: Loket, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("database weg")

    monkeypatch.setattr(engine, "start", broken)
    with pytest.raises(SubmissionFailed):
        register_on_behalf(loket, intake_data(), channel="telefoon", actor=KCC, uploads=[Upload("tekening.pdf", PDF)])
    assert documents(engine) == [] and cases(engine) == 0


def test_a_wrong_file_stores_nothing(loket: Loket, engine: Engine) -> None:
    with pytest.raises(UploadRejected):
        register_on_behalf(loket, intake_data(), channel="balie", actor=KCC,
                           uploads=[Upload("tekening.pdf", PDF), Upload("tool.exe", b"MZ...")])
    with pytest.raises(InvalidInput, match="too_many_files"):
        register_on_behalf(loket, intake_data(), channel="balie", actor=KCC,
                           uploads=[Upload(f"{n}.pdf", PDF) for n in range(6)])
    assert documents(engine) == [] and cases(engine) == 0


# routes ----------------------------------------------------------------------------------------
def post(client: FlaskClient, files: list[tuple[BytesIO, str]], **overrides: str) -> tuple[int, str, str]:
    token = csrf_token(client.get("/medewerker/aanmelden").text)
    data: dict[str, Any] = {"csrf_token": token, **register_form(**overrides), "bijlagen": files}
    response = client.post("/medewerker/aanmelden", data=data, content_type="multipart/form-data")
    return response.status_code, response.headers.get("Location", ""), response.text


def summary(html: str) -> dict[str, str]:
    soup = check_page(html)
    box = soup.find(id="foutmeldingen")
    assert box is not None
    return {str(link["href"]): link.get_text(strip=True) for link in box.find_all("a")}


def test_register_with_attachments_through_the_form(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, KCC)
    status, location, _ = post(client, [(BytesIO(PDF), "tekening.pdf"), (BytesIO(PNG), "foto.png")])
    assert status == 302
    case_ref = location.split("/")[-2]
    with engine.db.transaction() as session:
        case = session.scalar(select(ProcessInstance).where(ProcessInstance.case_ref == case_ref))
        assert case is not None
        linked = session.scalars(select(Document.filename).where(Document.instance_id == case.id)
                                 .order_by(Document.id)).all()
        assert list(linked) == ["tekening.pdf", "foto.png"] and len(case.case_data["bijlagen"]) == 2


def test_a_wrong_file_is_a_field_error_and_nothing_is_stored(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, KCC)
    status, _, text = post(client, [(BytesIO(PDF), "tekening.pdf"), (BytesIO(b"MZ..."), "tool.exe")])
    assert status == 400
    errors = summary(text)
    assert list(errors) == ["#veld-bijlagen"]
    assert "tool.exe: dit soort bestand kunnen we niet aannemen." in errors["#veld-bijlagen"]
    field = BeautifulSoup(text, "html.parser").find(id="veld-bijlagen")
    assert field is not None and field.get("aria-invalid") == "true"
    assert 'value="Henk de Bakker"' in text
    assert documents(engine) == [] and cases(engine) == 0


def test_too_large_and_too_many_files_are_field_errors(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, KCC)
    big = b"%PDF" + b"x" * (10 * 1024 * 1024)
    status, _, text = post(client, [(BytesIO(big), "groot.pdf")])
    assert status == 400 and "groot.pdf: het bestand is groter dan 10 MB." in summary(text)["#veld-bijlagen"]
    status, _, text = post(client, [(BytesIO(PDF), f"{n}.pdf") for n in range(6)])
    assert status == 400 and "U kunt hoogstens 5 bestanden toevoegen." in summary(text)["#veld-bijlagen"]
    assert documents(engine) == [] and cases(engine) == 0


def test_good_files_with_a_wrong_answer_are_not_kept(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, KCC)
    status, _, text = post(client, [(BytesIO(PDF), "tekening.pdf")], email="")
    assert status == 400
    errors = summary(text)
    assert "#veld-email" in errors
    assert errors["#veld-bijlagen"] == "Kies de bijlagen opnieuw. We bewaren bijlagen pas als alle antwoorden kloppen."
    assert documents(engine) == [] and cases(engine) == 0
