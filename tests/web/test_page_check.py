"""The page check every web test client applies (tests/web_support.py) catches what it must."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from engine import Database


def _app() -> Flask:
    app = Flask(__name__)

    @app.get("/zonder-titel")
    def untitled() -> str:
        return '<!doctype html><html lang="nl"><head></head><body><h1>Hoi</h1></body></html>'

    @app.get("/formulier")
    def form_without_token() -> str:
        return ('<!doctype html><html lang="nl"><head><title>Formulier</title></head><body>'
                '<form method="post" action="/x"><button>Verstuur</button></form></body></html>')

    @app.get("/kapot")
    def broken() -> tuple[str, int]:
        return '<!doctype html><html lang="nl"><head><title>Fout</title></head><body></body></html>', 500

    @app.get("/goed")
    def fine() -> str:
        return '<!doctype html><html lang="nl"><head><title>Goed</title></head><body></body></html>'

    return app


@pytest.mark.parametrize("path", ["/zonder-titel", "/formulier", "/kapot"])
def test_a_page_without_title_csrf_token_or_that_crashed_fails_the_test(path: str) -> None:
    with pytest.raises(AssertionError):
        _app().test_client().get(path)


def test_a_good_page_passes() -> None:
    assert _app().test_client().get("/goed").status_code == 200


def test_a_request_that_holds_two_units_of_work_at_once_fails_the_test(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'twee.sqlite3'}")
    app = _app()

    @app.get("/genest")
    def nested() -> str:
        with database.reading() as outer:
            outer.execute(select(1))
            with database.reading() as inner:
                inner.execute(select(1))
        return '<!doctype html><html lang="nl"><head><title>Genest</title></head><body></body></html>'

    @app.get("/na-elkaar")
    def in_turn() -> str:
        for _ in range(2):
            with database.reading() as session:
                session.execute(select(1))
        return '<!doctype html><html lang="nl"><head><title>Na elkaar</title></head><body></body></html>'

    client = app.test_client()
    assert client.get("/na-elkaar").status_code == 200
    with pytest.raises(AssertionError, match="held 2 connections"):
        client.get("/genest")
    database.dispose()
