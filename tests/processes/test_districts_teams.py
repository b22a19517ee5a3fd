"""Organisation data flows into the models: a district a beheerder adds gets its regiegroep and
budget, is offered on the start form and routes wijkwensen to its regiegroep, with no form or
code edit; a district or team switched off is no longer offered or accepted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from engine.service import Engine
from forms import validate
from processes import MODELS_DIR, clock, districts_teams, studio
from processes.access import Principal
from processes.errors import OrganisationInvalid
from processes.intake import intake_form
from processes.loket import Loket
from processes.tables.organisation import DistrictBudget, Team
from processes.tables.staff import StaffAudit
from tests.processes.factories import Case, wijkwens_data
from tests.web.staff.support import ACCEPT, BEHEER, INTAKE, principal


@pytest.fixture
def admin(engine: Engine) -> Principal:
    return principal(engine, BEHEER)


def test_a_new_district_comes_with_its_regiegroep_budget_and_place_on_the_start_form(
    loket: Loket, engine: Engine, admin: Principal
) -> None:
    districts_teams.create_district(loket, admin, " Noord ", "Noord", "North", "15.000")
    with loket.reading() as session:
        team = session.get(Team, "regiegroep-noord")
        assert team is not None and team.district_code == "noord" and team.active
        budget = session.scalar(select(DistrictBudget).where(DistrictBudget.district_code == "noord"))
        assert budget is not None and (budget.year, budget.amount) == (clock.now().year, Decimal("15000.00"))
        actions = [row.action for row in session.scalars(select(StaffAudit)).all()]
    assert actions == ["district_created", "budget_created"]
    options = {option.value: option for option in intake_form(loket).fields["wijk"].options}
    assert list(options) == ["centrum", "noord", "oost", "west"], "by name, the new one among them"
    assert (options["noord"].label("nl"), options["noord"].label("en")) == ("Noord", "North")

    case = Case.start(engine, wijkwens_data(wijk="noord"))
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    assert case.task("regiegroep_beoordelen").candidate_group == "regiegroep-noord"


@pytest.mark.parametrize(("code", "name", "amount", "problems"), [
    ("Noord Oost", "Noordoost", "1000", {"code": "code_invalid"}),
    ("oost", "Oost 2", "1000", {"code": "code_taken"}),
    ("noord", "Oost", "1000", {"naam": "district_name_taken"}),
    ("noord", "", "", {"naam": "name_missing", "bedrag": "amount_missing"}),
    ("noord", "Noord", "veel", {"bedrag": "bad_amount"}),
])
def test_a_new_district_is_checked_and_nothing_is_stored_on_a_problem(
    loket: Loket, admin: Principal, code: str, name: str, amount: str, problems: dict[str, str]
) -> None:
    with pytest.raises(OrganisationInvalid) as caught:
        districts_teams.create_district(loket, admin, code, name, "", amount)
    assert caught.value.problems == problems
    with loket.reading() as session:
        assert session.get(Team, "regiegroep-noord") is None


def test_a_district_switched_off_is_not_offered_or_accepted(loket: Loket, admin: Principal) -> None:
    districts_teams.update_district(loket, admin, "centrum", "Centrum", None, False)
    form = intake_form(loket)
    assert [option.value for option in form.fields["wijk"].options] == ["oost", "west"]
    errors = validate(form, wijkwens_data(wijk="centrum"))
    assert [error.field for error in errors] == ["wijk"]


def test_a_new_team_can_be_chosen_in_a_model_and_one_switched_off_cannot(loket: Loket, admin: Principal) -> None:
    diagram = (MODELS_DIR / "eenvoudig.bpmn").read_text().replace("'team-groen'\"/>\n", "'team-sport'\"/>\n", 1)
    refused = studio.check(loket, {"eenvoudig.bpmn": diagram.encode()})
    assert [p.code for p in refused.problems] == ["candidategroups.unknown_team"]
    districts_teams.create_team(loket, admin, "team-sport", "Team Sport", "sport@gemeente.example")
    assert studio.check(loket, {"eenvoudig.bpmn": diagram.encode()}).problems == []
    districts_teams.update_team(loket, admin, "team-sport", "Team Sport", "", False)
    assert [p.code for p in studio.check(loket, {"eenvoudig.bpmn": diagram.encode()}).problems] == [
        "candidategroups.unknown_team"]
