"""The categorisation scenarios drawn from the Dordrecht letter (issue 14): at least 25 beside the
one per rule, all passing, covering the three categories and every rule; the five initiatives the
issue names are not complex."""

from __future__ import annotations

import json
import re

from engine import read_bundle_files
from processes import MODELS_DIR
from processes.loket import bundle_catalog_for
from processes.scenarios import run_all

FILES = read_bundle_files(MODELS_DIR)
PER_RULE = re.compile(r"scenarios/categorie_r\d+_")
CATEGORISATION = {name: content for name, content in FILES.items() if name.startswith("scenarios/categorie_")}
FROM_THE_LETTER = sorted(name for name in CATEGORISATION if not PER_RULE.match(name))
ISSUE_CASES = {
    "scenarios/categorie_sinterklaas_buurthuis.json": "wijkwens",
    "scenarios/categorie_sinterklaas_ruimte_aangevinkt.json": "wijkwens",
    "scenarios/categorie_burendag_straat_afsluiten.json": "wijkwens",
    "scenarios/categorie_feest_hele_wijk.json": "wijkwens",
    "scenarios/categorie_geveltuinen_twintig_huizen.json": "eenvoudig",
    "scenarios/categorie_minibieb.json": "wijkwens",
}


def test_the_scenarios_from_the_letter_pass_and_cover_every_rule_and_category() -> None:
    assert len(FROM_THE_LETTER) >= 25
    models = {name: content for name, content in FILES.items() if not name.startswith("scenarios/")}
    outcomes, broken = run_all(models | CATEGORISATION, bundle_catalog_for()(FILES))
    assert broken == {}
    assert [outcome.scenario.file for outcome in outcomes if not outcome.passed] == []
    letter = [outcome for outcome in outcomes if outcome.scenario.file in FROM_THE_LETTER]
    assert len(letter) == len(FROM_THE_LETTER)
    assert {outcome.trace.data["categorie_voorstel"] for outcome in letter} == {"eenvoudig", "wijkwens", "complex"}
    assert {outcome.trace.data["categorie_regel"] for outcome in letter} == {f"R{n}" for n in range(1, 12)}


def test_the_initiatives_the_issue_names_are_expected_outside_the_complex_route() -> None:
    for name, category in ISSUE_CASES.items():
        expected = json.loads(FILES[name])["verwacht"]
        assert expected["categorie"] == category, name
