"""The checks of ``loket bench chaos`` find what they look for (a mail sent twice or lost, a
confirmed initiative that is not stored, a due job left undone), and the load bench's
percentiles are nearest-rank."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from engine import Engine, Job, queue_mail
from processes import clock
from processes.bench_checks import LOGIN_LINK, check_mail, check_stuck, check_submissions
from processes.bench_site import SentMail
from processes.bench_stats import Recorder, percentile, summary
from processes.bench_users import Submission

ANN = "ann@example.nl"
BOB = "bob@example.nl"
LOGIN = "Klik op http://127.0.0.1:5000/inloggen/abcdefghijklmnopqrstuvwxyz om in te loggen."


def _mail(to: str, body: str = "Uw initiatief is ontvangen.") -> SentMail:
    return SentMail(to, "Onderwerp", body)


def _outbox(engine: Engine, *addresses: str, done: bool = True) -> None:
    with engine.db.transaction() as session:
        for address in addresses:
            queue_mail(session, None, template="bevestiging", to=address, lang="nl", context={})
        if done:
            session.execute(update(Job).values(state="done", done_at=clock.now()))


def test_a_mail_received_twice_or_not_at_all_is_found(database_url: str) -> None:
    engine = Engine(database_url)
    _outbox(engine, ANN, BOB)
    assert LOGIN_LINK.search(LOGIN)
    fine = check_mail(engine, [_mail(ANN), _mail(BOB), _mail(ANN, LOGIN), _mail("other@example.nl")], [ANN, BOB])
    assert (fine.checked, fine.failed) == (2, 0)
    twice = check_mail(engine, [_mail(ANN), _mail(ANN), _mail(BOB)], [ANN, BOB])
    assert twice.failed == 1 and "dubbel" in twice.samples[0]
    lost = check_mail(engine, [_mail(ANN)], [ANN, BOB])
    assert lost.failed == 1 and "kwijt" in lost.samples[0]
    engine.db.dispose()


def test_a_confirmed_initiative_that_is_not_stored_and_an_undone_job_are_found(database_url: str) -> None:
    engine = Engine(database_url)
    missing = check_submissions(engine, [Submission(ANN, "INI-2026-999999")])
    assert missing.failed == 1 and "niet opgeslagen" in missing.samples[0]
    _outbox(engine, ANN, done=False)
    assert check_stuck(engine, clock.now()).ok  # due only just now
    stuck = check_stuck(engine, clock.now() + timedelta(minutes=1))
    assert stuck.failed == 1 and "mail-job" in stuck.samples[0]
    engine.db.dispose()


def test_percentiles_and_the_summary() -> None:
    assert percentile([], 0.95) == 0.0
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)) == (50.0, 95.0, 99.0)
    recorder = Recorder()
    for seconds in (0.010, 0.020, 0.030):
        recorder.timed("kcc.zoeken", seconds)
    recorder.error("kcc.zoeken", "GET /medewerker/kcc -> 500")
    recorder.conflict("medewerker.afronden")
    found = summary(recorder, 2.0, users=1)
    assert found["requests"] == 3 and found["requests_per_second"] == 1.5 and found["errors"] == 1
    assert found["steps"][0] == {"step": "kcc.zoeken", "count": 3, "errors": 1, "conflicts": 0, "p50_ms": 20.0,
                                 "p95_ms": 30.0, "p99_ms": 30.0, "max_ms": 30.0}
    assert found["target"]["met"] is False
