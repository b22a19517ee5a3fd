"""The simulated users of ``loket bench load``: each a thread with its own HTTP client (cookies,
CSRF tokens read from the pages as a browser does) and 1–3 s think time between pages.

- initiator: walks the multi-step start form, sends it, reads the confirmation, then asks for a
  login link (read from the bench's SMTP sink), logs in and looks at Mijn initiatieven and the
  initiative's status page; then a new initiative.
- staff: logs in with a demo account (intake team, team Groen, a regiegroep) and works the team
  queue: opens a task and completes the kinds it knows how to answer.
- kcc: a contact-centre agent logs in and searches (a word, or the number of a sent initiative)
  and opens a result.

Every request is timed per journey step. An answer other than the expected status is an error;
a 409 on a task (a colleague completed it first) is counted as a conflict."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from processes.bench_site import MailSink
from processes.bench_stats import Recorder
from processes.demo.staff import demo_password

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_REF = re.compile(r'class="loket-reference">([^<]+)<')
_TASK = re.compile(r'href="/medewerker/taken/([0-9a-f-]{36})">([^<]*)<')
_KCC_CASE = re.compile(r'href="/medewerker/kcc/([A-Za-z0-9-]+)"')
THINK = (1.0, 3.0)
DOMAIN = "gemeente.example"
INTAKE = (f"ilse.dewit@{DOMAIN}", f"karim.bouzid@{DOMAIN}")
STAFF_ACCOUNTS = (INTAKE[0], f"gerda.hoekstra@{DOMAIN}", INTAKE[1], f"bram.verhoeven@{DOMAIN}",
                  f"naima.aziz@{DOMAIN}", f"tom.degraaf@{DOMAIN}")
KCC_ACCOUNTS = (f"kim.jansen@{DOMAIN}", f"ahmed.benali@{DOMAIN}")
KCC_WORDS = ("geveltuin", "buurtfeest", "sinterklaas", "voedselbos", "moestuin", "oost")
DISTRICTS = ("oost", "west", "centrum")
KNOWN_TASKS = ("Categorie bevestigen", "Beoordelen door team Groen", "Beoordelen door regiegroep")
MIX = ("initiator", "staff", "kcc", "initiator", "staff", "initiator", "staff", "initiator", "kcc", "initiator")
"""The journey of user i is MIX[i % 10]: half initiators, three in ten staff, two in ten KCC."""


@dataclass(frozen=True)
class Submission:
    email: str
    case_ref: str


@dataclass
class Shared:
    """What the users of one run share: the recorder, the mail sink and the confirmed initiatives."""

    base_url: str
    recorder: Recorder
    mail: MailSink
    deadline: float
    think: tuple[float, float] = THINK
    submissions: list[Submission] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def confirmed(self, submission: Submission) -> None:
        with self.lock:
            self.submissions.append(submission)

    def some_ref(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(self.submissions).case_ref if self.submissions else None


def new_client(base_url: str) -> httpx.Client:
    """A browser-like client. It keeps an idle connection for 1 s, less than gunicorn's keep-alive
    of 2 s: otherwise a request after a think time can race the server closing the connection
    (a browser retries then; this client would report an error the site did not make)."""
    return httpx.Client(base_url=base_url, follow_redirects=False, timeout=60.0,
                        limits=httpx.Limits(keepalive_expiry=1.0))


def _token(page: str) -> str:
    found = _TOKEN.search(page)
    return found.group(1) if found else ""


def intake_steps(email: str, number: int) -> dict[str, dict[str, Any]]:
    """Valid answers for every step of the start form: a green initiative or a wijkwens."""
    district = DISTRICTS[number % 3]
    if number % 2:
        what = {"titel": f"Buurtfeest {number}", "omschrijving": "Een middag met spelletjes voor de kinderen.",
                "soort_initiatief": "activiteit", "reikwijdte": "buurt", "disciplines": ["evenementen"]}
        amount = "450"
    else:
        what = {"titel": f"Geveltuin {number}", "omschrijving": "Geveltuintjes langs de huizen in onze straat.",
                "soort_initiatief": "groen", "reikwijdte": "straat", "disciplines": ["groen"]}
        amount = "0"
    return {
        "wie": {"soort_initiatiefnemer": "inwoner", "naam": "Bench Gebruiker", "email": email},
        "wat": what,
        "waar": {"wijk": district},
        "afronden": {"gevraagd_bedrag": amount, "publicatie_toestemming": "on"},
    }


def task_answers(page: str) -> dict[str, Any] | None:
    """What a staff member answers on a task page this bench knows, else None."""
    if 'name="categorie_akkoord"' in page:
        return {"actie": "afronden", "categorie_akkoord": "true"}
    if 'name="toegekend_bedrag"' in page:
        return {"actie": "afronden", "besluit": "afgewezen",
                "reden_afwijzing": "Het budget van de wijk is dit jaar op; vraag het volgend jaar opnieuw aan."}
    if 'name="afspraken"' in page and 'name="besluit"' in page:
        return {"actie": "afronden", "besluit": "toegekend", "afspraken": "U plant zelf; wij halen de tegels weg."}
    return None


class User:
    """One simulated user: an HTTP client, a random generator and the shared recorder."""

    def __init__(self, shared: Shared, number: int, seed: int) -> None:
        self.shared, self.number = shared, number
        self.rng = random.Random(seed)  # noqa: S311 - think times, not secrets
        self.client = new_client(shared.base_url)
        self.rounds = 0

    @property
    def over(self) -> bool:
        return time.monotonic() >= self.shared.deadline

    def think(self) -> bool:
        """Wait 1–3 s (never past the deadline); False when the time is up."""
        pause = min(self.rng.uniform(*self.shared.think), self.shared.deadline - time.monotonic())
        if pause > 0:
            time.sleep(pause)
        return not self.over

    def call(self, step: str, method: str, path: str, *, expect: tuple[int, ...] = (200,),
             data: dict[str, Any] | None = None, conflict_ok: bool = False) -> httpx.Response | None:
        """One timed request; None (and an error counted) when the answer is not the expected one."""
        recorder = self.shared.recorder
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, data=data)
        except httpx.HTTPError as exc:
            recorder.timed(step, time.perf_counter() - started, started)
            recorder.error(step, f"{method} {path}: {type(exc).__name__}")
            return None
        recorder.timed(step, time.perf_counter() - started, started)
        if response.status_code in expect:
            return response
        if conflict_ok and response.status_code == 409:
            recorder.conflict(step)
            return None
        recorder.error(step, f"{method} {path} -> {response.status_code}")
        return None

    def form_post(self, step: str, path: str, page: httpx.Response, data: dict[str, Any], *,
                  expect: tuple[int, ...] = (302,), conflict_ok: bool = False) -> httpx.Response | None:
        return self.call(step, "POST", path, data={"csrf_token": _token(page.text), **data}, expect=expect,
                         conflict_ok=conflict_ok)

    def close(self) -> None:
        self.client.close()


# initiator ------------------------------------------------------------------------------------------
def submit_initiative(user: User) -> Submission | None:
    """The start form step by step, the summary, sending and the confirmation."""
    number = user.number * 100_000 + user.rounds
    email = f"bench.{user.number}.{user.rounds}@example.nl"
    if user.call("aanmelden.start", "GET", "/aanmelden", expect=(302,)) is None:
        return None
    for step, answers in intake_steps(email, number).items():
        path = f"/aanmelden/stap/{step}"
        page = user.call("aanmelden.stap", "GET", path)
        if page is None or not user.think():
            return None
        if user.form_post("aanmelden.stap_opslaan", path, page, answers) is None:
            return None
    page = user.call("aanmelden.controleren", "GET", "/aanmelden/controleren")
    if page is None or not user.think():
        return None
    if user.form_post("aanmelden.versturen", "/aanmelden/versturen", page, {}) is None:
        return None
    confirmation = user.call("aanmelden.ontvangen", "GET", "/aanmelden/ontvangen")
    found = _REF.search(confirmation.text) if confirmation is not None else None
    if confirmation is not None and found is None:
        user.shared.recorder.error("aanmelden.ontvangen", "geen nummer op de bevestiging")
    return Submission(email, found.group(1).strip()) if found else None


def check_status(user: User, submission: Submission) -> bool:
    """Ask for a login link, follow it, and look at Mijn initiatieven and the status page."""
    page = user.call("portaal.inlogpagina", "GET", "/inloggen", expect=(200, 302))
    if page is None or not user.think():
        return False
    if page.status_code == 200:
        if user.form_post("portaal.link_vragen", "/inloggen", page, {"email": submission.email},
                          expect=(200,)) is None:
            return False
        link = user.shared.mail.link_for(submission.email, marker="/inloggen/")
        if link is None:
            user.shared.recorder.error("portaal.link_vragen", "geen inloglink ontvangen")
            return False
        path = link.split("://", 1)[1].partition("/")[2]
        confirm = user.call("portaal.link_openen", "GET", f"/{path}")
        if confirm is None or user.form_post("portaal.inloggen", f"/{path}", confirm, {}) is None:
            return False
    if user.call("portaal.mijn_initiatieven", "GET", "/mijn-initiatieven") is None or not user.think():
        return False
    return user.call("portaal.status", "GET", f"/mijn-initiatieven/{submission.case_ref}") is not None


def log_out_initiator(user: User) -> None:
    """The next initiative is someone else's: a fresh client (no cookies)."""
    user.client.close()
    user.client = new_client(user.shared.base_url)


def initiator(user: User) -> None:
    while not user.over:
        submission = submit_initiative(user)
        user.rounds += 1
        if submission is not None:
            user.shared.confirmed(submission)
            user.shared.recorder.journey_done("aanmelden")
            if user.think() and check_status(user, submission):
                user.shared.recorder.journey_done("status_bekijken")
        log_out_initiator(user)
        user.think()


# staff ----------------------------------------------------------------------------------------------
def staff_login(user: User, email: str) -> bool:
    page = user.call("medewerker.inlogpagina", "GET", "/medewerker/inloggen")
    if page is None or not user.think():
        return False
    return user.form_post("medewerker.inloggen", "/medewerker/inloggen", page,
                          {"email": email, "wachtwoord": demo_password()}) is not None


def work_one_task(user: User) -> None:
    queue = user.call("medewerker.werkvoorraad", "GET", "/medewerker/werkvoorraad")
    if queue is None or not user.think():
        return
    tasks = _TASK.findall(queue.text)
    known = [task_id for task_id, title in tasks if title.strip() in KNOWN_TASKS]
    if not (known or tasks):
        return
    task_id = user.rng.choice(known or [task_id for task_id, _title in tasks])
    path = f"/medewerker/taken/{task_id}"
    page = user.call("medewerker.taak", "GET", path, conflict_ok=True)
    if page is None:
        return
    answers = task_answers(page.text)
    if answers is None or not user.think():
        return
    if user.form_post("medewerker.afronden", path, page, answers, conflict_ok=True) is not None:
        user.shared.recorder.journey_done("taak_afronden")


def staff(user: User) -> None:
    if not staff_login(user, STAFF_ACCOUNTS[nth_of_kind(user.number) % len(STAFF_ACCOUNTS)]):
        return
    while user.think():
        work_one_task(user)


# kcc ------------------------------------------------------------------------------------------------
def kcc(user: User) -> None:
    if not staff_login(user, KCC_ACCOUNTS[nth_of_kind(user.number) % len(KCC_ACCOUNTS)]):
        return
    while user.think():
        word = user.shared.some_ref(user.rng) if user.rng.random() < 0.3 else None
        query = word or user.rng.choice(KCC_WORDS)
        found = user.call("kcc.zoeken", "GET", f"/medewerker/kcc?q={query}")
        refs = _KCC_CASE.findall(found.text) if found is not None else []
        if refs and user.think():
            if user.call("kcc.dossier", "GET", f"/medewerker/kcc/{user.rng.choice(refs)}") is not None:
                user.shared.recorder.journey_done("kcc_zoeken")


JOURNEYS: dict[str, Callable[[User], None]] = {"initiator": initiator, "staff": staff, "kcc": kcc}


def journey_of(number: int) -> str:
    return MIX[number % len(MIX)]


def nth_of_kind(number: int) -> int:
    """How many users before user ``number`` have its journey (staff spread over the accounts)."""
    kind = journey_of(number)
    return number // len(MIX) * MIX.count(kind) + MIX[: number % len(MIX)].count(kind)


def run_user(shared: Shared, number: int, start_delay: float, seed: int) -> None:
    """One user's thread: wait for its turn in the ramp-up, then its journey until the deadline."""
    time.sleep(start_delay)
    user = User(shared, number, seed)
    try:
        JOURNEYS[journey_of(number)](user)
    except Exception as exc:  # noqa: BLE001 - a user's bug is an error in the figures, not a crash
        shared.recorder.error(journey_of(number), f"{type(exc).__name__}: {exc}")
    finally:
        user.close()
