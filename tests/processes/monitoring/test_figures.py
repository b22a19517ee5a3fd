"""Every figure of the dashboard against the small history of ``factories`` worked out by hand
(a norm across Christmas and New Year included), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from processes.access import PROCESBEHEERDER, Principal
from processes.errors import AccessDenied
from processes.loket import Loket
from processes.monitoring import Filters, Scope, dashboard, may_monitor, scope_of
from processes.monitoring.sql import percentile

PILOT = Filters(date(2025, 12, 1), date(2026, 1, 31))


def test_initiatives_are_counted_per_month_category_district_kind_and_channel(history: Loket) -> None:
    found = dashboard(history, PILOT, Scope()).volumes
    assert found.total == 3
    assert found.per_month == {"2025-12": 1, "2026-01": 2}
    assert found.per_category == {"complex": 1, "eenvoudig": 2}
    assert found.per_district == {"oost": 2, "west": 1}
    assert found.per_kind == {"bedrijf": 1, "inwoner": 2}
    assert found.per_channel == {"online": 2, "telefoon": 1}
    assert found.per_state == {"completed": 1, "running": 2}


def test_step_lead_times_count_working_days_without_the_holidays(history: Loket) -> None:
    steps = dashboard(history, PILOT, Scope()).steps
    confirm = steps["initiatief/categorie_bevestigen"]
    assert confirm.counts == {3: 1, 0: 1, 1: 1, 5: 1}  # 22 → 29 Dec is 3 working days (Christmas)
    assert (confirm.norm.amount if confirm.norm else None) == 5
    assert (confirm.within_norm, confirm.within_norm_share) == (4, 1.0)
    assert confirm.median == 2.0
    assert confirm.p80 == pytest.approx(3.8)
    green = steps["eenvoudig/groen_beoordelen"]
    assert green.counts == {13: 1}  # 1 January is a holiday too
    assert (green.within_norm, green.within_norm_share) == (0, 0.0)
    assert [row.key for row in dashboard(history, PILOT, Scope()).slowest][:2] == [
        "eenvoudig/groen_beoordelen", "initiatief/categorie_bevestigen"]


def test_end_to_end_lead_time_per_category_against_the_added_norms(history: Loket) -> None:
    cases = dashboard(history, PILOT, Scope()).cases
    assert set(cases) == {"eenvoudig"}
    green = cases["eenvoudig"]
    assert green.counts == {16: 1}
    assert green.norm is not None and green.norm.amount == 15
    assert green.within_norm == 0


def test_open_work_questions_rules_satisfaction_and_budgets(history: Loket) -> None:
    found = dashboard(history, PILOT, Scope())
    work = {row.team: (row.open, row.overdue, row.unassigned) for row in found.work}
    assert work == {"initiatieventeam": (1, 1, 1), "team-groen": (1, 0, 1)}
    assert (found.questions.asked, found.questions.answered, found.questions.withdrawn) == (1, 1, 0)
    assert found.questions.answer_time.counts == {3: 1}
    rules = {(use.rule, use.suggested): (use.total, use.changed_to) for use in found.rules}
    assert rules == {("R1", "eenvoudig"): (2, {}), ("R6", "wijkwens"): (1, {"complex": 1})}
    assert found.rules[0].rule == "R6"  # the most changed first
    assert found.satisfaction.scores == {2: 1, 4: 1}
    assert found.satisfaction.average == 3.0
    assert [(c.case_ref, c.score, c.text) for c in found.satisfaction.comments] == [
        ("MON-B", 4, "Snel geholpen, dank!")]
    budgets = {(b.pot, b.year): (b.total, b.granted, b.reserved, b.remaining) for b in found.budgets}
    assert budgets[("fonds", 2026)] == (Decimal("120000"), Decimal("500"), Decimal("0"), Decimal("119500"))
    assert budgets[("oost", 2026)] == (Decimal("25000"), Decimal("0"), Decimal("200"), Decimal("24800"))
    assert budgets[("west", 2026)][1:] == (Decimal("0"), Decimal("0"), Decimal("25000"))


def test_filters_narrow_every_figure(history: Loket) -> None:
    west = dashboard(history, Filters(PILOT.since, PILOT.until, district="west"), Scope())
    assert west.volumes.total == 1
    assert west.steps["initiatief/categorie_bevestigen"].counts == {0: 1, 1: 1}
    assert [row.team for row in west.work] == ["initiatieventeam"]
    december = dashboard(history, Filters(date(2025, 12, 1), date(2025, 12, 31)), Scope())
    assert december.volumes.per_month == {"2025-12": 1}
    assert dashboard(history, Filters(category="complex"), Scope()).volumes.per_category == {"complex": 1}
    assert dashboard(history, Filters(date(2030, 1, 1)), Scope()).steps == {}


def _principal(email: str, *roles: str) -> Principal:
    return Principal(1, email, "Test", "token", roles=frozenset(roles))


def test_a_team_lead_sees_their_team_only_and_others_none(history: Loket) -> None:
    lead = _principal("teamleider.groen@gemeente.example", "team-groen")
    scope = scope_of(history, lead)
    assert scope == Scope(frozenset({"team-groen"}))
    found = dashboard(history, PILOT, scope)
    assert set(found.steps) == {"eenvoudig/groen_beoordelen"}
    assert [row.team for row in found.work] == ["team-groen"]
    assert found.volumes.total == 0 and found.rules == [] and found.budgets == []
    assert scope_of(history, _principal("p@x.nl", PROCESBEHEERDER)).everything
    with pytest.raises(AccessDenied):
        scope_of(history, _principal("someone@gemeente.example", "intake"))
    assert may_monitor(history, lead) and not may_monitor(history, _principal("kim@x.nl", "kcc"))


def test_percentiles_follow_postgresql() -> None:
    assert percentile({}, 0.5) is None
    assert percentile({7: 1}, 0.8) == 7.0
    assert percentile({1: 2, 10: 2}, 0.5) == 5.5
