"""Uploads: checked type and size, stored with the case, listed and downloaded."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlalchemy import LargeBinary, func, select
from sqlalchemy.orm import Session, defer

from processes import clock
from processes.tables.case import Document

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
CHUNK_BYTES = 256 * 1024
"""A download is read and sent in pieces of this size, never held whole."""
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
}
_SIGNATURES = {
    "application/pdf": (b"%PDF",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/vnd.oasis.opendocument.text": (b"PK\x03\x04",),
}


class UploadRejected(ValueError):
    """The file may not be stored; the message says what to do instead (Dutch, English)."""

    def __init__(self, message_nl: str, message_en: str) -> None:
        self.message_nl = message_nl
        self.message_en = message_en
        super().__init__(message_nl)

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" else self.message_nl


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def check_upload(upload: Upload) -> str:
    """The content type of an acceptable upload; raises UploadRejected otherwise."""
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = ALLOWED_TYPES.get(suffix)
    kinds = "PDF, JPG, PNG, DOCX, XLSX, ODT, TXT"
    if content_type is None:
        raise UploadRejected(f"{name}: dit soort bestand kunnen we niet aannemen. Gebruik {kinds}.",
                             f"{name}: we cannot accept this kind of file. Use {kinds}.")
    if not upload.content:
        raise UploadRejected(f"{name}: het bestand is leeg.", f"{name}: the file is empty.")
    if len(upload.content) > MAX_FILE_BYTES:
        raise UploadRejected(f"{name}: het bestand is groter dan 10 MB. Kies een kleiner bestand.",
                             f"{name}: the file is larger than 10 MB. Choose a smaller file.")
    signatures = _SIGNATURES.get(content_type)
    if signatures and not upload.content.startswith(signatures):
        raise UploadRejected(f"{name}: de inhoud past niet bij het soort bestand. Sla het opnieuw op en probeer weer.",
                             f"{name}: the content does not match the file type. Save it again and retry.")
    return content_type


def store_document(
    session: Session, upload: Upload, *, uploaded_by: str, instance_id: int | None = None,
    draft_key: str | None = None, purpose: str | None = None,
) -> Document:
    content_type = check_upload(upload)
    document = Document(
        public_id=str(uuid.uuid4()),
        instance_id=instance_id,
        draft_key=draft_key,
        filename=upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255],
        content_type=content_type,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        content=upload.content,
        uploaded_by=uploaded_by,
        uploaded_at=clock.now(),
        purpose=purpose,
    )
    session.add(document)
    session.flush()
    return document


def documents_of(session: Session, instance_id: int) -> list[Document]:
    """The files of a case, without their content (reading it from one of these is an error)."""
    query = (select(Document).options(defer(Document.content, raiseload=True))
             .where(Document.instance_id == instance_id).order_by(Document.uploaded_at))
    return list(session.scalars(query).all())


def content_chunks(reading: Callable[[], AbstractContextManager[Session]], document_id: int,
                   size: int) -> Iterator[bytes]:
    """The content of a document piece by piece, each read in a short unit of work of its own
    (a stored document never changes), so a download holds neither a 10 MB value nor a
    transaction while the client receives it."""
    for start in range(0, size, CHUNK_BYTES):
        with reading() as session:
            piece = session.scalar(select(func.substr(Document.content, start + 1, CHUNK_BYTES, type_=LargeBinary))
                                   .where(Document.id == document_id))
        if not piece:
            return
        yield bytes(piece)


def attach_draft_documents(session: Session, draft_key: str, instance_id: int) -> int:
    """Link documents uploaded while filling in the start form to the new case."""
    documents = session.scalars(select(Document).where(Document.draft_key == draft_key)).all()
    for document in documents:
        document.instance_id = instance_id
        document.draft_key = None
    return len(documents)
