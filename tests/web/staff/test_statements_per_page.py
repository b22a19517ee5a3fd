"""How many SQL statements the main staff pages send, a second time (what a process keeps is
kept by then): an upper bound per page, so a change that reads per row or loads the same
thing twice shows up here. Counting statements is deterministic; time is not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from engine.service import Engine
from tests.web.staff.support import BEHEER, GROEN, INTAKE, green_case, login_as, start
from web import loket_of

BOUNDS = {
    "/medewerker/": 3,
    "/medewerker/werkvoorraad": 6,
    "/medewerker/taken": 5,
    "task page": 7,
    "case page": 12,
}
"""Statements at most (login check 1, names 1, forms in use 1, and what the page itself shows);
before issue 16 the queue sent 16, the task page 20 and the case page 23."""
ADMIN_BOUNDS = {
    "/medewerker/beheer": 2,
    "/medewerker/beheer/wijken": 4,
    "/medewerker/beheer/teams": 4,
    "/medewerker/beheer/teams/team-groen": 4,
    "/medewerker/beheer/begeleiders": 6,
    "/medewerker/beheer/begeleiders/1": 6,
    "/medewerker/beheer/budgetten": 5,
    "/medewerker/beheer/fonds": 4,
    "/medewerker/beheer/wijzigingen": 4,
    "/medewerker/beheer/inzage-kcc": 2,
}
"""The beheer overview (login check and one statement for all its figures) and each beheer page
(login check, names 2, and its own subject: the guides with their load and the districts to
choose from, the budgets with the districts; a team or a guide on its own page); before issue 16
one page read all of them."""


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    database = loket_of(app).engine.db.engine

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(database, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database, "before_cursor_execute", count)


def statements_of(app: Flask, client: FlaskClient, path: str) -> list[str]:
    assert client.get(path).status_code == 200, path
    with counted(app) as statements:
        assert client.get(path).status_code == 200, path
    return statements


def test_the_main_pages_send_few_statements(app: Flask, client: FlaskClient, engine: Engine) -> None:
    green = green_case(engine, titel="Geveltuin Kerkstraat")
    intake = start(engine)
    pages = {
        INTAKE: {"/medewerker/": "/medewerker/", "/medewerker/werkvoorraad": "/medewerker/werkvoorraad",
                 "/medewerker/taken": "/medewerker/taken",
                 "task page": f"/medewerker/taken/{intake.task('categorie_bevestigen').task_id}",
                 "case page": f"/medewerker/dossier/{intake.info.case_ref}"},
        GROEN: {"task page": f"/medewerker/taken/{green.task('groen_beoordelen').task_id}",
                "case page": f"/medewerker/dossier/{green.info.case_ref}"},
    }
    found = {}
    for email, paths in pages.items():
        login_as(client, app, email)
        for name, path in paths.items():
            found[(email, name)] = len(statements_of(app, client, path))
    assert all(count <= BOUNDS[name] for (_email, name), count in found.items()), found


def test_the_beheer_pages_send_few_statements(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    found = {path: len(statements_of(app, client, path)) for path in ADMIN_BOUNDS}
    assert all(count <= ADMIN_BOUNDS[path] for path, count in found.items()), found


def test_the_login_check_is_one_statement(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, INTAKE)
    statements = statements_of(app, client, "/medewerker/wachtwoord")
    assert len(statements) == 1 and "login_session" in statements[0]
