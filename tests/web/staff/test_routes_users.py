"""Staff accounts and passwords through HTTP: the beheerder's screens, the forced password change
after a one-time password, changing one's own password, and the beheerder's own account."""

from __future__ import annotations

from urllib.parse import unquote

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.service import Engine
from processes.tables.staff import StaffAudit, StaffUser
from tests.web.staff.support import BEHEER, INTAKE, KCC, PASSWORD, login_as, principal
from tests.web_support import check_page, csrf_token

ONE_TIME = "tijdelijk-Zonnebloem-42"
NEW = "mijn eigen lange zin 7"
NEW_USER = "noor.haddad@gemeente.example"


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:1500]
    check_page(response.text)
    return response.text


def post_login(client: FlaskClient, email: str, password: str) -> str:
    token = csrf_token(client.get("/medewerker/inloggen").text)
    response = client.post("/medewerker/inloggen", data={"csrf_token": token, "email": email, "wachtwoord": password})
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def new_user_form(token: str, **overrides: str | list[str]) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {"csrf_token": token, "naam": "Noor Haddad", "email": NEW_USER,
                                        "rollen": ["regiegroep"], "wijk": "west", "wachtwoord": ONE_TIME}
    form.update(overrides)
    return form


def user_id(engine: Engine, email: str) -> int:
    with engine.db.transaction() as session:
        found = session.scalar(select(StaffUser.id).where(StaffUser.email == email))
        assert found is not None
        return found


def summary_links(html: str) -> dict[str, str]:
    """The error summary: link target -> message."""
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.find(id="foutmeldingen")
    assert summary is not None, "no error summary"
    return {str(link["href"]): link.get_text(strip=True) for link in summary.find_all("a")}


def test_a_beheerder_adds_a_user_who_must_choose_a_password_first(app: Flask, client: FlaskClient,
                                                                   engine: Engine) -> None:
    login_as(client, app, BEHEER)
    listing = page(client, "/medewerker/beheer/gebruikers")
    assert "Ilse de Wit" in listing and "Gebruiker toevoegen" in listing
    form_page = page(client, "/medewerker/beheer/gebruikers/nieuw")
    soup = BeautifulSoup(form_page, "html.parser")
    assert soup.find("input", attrs={"name": "rollen", "value": "regiegroep"}) is not None
    assert soup.find("select", attrs={"name": "wijk"}) is not None
    response = client.post("/medewerker/beheer/gebruikers/nieuw", data=new_user_form(csrf_token(form_page)))
    assert response.status_code == 302
    new_id = user_id(engine, NEW_USER)
    assert response.headers["Location"] == f"/medewerker/beheer/gebruikers/{new_id}"
    account = page(client, response.headers["Location"])
    assert "Het account van Noor Haddad is aangemaakt." in account and "Account aangemaakt" in account
    assert "Regiegroep wijkwensen West" in account

    # The new user logs in with the one-time password and can only choose a new one.
    newcomer = app.test_client()
    assert post_login(newcomer, NEW_USER, ONE_TIME).startswith("/medewerker/wachtwoord")
    forced = page(newcomer, "/medewerker/wachtwoord")
    assert "U logde in met een tijdelijk wachtwoord" in forced
    assert 'href="/medewerker/taken"' not in forced  # no navigation yet
    for url in ("/medewerker/", "/medewerker/taken", "/medewerker/beheer"):
        location = newcomer.get(url).headers.get("Location", "")
        assert unquote(location).startswith("/medewerker/wachtwoord?next=" + url), url
    response = newcomer.post("/medewerker/wachtwoord", data={
        "csrf_token": csrf_token(forced), "huidig_wachtwoord": ONE_TIME, "nieuw_wachtwoord": NEW,
        "herhaal_wachtwoord": NEW, "next": "/medewerker/werkvoorraad"})
    assert response.headers["Location"] == "/medewerker/werkvoorraad"
    assert "Uw wachtwoord is gewijzigd." in page(newcomer, "/medewerker/werkvoorraad")
    with engine.db.transaction() as session:
        actions = [row.action for row in session.scalars(select(StaffAudit).where(StaffAudit.user_id == new_id))]
    assert actions == ["created", "password_changed"]


def test_errors_of_the_new_user_form_are_listed_and_nothing_is_stored(app: Flask, client: FlaskClient,
                                                                      engine: Engine) -> None:
    login_as(client, app, BEHEER)
    form_page = page(client, "/medewerker/beheer/gebruikers/nieuw")
    response = client.post("/medewerker/beheer/gebruikers/nieuw", data=new_user_form(
        csrf_token(form_page), naam="", email=INTAKE, rollen=["regiegroep"], wijk="", wachtwoord="kort"))
    assert response.status_code == 400
    check_page(response.text)
    assert summary_links(response.text) == {
        "#veld-naam": "Vul de naam in.",
        "#veld-email": "Er is al een account met dit e-mailadres. Zoek het op in de lijst met gebruikers.",
        "#veld-wijk": "Kies de wijk van de regiegroep. Dat is nodig bij de rol Regiegroep.",
        "#veld-wachtwoord": "Het wachtwoord is te kort. Gebruik minstens 12 tekens.",
    }
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="veld-email").get("aria-invalid") == "true"
    assert soup.find("input", attrs={"name": "rollen", "value": "regiegroep"}).has_attr("checked")
    assert ONE_TIME not in response.text and 'value="kort"' not in response.text  # never echo a password
    with engine.db.transaction() as session:
        assert session.scalars(select(StaffAudit)).all() == []
    no_roles = client.post("/medewerker/beheer/gebruikers/nieuw", data=new_user_form(
        csrf_token(form_page), rollen=[], wijk=""))
    assert summary_links(no_roles.text) == {"#veld-rollen-0": "Kies minstens één rol."}


def test_roles_and_teams_are_changed_on_the_users_page(app: Flask, client: FlaskClient, engine: Engine) -> None:
    kcc_id = user_id(engine, KCC)
    login_as(client, app, BEHEER)
    text = page(client, f"/medewerker/beheer/gebruikers/{kcc_id}")
    response = client.post(f"/medewerker/beheer/gebruikers/{kcc_id}", data={
        "csrf_token": csrf_token(text), "naam": "Kim Jansen", "rollen": ["kcc", "intake"],
        "teams": ["initiatieventeam", "kcc"]})
    assert response.status_code == 302
    text = page(client, f"/medewerker/beheer/gebruikers/{kcc_id}")
    assert "De gegevens van Kim Jansen zijn opgeslagen." in text
    assert "Rollen: Klantcontactcentrum → Initiatieventeam (intake), Klantcontactcentrum" in text
    assert principal(engine, KCC).groups == {"initiatieventeam", "kcc"}


def test_a_beheerder_cannot_remove_their_own_role_or_switch_off_their_own_account(app: Flask, client: FlaskClient,
                                                                                  engine: Engine) -> None:
    own_id = login_as(client, app, BEHEER).id
    text = page(client, f"/medewerker/beheer/gebruikers/{own_id}")
    assert 'name="actief"' not in text and f'action="/medewerker/beheer/gebruikers/{own_id}/wachtwoord"' not in text
    assert "U kunt uw eigen account niet uitzetten." in text
    token = csrf_token(text)
    response = client.post(f"/medewerker/beheer/gebruikers/{own_id}", data={
        "csrf_token": token, "naam": "Ria van Leeuwen", "rollen": ["kcc"]})
    assert response.status_code == 400
    check_page(response.text)
    assert summary_links(response.text) == {
        "#veld-rollen-0": "U kunt uw eigen rol Beheerder niet weghalen. Vraag een andere beheerder om dat te doen."}
    # Tampering with the forms the page does not show.
    client.post(f"/medewerker/beheer/gebruikers/{own_id}/actief", data={"csrf_token": token, "actief": "nee"})
    assert "U kunt uw eigen account niet uitzetten. Vraag een andere beheerder" in page(
        client, f"/medewerker/beheer/gebruikers/{own_id}")
    client.post(f"/medewerker/beheer/gebruikers/{own_id}/wachtwoord", data={"csrf_token": token,
                                                                            "wachtwoord": ONE_TIME})
    assert "Uw eigen wachtwoord wijzigt u met de link Wachtwoord wijzigen" in page(client, "/medewerker/beheer")
    assert principal(engine, BEHEER).roles == {"beheerder"}
    assert page(client, "/medewerker/beheer/gebruikers")  # still a beheerder, still logged in


def test_switching_an_account_off_ends_its_session_and_on_again(app: Flask, client: FlaskClient,
                                                                engine: Engine) -> None:
    intake_id = user_id(engine, INTAKE)
    colleague = app.test_client()
    login_as(colleague, app, INTAKE)
    assert colleague.get("/medewerker/taken").status_code == 200
    login_as(client, app, BEHEER)
    text = page(client, f"/medewerker/beheer/gebruikers/{intake_id}")
    client.post(f"/medewerker/beheer/gebruikers/{intake_id}/actief", data={"csrf_token": csrf_token(text),
                                                                           "actief": "nee"})
    text = page(client, f"/medewerker/beheer/gebruikers/{intake_id}")
    assert "Het account van Ilse de Wit staat uit." in text and "Account weer aanzetten" in text
    assert colleague.get("/medewerker/taken").headers["Location"].startswith("/medewerker/inloggen")
    client.post(f"/medewerker/beheer/gebruikers/{intake_id}/actief", data={"csrf_token": csrf_token(text),
                                                                           "actief": "ja"})
    assert "Het account van Ilse de Wit staat weer aan." in page(client, f"/medewerker/beheer/gebruikers/{intake_id}")
    assert post_login(app.test_client(), INTAKE, PASSWORD) == "/medewerker/"


def test_a_one_time_password_is_set_for_a_colleague(app: Flask, client: FlaskClient, engine: Engine) -> None:
    intake_id = user_id(engine, INTAKE)
    login_as(client, app, BEHEER)
    text = page(client, f"/medewerker/beheer/gebruikers/{intake_id}")
    token = csrf_token(text)
    weak = client.post(f"/medewerker/beheer/gebruikers/{intake_id}/wachtwoord",
                       data={"csrf_token": token, "wachtwoord": "welkom123456"})
    assert weak.status_code == 400
    check_page(weak.text)
    assert summary_links(weak.text) == {"#veld-wachtwoord": "Dit wachtwoord is te makkelijk te raden. Kies "
                                                            "bijvoorbeeld een korte zin of een paar losse woorden."}
    response = client.post(f"/medewerker/beheer/gebruikers/{intake_id}/wachtwoord",
                           data={"csrf_token": token, "wachtwoord": ONE_TIME})
    assert response.headers["Location"] == f"/medewerker/beheer/gebruikers/{intake_id}"
    text = page(client, response.headers["Location"])
    assert "Het tijdelijke wachtwoord van Ilse de Wit is ingesteld" in text
    assert "Tijdelijk wachtwoord ingesteld" in text and ONE_TIME not in text
    assert post_login(app.test_client(), INTAKE, ONE_TIME).startswith("/medewerker/wachtwoord")


def test_every_user_can_change_their_password(app: Flask, client: FlaskClient, engine: Engine) -> None:
    other_device = app.test_client()
    login_as(other_device, app, KCC)
    login_as(client, app, KCC)
    home = page(client, "/medewerker/")
    assert 'href="/medewerker/wachtwoord"' in home
    form_page = page(client, "/medewerker/wachtwoord")
    soup = BeautifulSoup(form_page, "html.parser")
    assert soup.find(id="veld-huidig_wachtwoord").get("autocomplete") == "current-password"
    assert soup.find(id="veld-nieuw_wachtwoord").get("autocomplete") == "new-password"
    token = csrf_token(form_page)
    wrong = client.post("/medewerker/wachtwoord", data={"csrf_token": token, "huidig_wachtwoord": "fout",
                                                        "nieuw_wachtwoord": NEW, "herhaal_wachtwoord": "anders"})
    assert wrong.status_code == 400
    check_page(wrong.text)
    assert summary_links(wrong.text) == {
        "#veld-huidig_wachtwoord": "Uw huidige wachtwoord klopt niet.",
        "#veld-herhaal_wachtwoord": "De twee nieuwe wachtwoorden zijn niet hetzelfde. Typ het nieuwe wachtwoord "
                                    "twee keer precies gelijk."}
    response = client.post("/medewerker/wachtwoord", data={"csrf_token": token, "huidig_wachtwoord": PASSWORD,
                                                           "nieuw_wachtwoord": NEW, "herhaal_wachtwoord": NEW})
    assert response.headers["Location"] == "/medewerker/"
    assert "Uw wachtwoord is gewijzigd." in page(client, "/medewerker/")  # this session goes on
    assert other_device.get("/medewerker/").headers["Location"].startswith("/medewerker/inloggen")
    assert post_login(app.test_client(), KCC, NEW) == "/medewerker/"


def test_account_forms_need_the_csrf_token(app: Flask, client: FlaskClient, engine: Engine) -> None:
    intake_id = user_id(engine, INTAKE)
    login_as(client, app, BEHEER)
    assert client.post("/medewerker/beheer/gebruikers/nieuw", data=new_user_form("")).status_code == 400
    assert client.post(f"/medewerker/beheer/gebruikers/{intake_id}/actief", data={"actief": "nee"}).status_code == 400
    assert client.post(f"/medewerker/beheer/gebruikers/{intake_id}/wachtwoord",
                       data={"wachtwoord": ONE_TIME}).status_code == 400
    assert client.post("/medewerker/wachtwoord", data={"huidig_wachtwoord": PASSWORD, "nieuw_wachtwoord": NEW,
                                                       "herhaal_wachtwoord": NEW}).status_code == 400
    with engine.db.transaction() as session:
        assert session.scalars(select(StaffAudit)).all() == []
        assert session.scalar(select(StaffUser.id).where(StaffUser.email == NEW_USER)) is None


def test_unknown_accounts_give_not_found(app: Flask, client: FlaskClient) -> None:
    login_as(client, app, BEHEER)
    assert "Dit account bestaat niet" in page(client, "/medewerker/beheer/gebruikers/99999", 404)


def test_the_account_pages_in_english(app: Flask, client: FlaskClient, engine: Engine) -> None:
    login_as(client, app, BEHEER)
    client.get("/taal/en")
    assert "Add user" in page(client, "/medewerker/beheer/gebruikers")
    assert "Temporary password" in page(client, "/medewerker/beheer/gebruikers/nieuw")
    assert "Switch account off" in page(client, f"/medewerker/beheer/gebruikers/{user_id(engine, INTAKE)}")
    assert "Change password" in page(client, "/medewerker/wachtwoord")
