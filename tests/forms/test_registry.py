"""FormRegistry: finding, loading, caching and checking definition files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms import FormDefinitionError, FormNotFound, FormRegistry
from forms.registry import DEFAULT_DIRECTORY
from tests.forms.factories import create_definition_dict, write_definition


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    directory = tmp_path / "definitions"
    write_definition(directory, create_definition_dict(id="intake"))
    write_definition(directory, create_definition_dict(id="besluit"))
    (directory / "LEESMIJ.txt").write_text("geen formulier", encoding="utf-8")
    return directory


def test_default_directory_is_beside_the_package() -> None:
    assert FormRegistry().directory == DEFAULT_DIRECTORY
    assert DEFAULT_DIRECTORY.name == "definitions"
    assert DEFAULT_DIRECTORY.parent.name == "forms"


def test_ids_are_sorted_json_files(folder: Path) -> None:
    assert FormRegistry(folder).ids() == ["besluit", "intake"]


def test_exists(folder: Path) -> None:
    registry = FormRegistry(folder)
    assert registry.exists("intake")
    assert not registry.exists("onbekend")
    assert not registry.exists("../definitions/intake")
    assert not registry.exists("LEESMIJ")


def test_get(folder: Path) -> None:
    definition = FormRegistry(folder).get("intake")
    assert definition.id == "intake"
    assert definition.title() == "Testformulier"


@pytest.mark.parametrize("form_id", ["onbekend", "../intake", "", "Intake"])
def test_get_unknown_raises_form_not_found(folder: Path, form_id: str) -> None:
    with pytest.raises(FormNotFound) as caught:
        FormRegistry(folder).get(form_id)
    assert caught.value.form_id == form_id
    assert "bestaat niet" in str(caught.value)
    assert isinstance(caught.value, LookupError)


def test_get_loads_once_and_caches(folder: Path) -> None:
    registry = FormRegistry(folder)
    first = registry.get("intake")
    (folder / "intake.json").write_text("kapot", encoding="utf-8")
    assert registry.get("intake") is first


def test_clear_reloads(folder: Path) -> None:
    registry = FormRegistry(folder)
    registry.get("intake")
    write_definition(folder, create_definition_dict(id="intake", title={"nl": "Nieuw"}))
    registry.clear()
    assert registry.get("intake").title() == "Nieuw"


def test_loading_is_lazy(folder: Path) -> None:
    write_definition(folder, create_definition_dict(id="kapot", title={"en": "only English"}))
    registry = FormRegistry(folder)
    assert registry.get("intake").id == "intake"  # the broken one is not read


def test_get_refuses_a_definition_with_mistakes(folder: Path) -> None:
    raw = create_definition_dict(id="kapot")
    raw["fields"]["wijk"]["options"][0]["value"] = "noord"
    write_definition(folder, raw)
    with pytest.raises(FormDefinitionError) as caught:
        FormRegistry(folder).get("kapot")
    assert str(caught.value).startswith("kapot.json: Veld 'wijk': de optie 'noord'")
    assert len(caught.value.problems) == 2


def test_get_refuses_bad_json(folder: Path) -> None:
    (folder / "kapot.json").write_text("{niet: json", encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        FormRegistry(folder).get("kapot")
    assert "geen geldige JSON" in str(caught.value)


def test_definitions(folder: Path) -> None:
    assert [definition.id for definition in FormRegistry(folder).definitions()] == ["besluit", "intake"]


def test_check_definitions_reports_per_file(folder: Path) -> None:
    registry = FormRegistry(folder)
    assert registry.check_definitions() == []
    write_definition(folder, create_definition_dict(id="ander"), name="verkeerd")
    (folder / "kapot.json").write_text("[", encoding="utf-8")
    messages = registry.check_definitions()
    assert messages[0].startswith("kapot.json: Het bestand is geen geldige JSON")
    assert messages[1] == "verkeerd.json: Het id 'ander' moet gelijk zijn aan de bestandsnaam 'verkeerd'."
    assert registry.check_definitions("en")[1] == "verkeerd.json: The id 'ander' must match the file name 'verkeerd'."


def test_missing_directory(tmp_path: Path) -> None:
    registry = FormRegistry(tmp_path / "nergens")
    assert registry.ids() == []
    assert registry.check_definitions() == []
    assert not registry.exists("intake")


def _real_files() -> list[str]:
    return sorted(path.name for path in DEFAULT_DIRECTORY.glob("*.json"))


def test_the_real_definitions_folder_has_no_mistakes() -> None:
    assert FormRegistry().check_definitions() == []


@pytest.mark.parametrize("file_name", _real_files())
def test_each_real_definition_loads(file_name: str) -> None:
    form_id = file_name.removesuffix(".json")
    registry = FormRegistry()
    definition = registry.get(form_id)
    assert definition.id == form_id
    raw = json.loads((DEFAULT_DIRECTORY / file_name).read_text(encoding="utf-8"))
    assert set(definition.fields) == set(raw["fields"])
