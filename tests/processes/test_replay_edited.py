"""Replaying the table as the decision-table editor has it (not deployed): a table and a history
of the test's own, so the expectation is computed by hand and does not follow the bundled rules;
the counts, a period, the list a page at a time, and a table that cannot be replayed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import product
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import insert, select

from engine import ModelVersion, ProcessInstance, compile_decision
from processes import replay, studio
from processes.loket import Loket
from processes.vocabulary import CATEGORY_DECISION, INITIATIVE_PROCESS

NAME = "categorisatie.dmn"
START = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
PATTERNS = [("groen", 500), ("groen", 1500), ("activiteit", 800), ("activiteit", 1500), ("activiteit", 2400),
            ("activiteit", 3000), ("voorziening", 0)]
"""One initiative of each: with the wijkwens limit lowered from 2,500 to 1,000 euro, the two
activities of 1,500 and 2,400 euro become complex."""


def own_table(limit: int = 2500, decision_id: str = CATEGORY_DECISION, cell: str | None = None) -> bytes:
    """A categorisation table of the test's own: green up to 1,000 euro is eenvoudig (T1), an
    activity up to ``limit`` a wijkwens (T2), anything else complex (T3). ``cell`` replaces the
    amount cell of T2 as written."""
    amount = cell if cell is not None else f"&lt;= {limit}"
    rules = [("T1", "'groen'", "&lt;= 1000", "eenvoudig"), ("T2", "'activiteit'", amount, "wijkwens"),
             ("T3", "-", "-", "complex")]
    rows = "".join(
        f'<rule id="Rule_{rule}"><inputEntry id="In_{rule}_soort"><text>{kind}</text></inputEntry>'
        f'<inputEntry id="In_{rule}_bedrag"><text>{money}</text></inputEntry>'
        f"<outputEntry id=\"Out_{rule}_categorie\"><text>'{category}'</text></outputEntry>"
        f"<outputEntry id=\"Out_{rule}_regel\"><text>'{rule}'</text></outputEntry></rule>"
        for rule, kind, money, category in rules)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_eigen" name="Eigen" '
        'namespace="http://initiatievenloket.nl/dmn">'
        f'<decision id="{decision_id}" name="Categorie (test)">'
        '<decisionTable id="DecisionTable_eigen" hitPolicy="FIRST">'
        '<input id="Input_soort" label="Soort initiatief"><inputExpression id="Expr_soort" typeRef="string">'
        "<text>soort_initiatief</text></inputExpression></input>"
        '<input id="Input_bedrag" label="Gevraagd bedrag"><inputExpression id="Expr_bedrag" typeRef="number">'
        "<text>gevraagd_bedrag</text></inputExpression></input>"
        '<output id="Output_categorie" label="Categorie" name="categorie_voorstel" typeRef="string" />'
        '<output id="Output_regel" label="Regel" name="categorie_regel" typeRef="string" />'
        f"{rows}</decisionTable></decision></definitions>"
    ).encode()


def by_hand(kind: str, amount: int, limit: int = 2500) -> tuple[str, str]:
    """What :func:`own_table` decides, written out."""
    if kind == "groen" and amount <= 1000:
        return "eenvoudig", "T1"
    if kind == "activiteit" and amount <= limit:
        return "wijkwens", "T2"
    return "complex", "T3"


def add_intakes(loket: Loket, answers: Iterable[dict[str, Any]], *, per_day: int = 10, prefix: str = "HIST") -> list[
        dict[str, Any]]:
    """Past initiatives with these stored answers (each with the category and rule it got), the
    first at 9:00 on 1 January 2025, ``per_day`` a day, one a minute."""
    with loket.reading() as session:
        version_id = session.scalars(select(ModelVersion.id).where(ModelVersion.process_id == INITIATIVE_PROCESS)
                                     .order_by(ModelVersion.id).limit(1)).one()
    rows = []
    for number, data in enumerate(answers):
        moment = START + timedelta(days=number // per_day, minutes=number % per_day)
        rows.append({"case_ref": f"{prefix}-{number + 1:06d}", "model_version_id": version_id,
                     "process_id": INITIATIVE_PROCESS, "state": "completed", "has_incident": False,
                     "title": f"Initiatief {number + 1}", "case_data": dict(data), "workflow_state": b"",
                     "row_version": 1, "created_at": moment, "updated_at": moment, "started_by": "test"})
    with loket.transaction() as session:
        for start in range(0, len(rows), 2000):
            session.execute(insert(ProcessInstance), rows[start:start + 2000])
    return rows


def pattern_history(loket: Loket, rounds: int, per_day: int = 7) -> list[dict[str, Any]]:
    """``rounds`` times each of :data:`PATTERNS`, with the category :func:`own_table` gave them."""
    answers = []
    for _ in range(rounds):
        for kind, amount in PATTERNS:
            category, rule = by_hand(kind, amount)
            answers.append({"soort_initiatief": kind, "gevraagd_bedrag": amount, "categorie_voorstel": category,
                            "categorie_regel": rule})
    return add_intakes(loket, answers, per_day=per_day)


def every_answer() -> list[dict[str, Any]]:
    """Every combination of the intake's answers the categorisation reads (so each reachable rule
    of whatever table is in use fires for some of them)."""
    return [{"titel": "Initiatief", "vergunning_nodig": permit, "locatie_nodig": place, "reikwijdte": scope,
             "disciplines": ["groen", "verkeer", "sociaal"][:count], "soort_initiatief": kind,
             "gevraagd_bedrag": amount}
            for permit, place, scope, count, kind, amount in product(
                (False, True), (False, True), ("straat", "buurt", "wijk", "stad"), (1, 3),
                ("groen", "activiteit", "voorziening", "anders"), (0, 750, 1500, 2400, 3000))]


def decided_by(table: bytes, answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answers with what ``table`` decides on them stored, as a case stores it."""
    decision = compile_decision({NAME: table}, CATEGORY_DECISION)
    stored = []
    for data in answers:
        hit = decision.decide(data)
        stored.append({**data, **hit.outputs, "_rij": hit.row} if hit else dict(data))
    return stored


def test_the_counts_are_those_worked_out_by_hand(loket: Loket) -> None:
    pattern_history(loket, rounds=30)
    report = replay.replay_edited(loket, NAME, own_table(limit=1000))
    assert (report.total, report.switched, report.unreadable) == (210, 60, 0)
    assert report.per_category == {"eenvoudig": (30, 30), "wijkwens": (90, 30), "complex": (90, 150)}
    assert report.moves == [("wijkwens", "complex", 60)]
    assert report.changes == Counter({("eenvoudig", "eenvoudig"): 30, ("wijkwens", "wijkwens"): 30,
                                      ("complex", "complex"): 90, ("wijkwens", "complex"): 60})
    assert {(s.before, s.before_rule, s.after, s.after_rule) for s in report.switches} == {
        ("wijkwens", "T2", "complex", "T3")}
    assert [s.case_ref for s in report.switches][:4] == ["HIST-000004", "HIST-000005", "HIST-000011", "HIST-000012"]


def test_a_generated_history_switches_what_the_written_out_rules_say(loket: Loket) -> None:
    amounts = [0, 250, 999, 1000, 1001, 1800, 2500, 2501, 4000]
    answers = [{"soort_initiatief": kind, "gevraagd_bedrag": amount} for kind, amount in product(
        ["groen", "activiteit", "voorziening", "anders"], amounts)] * 5
    stored = [{**data, **dict(zip(("categorie_voorstel", "categorie_regel"),
                                  by_hand(data["soort_initiatief"], data["gevraagd_bedrag"]), strict=True))}
              for data in answers]
    rows = add_intakes(loket, stored)
    expected = [row["case_ref"] for row in rows
                if by_hand(row["case_data"]["soort_initiatief"], row["case_data"]["gevraagd_bedrag"], 1800)
                != by_hand(row["case_data"]["soort_initiatief"], row["case_data"]["gevraagd_bedrag"])]
    report = replay.replay_edited(loket, NAME, own_table(limit=1800))
    assert expected and [s.case_ref for s in report.switches] == expected
    assert report.switched == len(expected) == report.changes[("wijkwens", "complex")]


def test_a_period_counts_only_its_days(loket: Loket) -> None:
    pattern_history(loket, rounds=3)  # one round a day: 1, 2 and 3 January
    report = replay.replay_edited(loket, NAME, own_table(limit=1000), since=date(2025, 1, 2),
                                  until=date(2025, 1, 2))
    assert (report.total, report.switched) == (7, 2)
    assert [s.case_ref for s in report.switches] == ["HIST-000011", "HIST-000012"]
    assert replay.replay_edited(loket, NAME, own_table(limit=1000), since=date(2025, 1, 3)).total == 7
    assert replay.replay_edited(loket, NAME, own_table(limit=1000), until=date(2024, 12, 31)).total == 0


def test_the_list_comes_a_page_at_a_time_and_every_switch_is_counted(loket: Loket) -> None:
    pattern_history(loket, rounds=150)  # 300 switches
    first = replay.replay_edited(loket, NAME, own_table(limit=1000))
    assert (first.switched, first.first, len(first.switches)) == (300, 0, replay.PAGE)
    later = replay.replay_edited(loket, NAME, own_table(limit=1000), skip=250, listed=30)
    assert (later.switched, later.first, len(later.switches)) == (300, 250, 30)
    every = replay.replay_edited(loket, NAME, own_table(limit=1000), listed=1000)
    assert [s.case_ref for s in later.switches] == [s.case_ref for s in every.switches][250:280]
    assert replay.replay_edited(loket, NAME, own_table(limit=1000), skip=400).switches == []


def test_the_table_in_use_with_one_cell_changed(loket: Loket) -> None:
    in_use = studio.file_in_use(loket, NAME)
    assert in_use is not None
    rows = add_intakes(loket, decided_by(in_use, every_answer()))
    first_rule = [row["case_ref"] for row in rows if row["case_data"]["_rij"] == 1]
    changed = first_output_replaced(in_use, "'proef'")
    report = replay.replay_edited(loket, NAME, changed)
    assert first_rule and report.total == len(rows) and report.unreadable == 0
    assert [s.case_ref for s in report.switches] == first_rule[:replay.PAGE]
    assert report.switched == len(first_rule) and report.per_category["proef"] == (0, len(first_rule))
    assert replay.replay_edited(loket, NAME, in_use).switched == 0


def first_output_replaced(table: bytes, text: str) -> bytes:
    """The table with the category cell of its first rule replaced by ``text``."""
    root = etree.fromstring(table)
    outputs = root.xpath("//*[local-name()='decisionTable'][1]/*[local-name()='output']")
    position = next(index for index, output in enumerate(outputs) if output.get("name") == "categorie_voorstel")
    rule = root.xpath("//*[local-name()='decisionTable'][1]/*[local-name()='rule']")[0]
    rule.xpath("./*[local-name()='outputEntry']")[position].xpath("./*[local-name()='text']")[0].text = text
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@pytest.mark.parametrize(("content", "message"), [
    (b"<kapot", "Het bestand categorisatie.dmn is geen geldige XML"),
    (own_table(decision_id="indeling"), "In dit bestand staat geen beslissing met id 'categorie'."),
    (own_table(cell="? == ().__class__.__base__"), "kan niet worden uitgevoerd"),
])
def test_a_table_that_cannot_be_replayed_says_why_in_dutch(loket: Loket, content: bytes, message: str) -> None:
    pattern_history(loket, rounds=1)
    with pytest.raises(replay.TableUnusable) as raised:
        replay.replay_edited(loket, NAME, content)
    found = [problem.message_nl for problem in raised.value.problems] or [str(raised.value)]
    assert any(message in text for text in found), found


def test_only_a_table_that_decides_the_category_can_be_replayed(loket: Loket) -> None:
    in_use = studio.file_in_use(loket, NAME)
    assert in_use is not None and replay.decides_category(in_use, NAME)
    assert replay.decides_category(own_table(), NAME)
    assert not replay.decides_category(own_table(decision_id="indeling"), NAME)
    assert not replay.decides_category(b"<kapot", NAME)
