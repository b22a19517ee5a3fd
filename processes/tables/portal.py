"""Tables of the initiator portal: single-use login links and start-form drafts.

Secrets are never stored: a login link or resume link carries a random token, the table
keeps only its SHA-256 hash (the token has 256 bits of entropy, so a fast hash suffices)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from engine import Base, UtcDateTime


class LoginToken(Base):
    """A login link for "Mijn initiatieven": valid once, for a short time."""

    __tablename__ = "portal_login_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    next_path: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class FormDraft(Base):
    """A start form being filled in. ``key`` ties it to the browser session and to the
    documents uploaded so far (``case_document.draft_key``); the resume link's token is
    stored as a hash only. Deleted when the initiative is sent, or when it expires."""

    __tablename__ = "portal_form_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    form_id: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    email: Mapped[str | None] = mapped_column(String(254))
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    submitting_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
