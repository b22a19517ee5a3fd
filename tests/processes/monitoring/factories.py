"""A small pilot history written straight into the tables, with figures worked out by hand.

Three initiatives around Christmas 2025 (25 and 26 December and 1 January are public holidays):

- ``MON-A`` eenvoudig (rule R1 suggested eenvoudig), oost, inwoner, online. Category confirmed
  22 Dec → 29 Dec: 3 working days (norm 5: within). Team Groen 29 Dec → 16 Jan: 13 working days
  (norm 10: late), outcome toegekend; end to end 16 working days (norm 5 + 10 = 15: late).
  Fund money held 500 (granted).
- ``MON-B`` complex (R6 suggested wijkwens: changed), west, bedrijf, telefoon. The intake asked
  for more information after 0 working days (5 Jan), the answer came 8 Jan (3 working days),
  category confirmed 9 Jan (1 working day). Survey 4 with a comment. Open now: intakegesprek of
  the initiatieventeam, overdue.
- ``MON-C`` eenvoudig (R1), oost, inwoner, online. Category confirmed 7 → 14 Jan: 5 working days
  (norm 5: within, on the last day). Survey 2. Open now: groen_beoordelen of team Groen, free.
  District oost money held 200 (not granted yet).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from engine import AuditEvent, ModelVersion, OpenTask, OpenTaskGroup, ProcessInstance
from processes import MODELS_DIR
from processes.demo.organisation import load_organisation
from processes.facts import fill_facts
from processes.loket import Loket
from processes.tables.organisation import BudgetReservation

YEAR = 2026


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _case(number: int, ref: str, created: str, state: str, data: dict[str, Any], version: int) -> dict[str, Any]:
    return {"id": number, "case_ref": ref, "model_version_id": version, "process_id": "initiatief", "state": state,
            "has_incident": False, "title": f"Initiatief {ref}", "case_data": data, "workflow_state": b"",
            "row_version": 1, "created_at": at(created), "updated_at": at(created), "started_by": "test",
            "initiator": f"{ref.lower()}@example.org"}


def _done(case: int, process: str, element: str, opened: str, closed: str, **changes: Any) -> dict[str, Any]:
    seconds = int((at(closed) - at(opened)).total_seconds())
    return {"instance_id": case, "at": at(closed), "actor": "test", "kind": "task_completed", "task_id": None,
            "task_name": element, "detail": {"element": element, "process": process, "seconds": seconds,
                                             "changes": {k: {"old": None, "new": v} for k, v in changes.items()}}}


def _open(case: int, ref: str, process: str, element: str, group: str, *, overdue: bool) -> dict[str, Any]:
    return {"task_id": f"{case:036d}", "instance_id": case, "case_ref": ref, "process_id": process,
            "task_name": element, "title": element, "form_id": None, "candidate_group": group, "assignee": None,
            "due_at": at("2026-01-20T09:00:00"), "overdue": overdue, "created_at": at("2026-01-09T09:00:00")}


def _data(category: str, suggested: str, rule: str, district: str, kind: str, channel: str,
          **more: Any) -> dict[str, Any]:
    return {"categorie": category, "categorie_voorstel": suggested, "categorie_regel": rule, "wijk": district,
            "soort_initiatiefnemer": kind, "kanaal": channel, **more}


def write_history(loket: Loket) -> None:
    """Deploys the models, loads the organisation and writes the three initiatives above, then
    their monitoring facts as ``loket db upgrade`` fills them for initiatives written without."""
    loket.engine.deploy_directory(MODELS_DIR, actor="test")
    with loket.transaction() as session:
        load_organisation(session, YEAR)
        version = session.scalar(select(ModelVersion.id).where(ModelVersion.process_id == "initiatief"))
        assert version is not None
        session.execute(insert(ProcessInstance), [
            _case(1, "MON-A", "2025-12-22T10:00:00", "completed",
                  _data("eenvoudig", "eenvoudig", "R1", "oost", "inwoner", "online", uitkomst="toegekend"), version),
            _case(2, "MON-B", "2026-01-05T09:00:00", "running",
                  _data("complex", "wijkwens", "R6", "west", "bedrijf", "telefoon", tevredenheid_score=4,
                        tevredenheid_opmerking="Snel geholpen, dank!"), version),
            _case(3, "MON-C", "2026-01-07T09:00:00", "running",
                  _data("eenvoudig", "eenvoudig", "R1", "oost", "inwoner", "online", tevredenheid_score=2),
                  version),
        ])
        session.execute(insert(AuditEvent), [
            _done(1, "initiatief", "categorie_bevestigen", "2025-12-22T10:00:00", "2025-12-29T10:00:00"),
            _done(1, "eenvoudig", "groen_beoordelen", "2025-12-29T10:00:00", "2026-01-16T10:00:00",
                  uitkomst="toegekend"),
            _done(2, "initiatief", "categorie_bevestigen", "2026-01-05T09:00:00", "2026-01-05T15:00:00",
                  aanvulling_nodig=True),
            {"instance_id": 2, "at": at("2026-01-08T12:00:00"), "actor": "initiatiefnemer", "kind": "message",
             "task_id": None, "task_name": None, "detail": {"message": "aanvulling_ontvangen", "payload": {}}},
            _done(2, "initiatief", "categorie_bevestigen", "2026-01-08T12:00:00", "2026-01-09T09:00:00"),
            _done(3, "initiatief", "categorie_bevestigen", "2026-01-07T09:00:00", "2026-01-14T09:00:00"),
        ])
        tasks = [_open(2, "MON-B", "complex", "intakegesprek", "initiatieventeam", overdue=True),
                 _open(3, "MON-C", "eenvoudig", "groen_beoordelen", "team-groen", overdue=False)]
        session.execute(insert(OpenTask), tasks)
        session.execute(insert(OpenTaskGroup), [{"task_id": task["task_id"], "group_code": task["candidate_group"],
                                                 "due_at": task["due_at"], "created_at": task["created_at"]}
                                                for task in tasks])
        session.add_all([
            BudgetReservation(case_ref="MON-A", pot="fund", district_code=None, year=YEAR, amount=Decimal("500"),
                              created_at=at("2026-01-16T10:00:00")),
            BudgetReservation(case_ref="MON-C", pot="district", district_code="oost", year=YEAR,
                              amount=Decimal("200"), created_at=at("2026-01-14T10:00:00")),
        ])
    assert fill_facts(loket.engine) == 3
