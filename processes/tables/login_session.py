"""Login sessions kept on the server: the cookie only carries a random token, so logging out
(or an administrator switching an account off) ends the session for every copy of the cookie."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine import Base, UtcDateTime


class LoginSession(Base):
    """One login of an employee (``staff_user_id``) or of an initiator (``initiator_email``),
    valid until ``expires_at`` or until it is deleted (logout, new password, account off).

    Only the SHA-256 hash of the cookie's token is stored (256 random bits: a fast hash
    suffices), so a copy of this table opens no session."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    initiator_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
