"""The message thread between initiator and staff."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from processes import clock
from processes.tables.case import CaseMessage

MAX_MESSAGE_CHARS = 5000


class MessageRejected(ValueError):
    pass


def post_message(session: Session, instance_id: int, *, author: str, body: str, from_initiator: bool) -> CaseMessage:
    text = body.strip()
    if not text:
        raise MessageRejected("Schrijf eerst een bericht.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise MessageRejected(f"Uw bericht is te lang. Gebruik hoogstens {MAX_MESSAGE_CHARS} tekens.")
    message = CaseMessage(instance_id=instance_id, from_initiator=from_initiator, author=author, body=text,
                          created_at=clock.now())
    session.add(message)
    session.flush()
    return message


def thread(session: Session, instance_id: int) -> list[CaseMessage]:
    query = select(CaseMessage).where(CaseMessage.instance_id == instance_id).order_by(CaseMessage.created_at)
    return list(session.scalars(query).all())
