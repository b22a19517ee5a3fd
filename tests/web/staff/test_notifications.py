"""Mail to staff about work, sent over real SMTP to a local test server: a task given to a person,
work arriving in a team's queue (a mail per task, a daily overview or nothing, as the beheerder
sets it per team), and the initiator's answer or message to whoever asked; a task that returns
after the initiator answered goes back to the person who asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine import clock
from engine.service import Engine
from processes import notifications
from processes.dates import LOCAL_TIME
from processes.housekeeping import notify_staff
from processes.tables.organisation import Guide, Team
from processes.taskwork import ask_information
from tests.smtp_support import Mailbox
from tests.web.public.support import ALICE, log_in, start_case
from tests.web.staff.support import (
    ASSESSORS,
    BEHEER,
    GROEN,
    GUIDE,
    INTAKE,
    INTAKE_2,
    OOST,
    OTHER_GUIDE,
    PROCES,
    assessed_case,
    complex_case,
    green_case,
    login_as,
    principal,
    tasks_of,
    wijkwens_case,
)
from tests.web_support import app_on_copy, csrf_token
from web import loket_of
from web.cli import cli


@pytest.fixture
def app(staff_sqlite: Path, tmp_path: Path, mailbox: Mailbox) -> Iterator[Flask]:
    with app_on_copy(staff_sqlite, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port) as app:
        yield app


def _later(minutes: int = 1) -> None:
    clock.set_time(clock.now() + timedelta(minutes=minutes))


def announce(app: Flask, engine: Engine) -> None:
    """The worker's round a little later: new tasks announced, due overviews sent, mail sent."""
    _later()
    notify_staff(loket_of(app))
    engine.run_due_jobs()


def _set_team(client: FlaskClient, app: Flask, code: str, setting: str, mailbox_address: str = "") -> int:
    login_as(client, app, BEHEER)
    page = client.get("/medewerker/beheer/teams")
    with loket_of(app).reading() as session:
        team = session.get(Team, code)
        assert team is not None
        form = {"naam": team.name, "teamleider": team.lead_email or "", "actief": "on"}
    response = client.post(f"/medewerker/beheer/teams/{code}", data={
        "csrf_token": csrf_token(page.text), **form, "meldingen": setting, "meldingen_email": mailbox_address})
    return response.status_code


def test_a_task_the_diagram_gives_to_a_person_is_mailed_to_them(app: Flask, engine: Engine,
                                                                 mailbox: Mailbox) -> None:
    case = assessed_case(engine)
    announce(app, engine)
    assessments = [m for m in mailbox.to(GUIDE) if "Nieuwe taak voor u" in str(m["Subject"])]
    assert [str(m["Subject"]).split(": ", 1)[1] for m in assessments] == [f"Advies en besluit ({case.info.case_ref})"]
    body = Mailbox.body(assessments[0])
    assert body.startswith("Beste Pieter Jansen,") and case.info.case_ref in body and "Mijn taken" in body
    # Each task is announced once, however often the worker comes round.
    before = len(mailbox.messages)
    announce(app, engine)
    assert len(mailbox.messages) == before


def test_a_team_set_to_each_gets_a_mail_per_task_and_a_team_set_to_none_gets_none(
        app: Flask, engine: Engine, mailbox: Mailbox) -> None:
    client = app.test_client()
    assert _set_team(client, app, "regiegroep-oost", "none") == 302
    green = green_case(engine)
    wijkwens_case(engine, wijk="oost")
    announce(app, engine)
    [groen] = [m for m in mailbox.to(GROEN) if "Nieuw werk voor" in str(m["Subject"])]
    assert green.info.case_ref in str(groen["Subject"])
    assert "werkvoorraad van het team" in Mailbox.body(groen)
    assert mailbox.to(OOST) == []
    # The intake team (a mail per task, the default) hears nothing of tasks done before the round.
    assert mailbox.to(INTAKE) == []
    fresh = start_case(engine, email="henk@example.nl")
    announce(app, engine)
    assert [str(m["Subject"]).strip() for m in mailbox.to(INTAKE)] == [
        f"Nieuw werk voor Initiatieventeam: Categorie bevestigen ({fresh.case_ref})"]


def test_a_teams_shared_mailbox_gets_the_mails_instead_of_its_members(app: Flask, engine: Engine,
                                                                      mailbox: Mailbox) -> None:
    assert _set_team(app.test_client(), app, "team-groen", "each", "groen@gemeente.example") == 302
    green_case(engine)
    announce(app, engine)
    assert len(mailbox.to("groen@gemeente.example")) == 1 and mailbox.to(GROEN) == []


def test_the_daily_overview_lists_what_arrived_once_a_day(app: Flask, engine: Engine, mailbox: Mailbox) -> None:
    assert _set_team(app.test_client(), app, "regiegroep-oost", "daily") == 302
    clock.set_time(datetime(2026, 12, 7, 5, 0, tzinfo=LOCAL_TIME))  # before the overview's hour
    first = wijkwens_case(engine, wijk="oost", titel="Kerstmarkt")
    second = wijkwens_case(engine, wijk="oost", titel="Burendag")
    announce(app, engine)
    assert mailbox.to(OOST) == [], "no mail per task, and the overview is not due yet"
    clock.set_time(datetime(2026, 12, 7, 7, 5, tzinfo=LOCAL_TIME))
    notify_staff(loket_of(app))
    engine.run_due_jobs()
    [overview] = mailbox.to(OOST)
    assert str(overview["Subject"]) == "Nieuw werk voor Regiegroep wijkwensen Oost: 2 taken"
    body = Mailbox.body(overview)
    assert first.info.case_ref in body and second.info.case_ref in body and '"Kerstmarkt"' in body
    clock.set_time(datetime(2026, 12, 7, 15, 0, tzinfo=LOCAL_TIME))
    notify_staff(loket_of(app))
    engine.run_due_jobs()
    assert len(mailbox.to(OOST)) == 1, "one overview a day"
    # The next day: only what arrived since, and nothing at all when nothing arrived.
    third = wijkwens_case(engine, wijk="oost", titel="Speeltuin")
    clock.set_time(datetime(2026, 12, 8, 7, 1, tzinfo=LOCAL_TIME))
    notify_staff(loket_of(app))
    engine.run_due_jobs()
    latest = mailbox.to(OOST)[-1]
    assert str(latest["Subject"]).endswith(": 1 taak") and third.info.case_ref in Mailbox.body(latest)
    assert first.info.case_ref not in Mailbox.body(latest)
    clock.set_time(datetime(2026, 12, 9, 7, 1, tzinfo=LOCAL_TIME))
    notify_staff(loket_of(app))
    engine.run_due_jobs()
    assert len(mailbox.to(OOST)) == 2


def test_the_digest_command_sends_the_overview_now(app: Flask, engine: Engine, mailbox: Mailbox) -> None:
    assert _set_team(app.test_client(), app, "regiegroep-oost", "daily") == 302
    clock.set_time(datetime(2026, 12, 7, 5, 0, tzinfo=LOCAL_TIME))
    wijkwens_case(engine, wijk="oost")
    _later()
    result = app.test_cli_runner().invoke(cli, ["meldingen", "--overzicht-nu"])
    assert result.exit_code == 0, result.output
    assert [str(m["Subject"]) for m in mailbox.to(OOST)] == ["Nieuw werk voor Regiegroep wijkwensen Oost: 1 taak"]


def test_a_task_handed_over_is_mailed_to_the_colleague_once(app: Flask, engine: Engine, mailbox: Mailbox) -> None:
    assert _set_team(app.test_client(), app, "initiatieventeam", "none") == 302
    client = app.test_client()
    login_as(client, app, INTAKE)
    other = principal(engine, INTAKE_2)
    fresh = start_case(engine, email="henk@example.nl")
    [intake_task] = tasks_of(engine, fresh.id)
    page = client.get(f"/medewerker/taken/{intake_task.task_id}")
    response = client.post(f"/medewerker/taken/{intake_task.task_id}/overdragen",
                           data={"csrf_token": csrf_token(page.text), "collega": str(other.id)})
    assert response.status_code == 302
    engine.run_due_jobs()
    [mail] = mailbox.to(INTAKE_2)
    assert str(mail["Subject"]) == f"Nieuwe taak voor u: Categorie bevestigen ({fresh.case_ref})"
    assert Mailbox.body(mail).startswith("Beste Karim Bouzid,")
    announce(app, engine)
    assert len(mailbox.to(INTAKE_2)) == 1, "the worker does not announce it a second time"


def test_an_answered_question_returns_the_task_to_whoever_asked(app: Flask, engine: Engine,
                                                                mailbox: Mailbox) -> None:
    loket = loket_of(app)
    case = start_case(engine)
    [task] = tasks_of(engine, case.id)
    asker = principal(engine, INTAKE_2)
    ask_information(loket, asker, task.task_id, "Hoeveel kinderen komen er?")
    engine.run_due_jobs()
    client = app.test_client()
    log_in(client, engine, ALICE)
    url = f"/mijn-initiatieven/{case.case_ref}"
    page = client.get(url)
    response = client.post(f"{url}/actie/message/aanvulling_ontvangen",
                           data={"csrf_token": csrf_token(page.text), "antwoord": "Ongeveer dertig."})
    assert response.status_code == 302
    engine.run_due_jobs()
    [returned] = tasks_of(engine, case.id)
    assert returned.task_name == "categorie_bevestigen" and returned.assignee == INTAKE_2
    [reply] = mailbox.to(INTAKE_2)
    assert str(reply["Subject"]) == f"Antwoord op uw vraag bij {case.case_ref}"
    assert "staat weer voor u klaar" in Mailbox.body(reply)
    trail = [event.kind for event in engine.audit_trail(case.id)]
    assert "task_returned" in trail
    # The returned task is not announced to the team as new work.
    announce(app, engine)
    assert [m for m in mailbox.messages if "Nieuw werk" in str(m["Subject"])] == []


def test_a_message_from_the_initiator_is_mailed_to_the_colleague_who_wrote(app: Flask, engine: Engine,
                                                                         mailbox: Mailbox) -> None:
    case = start_case(engine)
    staff = app.test_client()
    login_as(staff, app, INTAKE)
    dossier = staff.get(f"/medewerker/dossier/{case.case_ref}")
    sent = staff.post(f"/medewerker/dossier/{case.case_ref}/bericht",
                      data={"csrf_token": csrf_token(dossier.text), "bericht": "Op welke dag is het feest?"})
    assert sent.status_code == 302
    initiator = app.test_client()
    log_in(initiator, engine, ALICE)
    url = f"/mijn-initiatieven/{case.case_ref}"
    page = initiator.get(url)
    assert initiator.post(f"{url}/bericht", data={"csrf_token": csrf_token(page.text),
                                                  "bericht": "Op 5 mei."}).status_code == 302
    engine.run_due_jobs()
    [mail] = [m for m in mailbox.to(INTAKE) if "Nieuw bericht" in str(m["Subject"])]
    assert str(mail["Subject"]) == f"Nieuw bericht bij {case.case_ref}"
    assert "Op 5 mei." not in Mailbox.body(mail), "the mail never holds the message itself"


def test_only_a_beheerder_changes_a_teams_mail_setting(app: Flask, engine: Engine) -> None:
    for email in (INTAKE, GROEN):
        client = app.test_client()
        login_as(client, app, email)
        page = client.get("/medewerker/")
        response = client.post("/medewerker/beheer/teams/team-groen", data={
            "csrf_token": csrf_token(page.text), "naam": "Team Groen", "meldingen": "none"})
        assert response.status_code == 403
    client = app.test_client()
    assert _set_team(client, app, "team-groen", "sometimes") == 400
    with loket_of(app).reading() as session:
        team = session.scalar(select(Team).where(Team.code == "team-groen"))
        assert team is not None and team.notify == "each"
    assert _set_team(client, app, "team-groen", "daily") == 302
    with loket_of(app).reading() as session:
        team = session.get(Team, "team-groen")
        assert team is not None and team.notify == "daily"


def test_the_overview_is_due_from_seven_local_time() -> None:
    morning = datetime(2026, 12, 7, 6, 59, tzinfo=LOCAL_TIME)
    seven = datetime(2026, 12, 7, 7, 0, tzinfo=LOCAL_TIME)
    assert not notifications.digest_due(None, morning)
    assert notifications.digest_due(None, seven)
    assert not notifications.digest_due(seven, seven + timedelta(hours=3))
    assert notifications.digest_due(seven - timedelta(hours=1), seven)



@pytest.mark.parametrize("name", ["taak_toegewezen", "taak_in_wachtrij", "dagoverzicht", "reactie_initiatiefnemer"])
def test_the_process_owner_edits_and_previews_the_staff_mails(app: Flask, name: str) -> None:
    client = app.test_client()
    login_as(client, app, PROCES)
    url = f"/medewerker/processen/teksten/texts/{name}.nl.txt"
    page = client.get(url)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    values = {code.get_text() for code in soup.select("table code")}
    assert "{{ case_ref }}" in values or "{{ overzicht }}" in values
    form = {field["name"]: field.get("value", "") for field in soup.select("input[name]")}
    form.update({area["name"]: area.get_text().removeprefix("\n") for area in soup.select("textarea[name]")})
    response = client.post(url, data={**form, "actie": "voorbeeld"})
    assert response.status_code == 200
    subjects = [span.get_text() for span in BeautifulSoup(response.text, "html.parser")
                .select(".staff-text-preview-subject")]
    assert len(subjects) == 2 and all(subject.strip() for subject in subjects)


def test_a_new_guide_hears_of_each_task_taken_over(app: Flask, engine: Engine, mailbox: Mailbox) -> None:
    case = assessed_case(engine)
    announce(app, engine)
    client = app.test_client()
    login_as(client, app, INTAKE)
    with loket_of(app).reading() as session:
        sanne = session.scalar(select(Guide.id).where(Guide.email == OTHER_GUIDE))
    url = f"/medewerker/dossier/{case.info.case_ref}"
    page = client.get(url)
    response = client.post(f"{url}/begeleider", data={"csrf_token": csrf_token(page.text),
                                                      "begeleider": str(sanne), "reden": "Verlof"})
    assert response.status_code == 302
    engine.run_due_jobs()
    taken_over = mailbox.to(OTHER_GUIDE)
    assert len(taken_over) == 1
    assert all(Mailbox.body(mail).startswith("Beste Sanne Bakker,") for mail in taken_over)
    announce(app, engine)
    assert len(mailbox.to(OTHER_GUIDE)) == 1


def test_the_assessments_reach_the_specialist_teams_not_the_guide(app: Flask, engine: Engine,
                                                                  mailbox: Mailbox) -> None:
    case = complex_case(engine)
    announce(app, engine)
    for assessor in ASSESSORS.values():
        [work] = [m for m in mailbox.to(assessor) if "Nieuw werk voor" in str(m["Subject"])]
        assert case.info.case_ref in str(work["Subject"])
    assert not [m for m in mailbox.to(GUIDE) if "Nieuwe taak voor u" in str(m["Subject"])]
