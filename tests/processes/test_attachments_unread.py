"""A case page lists its files without reading what is in them; a download reads a file piece
by piece (on SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import InvalidRequestError

from engine import Engine
from processes import casefile
from processes.documents import CHUNK_BYTES, Upload, documents_of, store_document
from processes.loket import Loket
from tests.web.staff.support import INTAKE, principal, start

BIG = 3 * 1024 * 1024


def attach_large_files(loket: Loket, instance_id: int) -> list[bytes]:
    contents = [b"%PDF-1.4\n" + os.urandom(BIG) for _ in range(3)]
    with loket.transaction() as session:
        for number, content in enumerate(contents):
            store_document(session, Upload(f"plan-{number}.pdf", content), uploaded_by=INTAKE, instance_id=instance_id)
    return contents


def test_the_case_page_reads_no_file_content(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    attach_large_files(loket, case.id)
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine.db.engine, "before_cursor_execute", record)
    try:
        page = casefile.open_case_file(loket, principal(engine, INTAKE), case.info.case_ref)
    finally:
        event.remove(engine.db.engine, "before_cursor_execute", record)
    assert [(d.filename, d.size) for d in page.documents] == [(f"plan-{n}.pdf", BIG + 9) for n in range(3)]
    reads_documents = [statement for statement in sent if "FROM case_document" in statement]
    assert reads_documents and not any(re.search(r"case_document\.content\b", statement)
                                       for statement in reads_documents)


def test_a_listed_document_refuses_to_load_its_content(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    attach_large_files(loket, case.id)
    with loket.reading() as session:
        listed = documents_of(session, case.id)
        with pytest.raises(InvalidRequestError):
            _ = listed[0].content


def test_a_download_comes_in_pieces_and_whole(loket: Loket, engine: Engine) -> None:
    case = start(engine)
    contents = attach_large_files(loket, case.id)
    with loket.reading() as session:
        public_id = documents_of(session, case.id)[1].public_id
    found = casefile.case_document(loket, principal(engine, INTAKE), case.info.case_ref, public_id)
    pieces = list(found.content)
    assert len(pieces) == -(-(BIG + 9) // CHUNK_BYTES) and max(len(piece) for piece in pieces) == CHUNK_BYTES
    assert b"".join(pieces) == contents[1] and found.size == len(contents[1])
