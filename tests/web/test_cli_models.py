"""``loket models validate``: problems printed, exit 1; clean models, exit 0; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from web.cli import cli

FIXTURES = Path(__file__).parents[1] / "fixtures" / "models"
BUNDLED = Path(__file__).parents[2] / "bpmn_models"


def test_bundled_models_validate_clean() -> None:
    result = CliRunner().invoke(cli, ["models", "validate", str(BUNDLED)])
    assert result.exit_code == 0, result.output
    assert "Geen problemen gevonden." in result.output


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".bpmn", ".dmn")),
                         ids=lambda p: p.name)
def test_any_fixture_gives_messages_not_tracebacks(path: Path) -> None:
    result = CliRunner().invoke(cli, ["models", "validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert "gevonden" in result.output


def test_garbage_file_is_rejected_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.bpmn"
    bad.write_bytes(b"\x00\x01<bpmn:definitions")
    result = CliRunner().invoke(cli, ["models", "validate", str(bad), "--lang", "en"])
    assert result.exit_code == 1
    assert "kapot.bpmn" in result.output
    assert "problem(s) found." in result.output


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["models", "validate", str(tmp_path / "bestaat-niet.bpmn")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_models_test_runs_the_bundled_scenarios() -> None:
    result = CliRunner().invoke(cli, ["models", "test"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "scenarios/eenvoudig_toegekend.json (Eenvoudig: geveltuin toegekend, met enquête): geslaagd" in lines
    assert lines[-1].endswith(" passed, 0 failed")


def test_models_test_fails_with_the_first_difference(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "modellen"
    shutil.copytree(BUNDLED, folder)
    scenario = folder / "scenarios" / "eenvoudig_toegekend.json"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace('"einde_toegekend"', '"einde_afgewezen"'),
                        encoding="utf-8")
    (folder / "scenarios" / "kapot.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(cli, ["models", "test", str(folder)])
    assert result.exit_code == 1
    assert ('scenarios/eenvoudig_toegekend.json (Eenvoudig: geveltuin toegekend, met enquête): MISLUKT: '
            'einde: verwacht "einde_afgewezen", maar het was "einde_toegekend"') in result.output
    assert "scenarios/kapot.json: MISLUKT: dit scenario klopt niet" in result.output
    assert result.output.splitlines()[-1].endswith(" passed, 2 failed")
