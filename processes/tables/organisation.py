"""Organisation data a beheerder edits: districts, teams, guides, yearly budgets and the fund.

Budget reservations and guide assignments are written by the handlers in this package.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, Numeric, String, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import Base, UtcDateTime

Money = Numeric(12, 2)


class District(Base):
    """A wijk: ``oost``, ``west`` or ``centrum``."""

    __tablename__ = "org_district"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    """The name on the English pages, when it differs ("Centre" for "Centrum")."""
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """Offered on the start form; a district switched off keeps its cases and history."""


class Team(Base):
    """A group that picks up tasks (``candidateGroups`` in the diagrams use its code)."""

    __tablename__ = "org_team"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    lead_email: Mapped[str | None] = mapped_column(String(254))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("org_district.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """Can get tasks (models may name it as a candidate group); switched off, it keeps its history."""
    notify: Mapped[str] = mapped_column(String(10), default="each", server_default=text("'each'"))
    """How the team hears of work arriving in its queue (``processes.vocabulary.TEAM_SETTINGS``):
    ``each`` (a mail per task), ``daily`` (one overview a day) or ``none``."""
    notify_email: Mapped[str | None] = mapped_column(String(254))
    """The team's shared mailbox for these mails; empty: every active member gets them."""
    digest_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When the last daily overview went out (the next one lists what arrived since)."""


class Guide(Base):
    """A begeleider (casist): the single contact person of a complex initiative."""

    __tablename__ = "org_guide"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("org_district.code"))
    expertise: Mapped[str] = mapped_column(String(400), default="")  # comma-separated codes
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def expertise_list(self) -> list[str]:
        return [item.strip() for item in self.expertise.split(",") if item.strip()]

    def has_expertise(self, code: str) -> bool:
        return code in self.expertise_list


class GuideAssignment(Base):
    """A guide coupled to a case; open while ``closed_at`` is empty (the guide's load)."""

    __tablename__ = "org_guide_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(40), index=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("org_guide.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    guide: Mapped[Guide] = relationship()


class DistrictBudget(Base):
    """The yearly budget for wijkwensen of one district; ``reserved`` is what is promised."""

    __tablename__ = "org_district_budget"
    __table_args__ = (UniqueConstraint("district_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_code: Mapped[str] = mapped_column(ForeignKey("org_district.code"))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    reserved: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.reserved


class Fund(Base):
    """The Initiatievenfonds of one year; ``granted`` is what is promised."""

    __tablename__ = "org_fund"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="Initiatievenfonds")
    total: Mapped[Decimal] = mapped_column(Money)
    granted: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))

    @property
    def remaining(self) -> Decimal:
        return self.total - self.granted


class BudgetReservation(Base):
    """Money held for one case, from a district budget (``pot='district'``) or the fund.

    At most one reservation per case and pot is active (``released_at`` empty)."""

    __tablename__ = "org_budget_reservation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(40), index=True)
    pot: Mapped[str] = mapped_column(String(20))  # district | fund
    district_code: Mapped[str | None] = mapped_column(ForeignKey("org_district.code"))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
