"""SQLite transactions: a unit of work that only reads starts a deferred transaction (in WAL
mode a reader never waits for a writer); only writes take the write lock; and a request never
holds two units of work at once."""

from __future__ import annotations

import threading

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from engine.service import Engine
from processes.loket import Loket
from processes.tables.organisation import District
from tests.web.public.support import log_in
from tests.web.staff.support import GROEN, INTAKE, green_case, login_as


def test_a_logged_in_staff_member_opens_the_public_start_form(app: Flask, client: FlaskClient) -> None:
    """The page's own unit of work used to hold the write lock while the login loaded the staff
    member in a second one: five seconds of waiting, then "database is locked" and a 500."""
    login_as(client, app, INTAKE)
    response = client.get("/aanmelden", follow_redirects=True)
    assert response.status_code == 200 and 'name="csrf_token"' in response.text
    for path in ("/", "/indeling", "/inloggen", "/aanmelden/controleren", "/medewerker/"):
        assert client.get(path, follow_redirects=True).status_code == 200, path


def test_eight_readers_answer_while_a_long_write_holds_the_lock(app: Flask, loket: Loket, engine: Engine) -> None:
    case = green_case(engine)
    task_id = case.task("groen_beoordelen").task_id
    pages = ["/", "/indeling", f"/mijn-initiatieven/{case.info.case_ref}", "/aanmelden/stap/wie",
             "/medewerker/", "/medewerker/werkvoorraad", f"/medewerker/dossier/{case.info.case_ref}",
             f"/medewerker/taken/{task_id}"]
    clients = []
    for path in pages:
        client = app.test_client()
        if path.startswith("/mijn-initiatieven"):
            log_in(client, engine, "initiatiefnemer@example.nl")
        elif path.startswith("/medewerker"):
            login_as(client, app, GROEN)
        clients.append(client)
    holding, release = threading.Event(), threading.Event()

    def long_write() -> None:
        with loket.transaction() as session:
            session.execute(update(District).values(name=District.name))  # takes the write lock
            holding.set()
            release.wait(60)

    writer = threading.Thread(target=long_write)
    writer.start()
    assert holding.wait(10)
    answers: dict[str, int] = {}

    def read(client: FlaskClient, path: str) -> None:
        answers[path] = client.get(path).status_code

    readers = [threading.Thread(target=read, args=(client, path)) for client, path in zip(clients, pages, strict=True)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(30)
    all_answered_during_the_write = writer.is_alive() and not any(reader.is_alive() for reader in readers)
    release.set()
    writer.join(30)
    assert all_answered_during_the_write
    assert answers == dict.fromkeys(pages, 200)
