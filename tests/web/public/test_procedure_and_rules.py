"""The landing page and the rules page are read from the deployed models: change the
diagram, deploy, and the public text changes with it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, session
from flask.testing import FlaskClient

from engine.service import Engine
from processes.intake import intake_form
from processes.loket import Loket
from processes.procedure import Norm, overview, parse_norm
from processes.rules import decisions_in, deployed_decisions
from tests.web_support import ROOT, check_page
from web.public.display import condition_label, condition_value, local_date


@pytest.mark.parametrize(("expression", "norm"), [
    ("werkdagen(10)", Norm(10, "werkdagen")),
    (" dagen(3) ", Norm(3, "dagen")),
    ('"P6W"', Norm(6, "weken")),
    ("'P10D'", Norm(10, "dagen")),
    ('"PT48H"', Norm(48, "uren")),
    ('"P2M"', Norm(2, "maanden")),
    ('"P1DT2H"', None),
    ("werkdagen(n)", None),
    ("werkdagen(True)", None),
    ("nu()", None),
    ("", None),
    ("werkdagen(", None),
])
def test_parse_norm(expression: str, norm: Norm | None) -> None:
    assert parse_norm(expression) == norm


def test_overview_of_the_bundled_models(loket: Loket) -> None:
    found = overview(loket)
    assert [(s.text, s.norm) for s in found.intake] == [
        ("Het initiatieventeam bekijkt welke aanpak past bij uw initiatief.", Norm(5, "werkdagen"))]
    assert (found.answer.reminder, found.answer.deadline) == (Norm(5, "werkdagen"), Norm(20, "werkdagen"))
    assert [s.norm for s in found.categories["eenvoudig"].steps] == [Norm(10, "werkdagen")]
    assert [s.norm for s in found.categories["wijkwens"].steps] == [Norm(6, "weken")]
    complex_steps = found.categories["complex"].steps
    assert complex_steps[0].in_language("en") == "The initiatives team will invite you for an introductory meeting."
    assert [s.norm for s in complex_steps].count(Norm(15, "werkdagen")) == 1, "four parallel checks, one step"


def _edited_models(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    shutil.copytree(ROOT / "bpmn_models", folder)
    wijkwens = folder / "wijkwens.bpmn"
    wijkwens.write_text(wijkwens.read_text(encoding="utf-8").replace('"P6W"', '"P8W"'), encoding="utf-8")
    eenvoudig = folder / "eenvoudig.bpmn"
    eenvoudig.write_text(eenvoudig.read_text(encoding="utf-8").replace("werkdagen(10)", "werkdagen(12)"),
                         encoding="utf-8")
    rules = folder / "categorisatie.dmn"
    rules.write_text(rules.read_text(encoding="utf-8").replace("<text>&lt;= 2500</text>", "<text>&lt;= 3000</text>"),
                     encoding="utf-8")  # the limit of every wijkwens rule
    return folder


def test_landing_page_follows_a_newly_deployed_diagram(app: Flask, client: FlaskClient, engine: Engine,
                                                       tmp_path: Path) -> None:
    before = check_page(client.get("/").text).get_text(" ", strip=True)
    assert "binnen 6 weken" in before and "binnen 10 werkdagen" in before and "€ 2.500 of minder" in before
    result = engine.deploy_directory(_edited_models(tmp_path), actor="procesbeheerder")
    assert result.changed
    after = check_page(client.get("/").text).get_text(" ", strip=True)
    assert "binnen 8 weken" in after and "binnen 6 weken" not in after
    assert "binnen 12 werkdagen" in after
    assert "€ 3.000 of minder" in after
    rules = check_page(client.get("/indeling").text).get_text(" ", strip=True)
    assert "€ 3.000 of minder" in rules and "€ 2.500 of minder" not in rules


def test_landing_page_in_english(client: FlaskClient) -> None:
    client.get("/taal/en")
    text = check_page(client.get("/").text).get_text(" ", strip=True)
    assert "within 6 weeks" in text
    assert "within 5 working days" in text
    assert "The district panel is assessing your district wish." in text
    assert "District wish" in text


def test_rules_are_put_into_words(app: Flask, loket: Loket) -> None:
    [decision] = deployed_decisions(loket, "nl")
    assert decision.hit_policy == "FIRST"
    assert [rule.rule_id for rule in decision.rules] == ["R6", "R9", "R10", "R11", "R1", "R2", "R3", "R4", "R5", "R7",
                                                         "R8"]
    with app.test_request_context():
        words = {rule.rule_id: [(condition_label(c), condition_value(c), c.literal) for c in rule.conditions]
                 for rule in decision.rules}
    assert words["R1"] == [("Ik denk dat ik een vergunning nodig heb", "ja", False)]
    assert words["R3"] == [("Voor wie is uw initiatief?", "De hele wijk of De hele stad", False)]
    assert words["R4"] == [("Aantal keuzes bij “Waar gaat uw initiatief over?”", "3 of meer", False)]
    assert words["R7"] == [("Hoeveel geld vraagt u aan de gemeente? (in euro)", "meer dan € 2.500", False)]
    assert words["R8"] == []
    assert words["R6"] == [("Ik denk dat ik een vergunning nodig heb", "nee", False),
                           ("Ik zoek een gebouw of stuk grond om langere tijd te gebruiken", "nee", False),
                           ("Voor wie is uw initiatief?", "Mijn straat of Mijn buurt of De hele wijk", False),
                           ("Wat voor initiatief is het?", "Een activiteit, bijvoorbeeld een buurtfeest, burendag, "
                            "kinderactiviteit of Sinterklaasfeest", False),
                           ("Hoeveel geld vraagt u aan de gemeente? (in euro)", "€ 2.500 of minder", False)]
    assert words["R5"][1] == ("Hoeveel geld vraagt u aan de gemeente? (in euro)", "minder dan € 1.500", False)
    assert words["R11"][3] == ("Wat voor initiatief is het?", "Iets anders", False)
    assert [r.rule_id for r in decision.rules_for("categorie_voorstel", "wijkwens")] == ["R6", "R9", "R10", "R11"]
    assert decision.rules[0].explanation.startswith("U gaf aan dat het gaat om een activiteit voor uw straat")
    assert decision.rules[4].explanation.startswith("U gaf aan dat u denkt een vergunning nodig te hebben.")


def test_a_cell_that_cannot_be_put_into_words_is_shown_as_written(app: Flask, loket: Loket) -> None:
    dmn = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">
  <decision id="test" name="Test">
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="i1" label="Leeftijd">
        <inputExpression id="e1" typeRef="number"><text>leeftijd</text></inputExpression></input>
      <input id="i2" label="Wijk"><inputExpression id="e2" typeRef="string"><text>wijk</text></inputExpression></input>
      <output id="o" name="uitkomst" typeRef="string"/>
      <rule id="r1">
        <description>Uitleg.</description>
        <inputEntry id="a"><text>&gt; grens * 2</text></inputEntry>
        <inputEntry id="b"><text>'oost'</text></inputEntry>
        <outputEntry id="c"><text>'ja'</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>"""
    [decision] = decisions_in({"test.dmn": dmn, "notes.txt": "x", "kapot.dmn": "<niet"}, intake_form(loket), "en")
    [rule] = decision.rules
    assert rule.rule_id == "r1" and rule.outputs == {"uitkomst": "ja"}
    with app.test_request_context():
        conditions = [(condition_label(c), condition_value(c), c.literal, c.label_lang) for c in rule.conditions]
    assert conditions == [
        ("Leeftijd", "> grens * 2", True, "nl"),
        ("In which district?", "East", False, "en"),
    ]


def test_the_rules_page_in_english_reads_the_tables_english_texts(client: FlaskClient) -> None:
    client.get("/taal/en")
    page = check_page(client.get("/indeling").text)
    heading = page.find(id="besluit-categorie")
    assert heading is not None and heading.get_text(strip=True) == "Category of an initiative"
    assert heading.get("lang") is None  # English on the English site: no language change to announce
    rule = page.find(id="regel-R6")
    assert rule is not None
    text = rule.get_text(" ", strip=True)
    assert "You said that it is an activity for your street, neighbourhood or district" in text
    assert "U gaf aan" not in page.get_text(" ", strip=True)
    assert "Proposes a category (simple, neighbourhood wish or complex)" in page.get_text(" ", strip=True)


def test_a_rule_without_an_english_explanation_is_shown_in_dutch_marked_as_dutch(loket: Loket) -> None:
    dmn = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x">
  <decision id="test" name="Toets">
    <description>Alleen in het Nederlands.</description>
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i1" label="Wijk"><inputExpression id="e1" typeRef="string"><text>wijk</text></inputExpression></input>
      <output id="o" name="uitkomst" typeRef="string"/>
      <output id="o2" name="uitkomst_uitleg_en" typeRef="string"/>
      <rule id="r1">
        <description>Uitleg.</description>
        <inputEntry id="a"><text>'oost'</text></inputEntry>
        <outputEntry id="b"><text>'ja'</text></outputEntry>
        <outputEntry id="c"><text>'Explained.'</text></outputEntry>
      </rule>
      <rule id="r2">
        <description>Alleen Nederlands.</description>
        <inputEntry id="d"><text>-</text></inputEntry>
        <outputEntry id="e"><text>'nee'</text></outputEntry>
        <outputEntry id="f"><text>''</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>"""
    [decision] = decisions_in({"test.dmn": dmn}, intake_form(loket), "en")
    assert (decision.name, decision.description, decision.text_lang) == ("Toets", "Alleen in het Nederlands.", "nl")
    assert [(rule.explanation, rule.explanation_lang) for rule in decision.rules] == [
        ("Explained.", "en"), ("Alleen Nederlands.", "nl")]
    [dutch] = decisions_in({"test.dmn": dmn}, intake_form(loket), "nl")
    assert [rule.explanation for rule in dutch.rules] == ["Uitleg.", "Alleen Nederlands."]


def test_dates_on_the_english_site_read_day_month_year(app: Flask) -> None:
    moment = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    with app.test_request_context():
        session["lang"] = "en"
        assert local_date(moment) == "4 December 2026"
        session["lang"] = "nl"
        assert local_date(moment) == "4 december 2026"
        assert local_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"  # Dutch local time
