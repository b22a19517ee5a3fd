"""The monitoring's facts: one typed row per initiative (``case_fact``) and one per completed task
(``step_fact``), so the dashboard counts grouped columns with indexes instead of reading case
data and audit details (JSON) row by row.

Every step of an initiative keeps them in its own transaction (the engine's step hook, see
:mod:`processes.facts.rules`); ``loket db upgrade`` fills them for initiatives that were
there before (:mod:`processes.facts.fill`); the generated history writes them itself.
Lead times are stored in working days (weekends and Dutch public holidays skipped, as the
service-norm timers count) and in calendar days, worked out once when the step is written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from engine import Base, UtcDateTime

TEXT_LENGTH = 200
"""The longest text a fact keeps (longer case data is cut, never refused)."""
COMMENTED = text("commented_at IS NOT NULL")
ASKED = text("asked > 0")


class CaseFact(Base):
    """One initiative: where it came from, what it is, how far it got, and how long it took."""

    __tablename__ = "case_fact"
    __table_args__ = (
        Index("ix_case_fact_created", "created_at"),
        Index("ix_case_fact_category", "category", "created_at"),
        Index("ix_case_fact_district", "district", "created_at"),
        # The days of a month a period covers in part, of one category in one district: just those
        # initiatives (not the district's of every category), and their ids from the index alone.
        Index("ix_case_fact_category_district", "category", "district", "created_at", "instance_id"),
        Index("ix_case_fact_commented", "commented_at", sqlite_where=COMMENTED, postgresql_where=COMMENTED),
        # The questions' figures read only the initiatives that were asked one (a few in ten).
        Index("ix_case_fact_asked", "created_at", "asked", "answered", "withdrawn", "first_asked_at",
              "first_answered_at", "asked_work", "answered_work", sqlite_where=ASKED, postgresql_where=ASKED),
    )

    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"),
                                             primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    month: Mapped[str] = mapped_column(String(7))
    """``YYYY-MM`` of ``created_at`` (UTC)."""
    created_work: Mapped[int] = mapped_column(Integer)
    """The working-day number of the day it came in (:func:`processes.facts.workdays.day_number`)."""
    state: Mapped[str] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    suggested: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    """The category the rules suggested."""
    rule: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    district: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    kind: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    """The kind of initiator."""
    channel: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    outcome: Mapped[str | None] = mapped_column(String(TEXT_LENGTH))
    score: Mapped[int | None] = mapped_column(Integer)
    """The survey's score."""
    commented_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """Since when the survey has a comment (None: no comment)."""
    withdrawn: Mapped[bool] = mapped_column(Boolean)
    """Withdrawn for lack of an answer to a question."""
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When a completed task first set the outcome."""
    decision_days: Mapped[int | None] = mapped_column(Integer)
    """Working days from the day it came in to the day of the decision."""
    asked: Mapped[int] = mapped_column(Integer)
    """How often a completed task asked the initiator for more information."""
    first_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    asked_work: Mapped[int | None] = mapped_column(Integer)
    """The working-day number of the day of the first question."""
    answered: Mapped[int] = mapped_column(Integer)
    """How many answers (messages) the initiator sent."""
    first_answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_work: Mapped[int | None] = mapped_column(Integer)


class StepFact(Base):
    """One completed task of an initiative, with how long it was open."""

    __tablename__ = "step_fact"
    __table_args__ = (
        Index("ix_step_fact_period", "created_at", "process", "element", "work_days", "calendar_days"),
        Index("ix_step_fact_step", "process", "element", "work_days", "calendar_days"),
        # An initiative's steps (the cascade of a deleted one) and, for the days of a month a
        # period covers in part, what they count, from the index alone.
        Index("ix_step_fact_case", "instance_id", "created_at", "process", "element", "work_days", "calendar_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    case_ref: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the initiative came in (the period filter of the dashboard)."""
    process: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    element: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    done_at: Mapped[datetime] = mapped_column(UtcDateTime)
    seconds: Mapped[int] = mapped_column(Integer)
    work_days: Mapped[int] = mapped_column(Integer)
    """Working days from the day the task was opened to the day it was completed."""
    calendar_days: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(TEXT_LENGTH))
