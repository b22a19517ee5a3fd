"""The retention policy (AVG): per category, how long after an initiative is closed its
attachments and its personal data are kept. A beheerder sets it; the worker applies it
(:mod:`processes.retention`). A category without a row keeps the defaults of
:data:`processes.retention.DEFAULTS`."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine import Base


class RetentionPolicy(Base):
    """``category``: ``eenvoudig``, ``wijkwens`` or ``complex``. Months count from the day the
    initiative was closed (decided, withdrawn or stopped)."""

    __tablename__ = "org_retention"

    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    anonymise_months: Mapped[int] = mapped_column(Integer)
    """After this many months the initiator's name, contact details and free texts are replaced."""
    attachments_months: Mapped[int] = mapped_column(Integer)
    """After this many months the contents of the attachments are deleted."""


class LogRetention(Base):
    """How long the access log of personal data (:class:`processes.tables.staff.KccAccess`) is
    kept: one row (``name`` ``inzagelog``) once a beheerder set it; without it the default of
    :mod:`processes.log_retention` applies."""

    __tablename__ = "org_log_retention"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)
