"""The workspace pages through HTTP: lists, the task page (complete, draft, errors, conflict),
the case file and its actions. Every rendered page passes check_page."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from engine.tables import OpenTask
from processes.documents import Upload, store_document
from processes.tables.organisation import Guide
from processes.tables.staff import ContactMoment, StaffUser, TaskDraft
from tests.processes.factories import intake_data
from tests.web.staff.support import (
    ACCEPT,
    ASSESSORS,
    GROEN,
    GUIDE,
    INTAKE,
    INTAKE_2,
    OTHER_GUIDE,
    assessed_case,
    complex_case,
    green_case,
    login_as,
    start,
)
from tests.web_support import check_page, csrf_token


def get_page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:2000]
    check_page(response.text)
    return response.text


def post(client: FlaskClient, url: str, data: dict[str, str], page: str) -> tuple[int, str, str]:
    response = client.post(url, data={"csrf_token": csrf_token(page), **data})
    return response.status_code, response.headers.get("Location", ""), response.text


def test_lists_show_tasks_with_filters_and_links(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine, intake_data(titel="Geveltuin Kerkstraat"))
    login_as(client, app, INTAKE)
    text = get_page(client, "/medewerker/werkvoorraad")
    assert "Geveltuin Kerkstraat" in text and f"/medewerker/taken/{case.task('categorie_bevestigen').task_id}" in text
    assert "1 taak" in text
    assert "Geveltuin Kerkstraat" not in get_page(client, "/medewerker/werkvoorraad?wijk=west")
    assert "Geveltuin Kerkstraat" in get_page(client, "/medewerker/werkvoorraad?zoek=kerkstraat&sortering=nieuwste")
    assert "Er zijn geen taken" in get_page(client, "/medewerker/taken")


def test_pagination_links_keep_the_filters(app: Flask, client: FlaskClient, engine: Engine) -> None:
    for number in range(22):
        start(engine, intake_data(titel=f"Initiatief {number}", wijk="oost"))
    login_as(client, app, INTAKE)
    text = get_page(client, "/medewerker/werkvoorraad?wijk=oost")
    assert "Pagina 1 van 2" in text and "/medewerker/werkvoorraad?wijk=oost&amp;pagina=2" in text
    assert "Pagina 2 van 2" in get_page(client, "/medewerker/werkvoorraad?wijk=oost&pagina=2")


def test_complete_a_task_from_its_page(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    login_as(client, app, INTAKE)
    page = get_page(client, f"/medewerker/taken/{task_id}")
    assert "Categorie bevestigen" in page and "Het initiatief" in page and "eenvoudig" in page
    assert 'name="categorie_akkoord"' in page
    status, location, _ = post(client, f"/medewerker/taken/{task_id}",
                               {"actie": "afronden", "categorie_akkoord": "true"}, page)
    assert (status, location) == (302, "/medewerker/taken")
    assert "is afgerond" in get_page(client, "/medewerker/taken")
    case.run_jobs()
    assert case.task_names() == ["groen_beoordelen"]


def test_form_errors_come_back_on_the_page(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    login_as(client, app, INTAKE)
    page = get_page(client, f"/medewerker/taken/{task_id}")
    status, _, text = post(client, f"/medewerker/taken/{task_id}",
                           {"actie": "afronden", "categorie_akkoord": "false"}, page)
    assert status == 400
    soup = check_page(text)
    summary = soup.find(id="foutmeldingen")
    assert summary is not None and "veld-categorie_gekozen" in str(summary)
    assert case.task_names() == ["categorie_bevestigen"]


def test_save_a_draft_and_find_it_back(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    login_as(client, app, INTAKE)
    page = get_page(client, f"/medewerker/taken/{task_id}")
    status, location, _ = post(client, f"/medewerker/taken/{task_id}",
                               {"actie": "concept", "categorie_akkoord": "false",
                                "afwijking_reden": "Het is eigenlijk een buurtfeest."}, page)
    assert (status, location) == (302, f"/medewerker/taken/{task_id}")
    page = get_page(client, f"/medewerker/taken/{task_id}")
    assert "concept is opgeslagen" in page and "Het is eigenlijk een buurtfeest." in page
    with engine.db.transaction() as session:
        draft = session.scalar(select(TaskDraft).where(TaskDraft.task_id == task_id))
        assert draft is not None and draft.data["categorie_akkoord"] is False


def test_a_colleague_who_was_first_gives_a_409_page(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    login_as(client, app, INTAKE)
    page = get_page(client, f"/medewerker/taken/{task_id}")
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE_2)
    status, _, text = post(client, f"/medewerker/taken/{task_id}", {"actie": "afronden", "categorie_akkoord": "true"},
                           page)
    assert status == 409
    check_page(text)
    assert "al afgerond door karim.bouzid@gemeente.example" in text
    response = client.get(f"/medewerker/taken/{task_id}")
    assert response.status_code == 409


def test_claim_release_and_hand_over_buttons(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    task_id = case.task("categorie_bevestigen").task_id
    login_as(client, app, INTAKE)
    page = get_page(client, f"/medewerker/taken/{task_id}")
    assert post(client, f"/medewerker/taken/{task_id}/oppakken", {}, page)[1] == f"/medewerker/taken/{task_id}"
    page = get_page(client, f"/medewerker/taken/{task_id}")
    assert "Toegewezen aan Ilse de Wit" in page
    assert "Geveltuin" in get_page(client, "/medewerker/taken")
    assert post(client, f"/medewerker/taken/{task_id}/vrijgeven", {}, page)[1] == "/medewerker/werkvoorraad"
    with engine.db.transaction() as session:
        karim = session.scalar(select(StaffUser.id).where(StaffUser.email == INTAKE_2))
    page = get_page(client, f"/medewerker/taken/{task_id}")
    assert "Karim Bouzid" in page
    status, location, _ = post(client, f"/medewerker/taken/{task_id}/overdragen", {"collega": str(karim)}, page)
    assert location == "/medewerker/taken"
    assert case.task("categorie_bevestigen").assignee == INTAKE_2
    page = get_page(client, f"/medewerker/taken/{task_id}")
    assert "Neem de taak over" in page and 'name="actie"' not in page
    assert post(client, f"/medewerker/taken/{task_id}/overdragen", {"collega": "x"}, page)[1] == \
        f"/medewerker/taken/{task_id}"


def test_the_case_file_page_and_its_actions(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = assessed_case(engine)
    with engine.db.transaction() as session:
        store_document(session, Upload("plan.pdf", b"%PDF-1.4 plan"), uploaded_by="initiatiefnemer@example.nl",
                       instance_id=case.id)
    login_as(client, app, INTAKE)
    url = f"/medewerker/dossier/{case.info.case_ref}"
    page = get_page(client, url)
    for text in ("Voedselbos Weizigt", "Pieter Jansen", "R1", "vergunning", "Audittrail", "plan.pdf",
                 "Uw initiatief is ontvangen.", "Andere begeleider koppelen"):
        assert text in page, text
    status, location, _ = post(client, f"{url}/bericht", {"bericht": "Wanneer kunnen we langskomen?"}, page)
    assert location == f"{url}#berichten"
    page = get_page(client, url)
    assert "Wanneer kunnen we langskomen?" in page and "Uw bericht is verstuurd" in page
    post(client, f"{url}/contact", {"kanaal": "telefoon", "samenvatting": "Gebeld over de locatie."}, page)
    page = get_page(client, url)
    assert "Gebeld over de locatie." in page
    post(client, f"{url}/contact", {"kanaal": "fax", "samenvatting": "x"}, page)
    assert "Kies hoe het contact was." in get_page(client, url)
    with engine.db.transaction() as session:
        assert len(session.scalars(select(ContactMoment)).all()) == 1
        sanne = session.scalar(select(Guide.id).where(Guide.email == OTHER_GUIDE))
    post(client, f"{url}/begeleider", {"begeleider": str(sanne), "reden": "Verlof"}, page)
    assert "Sanne Bakker" in get_page(client, url)
    assert {task.assignee for task in case.tasks()} == {OTHER_GUIDE}
    post(client, f"{url}/begeleider", {"begeleider": "geen-getal"}, page)
    assert "Kies een actieve begeleider." in get_page(client, url)


def test_download_a_document_of_the_case(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = green_case(engine)
    with engine.db.transaction() as session:
        document = store_document(session, Upload("foto.png", b"\x89PNG\r\n\x1a\nDATA"), uploaded_by="x",
                                  instance_id=case.id)
        public_id = document.public_id
    other = green_case(engine, titel="Ander initiatief")
    login_as(client, app, GROEN)
    response = client.get(f"/medewerker/dossier/{case.info.case_ref}/documenten/{public_id}")
    assert response.status_code == 200 and response.data.endswith(b"DATA")
    assert "attachment" in response.headers["Content-Disposition"]
    # Not through another case's address.
    assert client.get(f"/medewerker/dossier/{other.info.case_ref}/documenten/{public_id}").status_code == 404


def test_ask_for_information_from_the_case_file(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = green_case(engine)
    login_as(client, app, GROEN)
    url = f"/medewerker/dossier/{case.info.case_ref}"
    page = get_page(client, url)
    assert "Meer informatie vragen" in page
    status, location, _ = post(client, f"{url}/aanvulling", {"taak": case.task("groen_beoordelen").task_id,
                                                             "vraag": "Hoeveel tegels gaan eruit?"}, page)
    assert location == url
    case.run_jobs()
    page = get_page(client, url)
    assert "Hoeveel tegels gaan eruit?" in page and "Wacht op de initiatiefnemer" in page


def test_the_specialist_team_assesses_and_the_guide_sees_it(app: Flask, client: FlaskClient,
                                                           engine: Engine) -> None:
    case = complex_case(engine)
    task_id = case.task("toets_locatie").task_id
    login_as(client, app, GUIDE)
    mine = get_page(client, "/medewerker/taken")
    assert f"/medewerker/taken/{task_id}" not in mine  # the guide does not do the assessments
    guided = BeautifulSoup(mine, "html.parser").find("section", attrs={"aria-labelledby": "begeleid"})
    assert guided is not None and case.info.case_ref in guided.text
    assert "Toets locatie – Team Vastgoed, nog niet opgepakt" in " ".join(guided.text.split())
    assert client.get(f"/medewerker/taken/{task_id}").status_code == 403
    login_as(client, app, ASSESSORS["toets_locatie"])
    assert f"/medewerker/taken/{task_id}" in get_page(client, "/medewerker/werkvoorraad")
    page = get_page(client, f"/medewerker/taken/{task_id}")
    status, _location, _ = post(client, f"/medewerker/taken/{task_id}",
                                {"actie": "afronden", "locatie_oordeel": "positief", "locatie_toelichting": "Prima."},
                                page)
    assert status == 302
    assert "toets_locatie" not in case.task_names()
    with engine.db.transaction() as session:
        assert session.scalar(select(OpenTask).where(OpenTask.task_id == task_id)) is None
    login_as(client, app, GUIDE)
    guided = BeautifulSoup(get_page(client, "/medewerker/taken"), "html.parser").find(
        "section", attrs={"aria-labelledby": "begeleid"})
    assert guided is not None and "Toets locatie" not in guided.text and "Toets participatie" in guided.text
    assert "Prima." in get_page(client, f"/medewerker/dossier/{case.info.case_ref}")


def test_pages_in_english(app: Flask, client: FlaskClient, engine: Engine) -> None:
    case = start(engine)
    login_as(client, app, INTAKE)
    client.get("/taal/en")
    text = get_page(client, "/medewerker/werkvoorraad")
    assert "Team work queue" in text and "Filter" in text
    page = get_page(client, f"/medewerker/taken/{case.task('categorie_bevestigen').task_id}")
    assert "Confirm the category" in page and "Save draft" in page
