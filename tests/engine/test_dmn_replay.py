"""The compiled decision decides exactly as SpiffWorkflow's DMN engine does, on thousands of
answer sets, and refuses what the sandbox refuses."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest

from engine import read_bundle_files
from engine.dmn_replay import DecisionUnusable, compile_decision
from engine.parsing import load_parser
from engine.scripting import make_engine_script_engine
from processes import MODELS_DIR

FILES = read_bundle_files(MODELS_DIR)
DISCIPLINES = ["groen", "verkeer", "sociaal", "cultuur", "sport", "veiligheid", "vastgoed", "evenementen"]


def answers(rng: random.Random) -> dict[str, Any]:
    return {
        "vergunning_nodig": rng.random() < 0.2, "locatie_nodig": rng.random() < 0.2,
        "reikwijdte": rng.choice(["straat", "buurt", "wijk", "stad"]),
        "disciplines": rng.sample(DISCIPLINES, rng.randint(1, 4)),
        "soort_initiatief": rng.choice(["groen", "activiteit", "voorziening", "anders"]),
        "gevraagd_bedrag": rng.choice([0, 100, 999, 1000, 1001, 2500, 2501, 15000]),
    }


def spiff_result(data: dict[str, Any]) -> dict[str, Any]:
    engine = load_parser({"categorisatie.dmn": FILES["categorisatie.dmn"]}).get_engine("categorie", None)
    task = SimpleNamespace(data=data, workflow=SimpleNamespace(script_engine=make_engine_script_engine()))
    return dict(engine.result(task))


def test_the_compiled_table_decides_as_spiffworkflow_on_two_thousand_answer_sets() -> None:
    decision = compile_decision(FILES, "categorie")
    rng = random.Random(12)
    seen_rows = set()
    for _ in range(2000):
        data = answers(rng)
        hit = decision.decide(data)
        expected = spiff_result(data)
        assert (hit.outputs if hit else {}) == expected, data
        if hit:
            assert expected["categorie_regel"] == hit.rule_id.removeprefix("Rule_")
            seen_rows.add(hit.row)
    assert seen_rows == set(range(1, 12))  # every rule of the table


def test_a_changed_cell_is_run_as_spiffworkflow_glues_it() -> None:
    changed = FILES["categorisatie.dmn"].replace(b"&lt;= 2500", b"&lt;= 1000")
    decision = compile_decision({"categorisatie.dmn": changed}, "categorie")
    data = {**answers(random.Random(1)), "vergunning_nodig": False, "locatie_nodig": False, "reikwijdte": "buurt",
            "disciplines": ["evenementen"], "soort_initiatief": "activiteit", "gevraagd_bedrag": 2000}
    hit = decision.decide(data)
    assert hit is not None and hit.outputs["categorie_voorstel"] == "complex"


def test_a_missing_answer_fails_as_in_a_case() -> None:
    decision = compile_decision(FILES, "categorie")
    with pytest.raises(NameError):
        decision.decide({"vergunning_nodig": False})


def test_an_unknown_decision_or_forbidden_cell_is_refused_in_words() -> None:
    with pytest.raises(DecisionUnusable, match="Er is geen beslissing 'bestaat_niet'"):
        compile_decision(FILES, "bestaat_niet")
    forbidden = FILES["categorisatie.dmn"].replace(b"&lt;= 2500", b"&lt;= __import__('os')")
    with pytest.raises(DecisionUnusable, match="kan niet worden uitgevoerd"):
        compile_decision({"categorisatie.dmn": forbidden}, "categorie")
