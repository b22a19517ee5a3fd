"""A file's size reads the same for the initiator (Mijn initiatieven) and for staff (the case
file): one formatter, in the reader's language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine
from processes.documents import Upload, store_document
from tests.web.public.support import ALICE, log_in, start_case
from tests.web.staff.support import INTAKE, login_as
from tests.web_support import check_page


@pytest.mark.parametrize(("size", "nl", "en"), [(1500, "2 kB", "2 kB"), (2_700_000, "2,6 MB", "2.6 MB")])
def test_initiator_and_staff_read_the_same_size(app: Flask, engine: Engine, size: int, nl: str, en: str) -> None:
    case = start_case(engine)
    with engine.db.transaction() as session:
        store_document(session, Upload("tekening.pdf", b"%PDF-1.4 " + b"x" * (size - 9)), uploaded_by=ALICE,
                       instance_id=case.id)
    initiator, staff = app.test_client(), app.test_client()
    log_in(initiator, engine, ALICE)
    login_as(staff, app, INTAKE)
    for lang, expected in (("nl", nl), ("en", en)):
        for client, url in ((initiator, f"/mijn-initiatieven/{case.case_ref}"),
                            (staff, f"/medewerker/dossier/{case.case_ref}")):
            client.get(f"/taal/{lang}")
            text = " ".join(check_page(_get(client, url)).get_text(" ").split())
            assert f"tekening.pdf ({expected}," in text, (lang, url)


def _get(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text
