"""The start form names each district as the organisation does now: a beheerder can rename a
district (its code stays), and the form, its summary and the case page follow."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from engine.service import Engine
from processes.intake import with_organisation_choices
from processes.tables.organisation import District
from tests.forms.factories import create_field_form
from tests.web.public.support import ALICE, fill_intake, log_in, start_case
from tests.web_support import check_page


def _rename(engine: Engine, code: str, name: str, name_en: str | None = None) -> None:
    with engine.db.transaction() as session:
        district = session.get(District, code)
        assert district is not None
        district.name, district.name_en = name, name_en


def _district_choices(client: FlaskClient) -> dict[str, str]:
    soup = check_page(client.get("/aanmelden/stap/waar").text)
    select = soup.find("select", attrs={"name": "wijk"})
    assert select is not None
    return {str(option.get("value")): option.get_text(strip=True) for option in select.find_all("option")
            if option.get("value")}


def test_a_renamed_district_shows_its_new_name_in_every_language(client: FlaskClient, engine: Engine) -> None:
    assert _district_choices(client) == {"oost": "Oost", "west": "West", "centrum": "Centrum"}
    _rename(engine, "oost", "Oosterpark")
    assert _district_choices(client) == {"oost": "Oosterpark", "west": "West", "centrum": "Centrum"}
    client.get("/taal/en")
    # A name without an English one reads the same in English; the others keep their English name.
    assert _district_choices(client) == {"oost": "Oosterpark", "west": "West", "centrum": "Centre"}
    _rename(engine, "oost", "Oosterpark", "East Park")
    assert _district_choices(client)["oost"] == "East Park"


def test_a_district_switched_off_is_no_longer_offered(client: FlaskClient, engine: Engine) -> None:
    with engine.db.transaction() as session:
        district = session.get(District, "centrum")
        assert district is not None
        district.active = False
    assert _district_choices(client) == {"oost": "Oost", "west": "West"}


def test_the_summary_and_the_case_page_use_the_new_name(client: FlaskClient, engine: Engine) -> None:
    _rename(engine, "oost", "Oosterpark")
    fill_intake(client)
    assert "Oosterpark" in check_page(client.get("/aanmelden/controleren").text).get_text()

    info = start_case(engine, ALICE, wijk="oost")
    log_in(client, engine, ALICE)
    page = check_page(client.get(f"/mijn-initiatieven/{info.case_ref}").text).get_text()
    assert "Oosterpark" in page


def test_a_start_form_without_the_district_question_is_left_as_it_is(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = create_field_form()
    _rename(engine, "oost", "Oosterpark")
    with engine.db.transaction() as session:
        assert with_organisation_choices(form, session) is form
