"""Helpers for the portal tests (factories after GOV.UK Notify's ``create_*`` style): cases
started through the real service, mails read from the folder mailer, a logged-in client, the
start form walked through its steps, and the staff steps that ask something of the initiator."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from engine.service import Engine, InstanceInfo
from processes.intake import submit_initiative
from processes.portal_login import issue_login_link
from tests.factories import loket_for
from tests.processes.factories import intake_data, wijkwens_data
from tests.web_support import check_page, csrf_token

ALICE = "alice@example.nl"
BOB = "bob@example.nl"


def start_case(engine: Engine, email: str = ALICE, *, wijkwens: bool = True, **overrides: Any) -> InstanceInfo:
    data = (wijkwens_data if wijkwens else intake_data)(email=email, **overrides)
    return submit_initiative(loket_for(engine), data, channel="online", actor=email)


def mails(app: Flask) -> list[Message]:
    folder = Path(app.config["MAIL_FOLDER"])
    return [message_from_bytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def last_mail(app: Flask, to: str) -> Message:
    found = [m for m in mails(app) if to in str(m["To"])]
    assert found, f"no mail to {to}"
    return found[-1]


def link_in(message: Message) -> str:
    found = re.search(r"https?://\S+", body(message))
    assert found, body(message)
    return found.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def log_in(client: FlaskClient, engine: Engine, email: str) -> None:
    """Log in the way a person does: a link, its confirm page, the button."""
    with engine.db.transaction() as session:
        link = issue_login_link(session, email)
    assert link is not None
    page = client.get(f"/inloggen/{link.token}")
    assert page.status_code == 200
    response = client.post(f"/inloggen/{link.token}", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """GET the page (for its CSRF token), then POST ``data`` to ``url``."""
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data}, **kwargs)


INTAKE_STEPS: dict[str, dict[str, Any]] = {
    "wie": {"soort_initiatiefnemer": "inwoner", "naam": "Alice de Boer", "email": ALICE},
    "wat": {"titel": "Buurtfeest Oosterpark", "omschrijving": "Een middag met spelletjes voor de kinderen.",
            "soort_initiatief": "activiteit", "reikwijdte": "buurt", "disciplines": ["evenementen"]},
    "waar": {"wijk": "oost"},
    "afronden": {"gevraagd_bedrag": "750", "publicatie_toestemming": "on"},
}


def fill_intake(client: FlaskClient, **changes: dict[str, Any]) -> None:
    """Walk every step of the start form with valid answers (``changes`` per step)."""
    for step, answers in INTAKE_STEPS.items():
        url = f"/aanmelden/stap/{step}"
        response = post_form(client, url, {**answers, **changes.get(step, {})})
        assert response.status_code == 302, check_page(response.text).get_text()[:2000]


STAFF = "medewerker@gemeente.example"
QUESTION = "Kunt u een tekening van de opstelling sturen?"


def complete(engine: Engine, info: InstanceInfo, task_name: str, data: dict[str, Any]) -> None:
    [task] = [t for t in engine.open_tasks(instance_id=info.id) if t.task_name == task_name]
    engine.complete_task(info.id, task.task_id, data, actor=STAFF)
    engine.run_due_jobs()


def ask_for_more(engine: Engine, info: InstanceInfo, question: str = QUESTION) -> None:
    """The intake team asks the initiator for more information (the case then waits)."""
    complete(engine, info, "categorie_bevestigen", {"aanvulling_nodig": True, "aanvulling_vraag": question})
    assert [m.message for m in engine.waiting_messages(info.id)] == ["aanvulling_ontvangen"]


def to_survey(engine: Engine, info: InstanceInfo) -> None:
    """Accept the category and reject the wijkwens: the initiator then gets the survey task."""
    complete(engine, info, "categorie_bevestigen", {"aanvulling_nodig": False, "categorie_akkoord": True})
    complete(engine, info, "regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "afgewezen",
                                                     "reden_afwijzing": "Er is al een feest die week."})
