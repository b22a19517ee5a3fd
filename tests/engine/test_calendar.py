"""Business calendar: norms in working days skip weekends and Dutch public holidays, and the
``werkdagen(n)`` expression in a timer follows that calendar under the engine clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from engine import clock
from engine.calendar import add_working_days, is_working_day, working_days_between
from engine.scripting import werkdagen
from engine.service import Engine
from tests.factories import create_deployed_engine, create_instance


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 4, 27), "Koningsdag (a Monday in 2026)"),
        (date(2025, 12, 25), "Eerste Kerstdag"),
        (date(2025, 12, 26), "Tweede Kerstdag"),
        (date(2026, 4, 6), "Tweede Paasdag"),
        (date(2026, 5, 25), "Tweede Pinksterdag"),
        (date(2026, 5, 14), "Hemelvaartsdag"),
        (date(2026, 1, 1), "Nieuwjaarsdag"),
        (date(2026, 4, 25), "a Saturday"),
        (date(2026, 4, 26), "a Sunday"),
    ],
)
def test_holidays_and_weekends_are_not_working_days(day: date, why: str) -> None:
    assert is_working_day(day) is False, why


@pytest.mark.parametrize("day", [date(2026, 4, 28), date(2026, 4, 24), date(2025, 12, 24), date(2026, 5, 26)])
def test_ordinary_weekdays_are_working_days(day: date) -> None:
    assert is_working_day(day) is True


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Friday before Koningsdag: skip Sat, Sun and Monday 27 April
        (datetime(2026, 4, 24, 9, 30, tzinfo=UTC), 1, datetime(2026, 4, 28, 9, 30, tzinfo=UTC)),
        (datetime(2026, 4, 24, 9, 30, tzinfo=UTC), 2, datetime(2026, 4, 29, 9, 30, tzinfo=UTC)),
        # Christmas Eve: skip both Christmas days and the weekend
        (datetime(2025, 12, 24, 16, 0, tzinfo=UTC), 1, datetime(2025, 12, 29, 16, 0, tzinfo=UTC)),
        # Easter Saturday: skip Easter Sunday and Easter Monday
        (datetime(2026, 4, 4, 10, 0, tzinfo=UTC), 1, datetime(2026, 4, 7, 10, 0, tzinfo=UTC)),
        # Friday before Pentecost: skip the weekend and Pentecost Monday
        (datetime(2026, 5, 22, 8, 0, tzinfo=UTC), 1, datetime(2026, 5, 26, 8, 0, tzinfo=UTC)),
        # an ordinary week: 5 working days = one week
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), 5, datetime(2026, 3, 9, 12, 0, tzinfo=UTC)),
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), 10, datetime(2026, 3, 16, 12, 0, tzinfo=UTC)),
        (datetime(2026, 3, 2, 12, 0, tzinfo=UTC), 0, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)),
    ],
)
def test_add_working_days(start: datetime, days: int, due: datetime) -> None:
    assert add_working_days(start, days) == due


def test_negative_norm_is_rejected() -> None:
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 2, tzinfo=UTC), -1)


def test_working_days_between_counts_after_start_up_to_end() -> None:
    assert working_days_between(date(2026, 4, 24), date(2026, 4, 29)) == 2  # Tue 28 and Wed 29
    assert working_days_between(date(2025, 12, 24), date(2025, 12, 31)) == 3  # 29, 30, 31
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_werkdagen_expression_uses_the_engine_clock() -> None:
    clock.set_time(datetime(2025, 12, 24, 9, 0, tzinfo=UTC))
    assert datetime.fromisoformat(werkdagen(1)) == datetime(2025, 12, 29, 9, 0, tzinfo=UTC)
    assert datetime.fromisoformat(werkdagen(3)) == datetime(2025, 12, 31, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_deployed_engine(database_url, "simple.bpmn")
    yield engine
    engine.db.dispose()


def test_werkdagen_timer_skips_weekend_and_koningsdag(engine: Engine) -> None:
    # simple.bpmn: the norm of 'Beoordelen' is a boundary timer with timeDate werkdagen(2)
    friday = datetime(2026, 4, 24, 9, 0, tzinfo=UTC)
    clock.set_time(friday)
    info = create_instance(engine, email="")
    [task] = engine.open_tasks(instance_id=info.id)
    due = datetime(2026, 4, 29, 9, 0, tzinfo=UTC)  # Sat, Sun, Koningsdag skipped: Tue + Wed
    assert task.due_at == due
    assert task.overdue is False

    clock.set_time(datetime(2026, 4, 28, 17, 0, tzinfo=UTC))  # two calendar days would be overdue
    assert engine.run_due_jobs() == 0
    assert engine.open_tasks(instance_id=info.id)[0].overdue is False

    clock.set_time(due + timedelta(minutes=1))
    assert engine.run_due_jobs() == 1
    [task] = engine.open_tasks(instance_id=info.id)
    assert task.overdue is True
    assert engine.instance(info.id).state == "running"  # non-interrupting: the task stays


def test_diagram_norms_are_bounded() -> None:
    """A typo such as werkdagen(100000) must fail the step, not hang the worker."""
    import pytest

    from engine.scripting import MAX_DAYS, dagen, werkdagen

    assert werkdagen(MAX_DAYS) > werkdagen(0)
    with pytest.raises(ValueError, match="tussen 0 en"):
        werkdagen(MAX_DAYS + 1)
    with pytest.raises(ValueError):
        dagen(-1)
