"""The process owner's drafts: a file of the model bundle being edited, kept on the server per
owner until it is put into use (or thrown away). One draft per owner and file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import Base, UtcDateTime


class StudioDraft(Base):
    """``name`` is the file's place in the bundle (``wijkwens.bpmn``, ``texts/bevestiging.nl.txt``);
    ``owner`` the e-mail address of the employee whose draft it is (in lower case). Nobody else
    sees it; deploying the file deletes it."""

    __tablename__ = "studio_draft"
    __table_args__ = (UniqueConstraint("owner", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
