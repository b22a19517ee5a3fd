"""The initiator reads the decision and its agreements or reasons in Mijn initiatieven."""

from __future__ import annotations

from flask.testing import FlaskClient

from engine.service import Engine
from tests.web.public.support import ALICE, log_in, start_case
from tests.web_support import check_page

ACCEPT = {"aanvulling_nodig": False, "categorie_akkoord": True}


def _complete(engine: Engine, instance_id: int, name: str, data: dict[str, object]) -> None:
    [task] = [t for t in engine.open_tasks(instance_id=instance_id) if t.task_name == name]
    engine.complete_task(instance_id, task.task_id, data, actor="medewerker@gemeente.example")
    engine.run_due_jobs()


def test_the_decision_and_agreements_are_shown(client: FlaskClient, engine: Engine) -> None:
    case = start_case(engine, wijkwens=False)
    engine.run_due_jobs()
    log_in(client, engine, ALICE)
    before = check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text).get_text()
    assert "Onze beslisregels stellen de categorie Eenvoudig (groen) voor." in before
    assert "Het besluit" not in before

    _complete(engine, case.id, "categorie_bevestigen", ACCEPT)
    _complete(engine, case.id, "groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                                    "afspraken": "U plant zelf; de gemeente haalt twee tegels weg."})
    page = check_page(client.get(f"/mijn-initiatieven/{case.case_ref}").text).get_text()
    assert "Uw initiatief valt in de categorie: Eenvoudig (groen)." in page
    assert "Het besluit" in page and "Toegekend" in page
    assert "U plant zelf; de gemeente haalt twee tegels weg." in page
    assert "De volgende stap" in page and "Team Groen neemt binnen 10 werkdagen contact met u op" in page
    # the history shows the decision step (a service task's status), not only the survey
    assert "Er is een besluit over uw initiatief" in page
