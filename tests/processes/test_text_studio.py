"""The mail-text editor's use cases: a text and its twin, the values each text gets (as its
senders really pass them), a preview by the engine's own renderer that never raises, and
checking, deploying and drafts through the studio."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.service import Engine
from processes import TEXTS_DIR, studio, studio_drafts, text_studio
from processes.intake import submit_initiative
from processes.loket import Loket
from processes.text_studio import MailText, Part
from tests.processes.factories import Case, CollectingMailer, complex_data, intake_data, wijkwens_data
from tests.web.staff.support import ACCEPT, INTAKE, PROCES

BASE = "https://loket.example"
BEVESTIGING = "texts/bevestiging.nl.txt"


def mail(loket: Loket, name: str = BEVESTIGING) -> MailText:
    found = text_studio.open_text(loket, name)
    assert found is not None
    return found


def edited(found: MailText, **subjects: str) -> dict[str, Part]:
    parts = found.parts()
    return {lang: Part(subjects.get(lang, part.subject), part.body) for lang, part in parts.items()}


@pytest.mark.parametrize("path", sorted(TEXTS_DIR.glob("*.txt")), ids=lambda path: path.name)
def test_every_shipped_text_splits_into_subject_and_body_and_back(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    part = text_studio.split(content)
    assert part.subject and "\n" not in part.subject
    assert text_studio.joined("nl" if ".nl." in path.name else "en", part) == content


def test_a_text_opens_with_its_twin_and_who_sends_it(loket: Loket) -> None:
    found = mail(loket, "texts/bevestiging.en.txt")
    assert found.names == {"nl": BEVESTIGING, "en": "texts/bevestiging.en.txt"}
    assert found.in_use["nl"] == (TEXTS_DIR / "bevestiging.nl.txt").read_text(encoding="utf-8")
    assert found.parts()["en"].subject == "We received your initiative ({{ case_ref }})"
    assert [sender.kind for sender in found.use.senders] == ["intake"]
    assert "bevestiging.nl.txt" not in found.others and "inloglink.nl.txt" in found.others

    resultaat = mail(loket, "texts/resultaat.nl.txt")
    [sender] = resultaat.use.senders
    assert (sender.kind, sender.file, sender.element_id) == ("diagram", "initiatief.bpmn", "resultaat_mailen")
    assert {variable.name: variable.expression for variable in resultaat.use.variables}["uitkomst"] == "uitkomst"


@pytest.mark.parametrize("name", ["wijkwens.bpmn", "texts/bestaat_niet.nl.txt", "forms/intake.json",
                                  "bevestiging.nl.txt", "texts/../wijkwens.bpmn"])
def test_only_texts_in_use_open(loket: Loket, name: str) -> None:
    assert text_studio.open_text(loket, name) is None


def test_the_values_listed_are_the_ones_the_senders_really_pass(loket: Loket, engine: Engine) -> None:
    info = submit_initiative(loket, wijkwens_data(email="a@example.org"), channel="online", actor="a@example.org")
    [confirmation] = [job.payload for job in engine.outbox(info.id)]
    assert confirmation["template"] == "bevestiging"
    listed = {variable.name for variable in mail(loket).use.variables}
    assert listed == set(confirmation["context"]) | {"loket_url"}

    case = Case.start(engine, intake_data())
    case.complete("categorie_bevestigen", ACCEPT, actor=INTAKE)
    [news] = [payload for payload in case.mails() if payload["template"] == "status_gewijzigd"]
    listed = {variable.name for variable in mail(loket, "texts/status_gewijzigd.nl.txt").use.variables}
    assert listed == set(news["context"]) | {"loket_url"}


def test_the_preview_is_made_by_the_engines_renderer_with_example_values(
    loket: Loket, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    renderer = engine.mail_renderer
    assert renderer is not None
    calls: list[tuple[str, str]] = []
    real = renderer.render

    def recording(template: str, lang: str, *args: object, **kwargs: object) -> tuple[str, str]:
        calls.append((template, lang))
        return real(template, lang, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(renderer, "render", recording)
    found = mail(loket)
    parts = edited(found, nl="Ontvangen: {{ titel }} ({{ case_ref }})")
    nl, en = text_studio.preview(loket, found, parts, {"case_ref": "INI-2026-000999"}, BASE)
    assert calls == [("bevestiging", "nl"), ("bevestiging", "en")]
    assert nl.problem is None and nl.subject == "Ontvangen: Geveltuin in de Bloemstraat (INI-2026-000999)"
    assert f"{BASE}/mijn-initiatieven/INI-2026-000999" in nl.body
    assert en.subject == "We received your initiative (INI-2026-000999)"

    # the mails the loket sends still use the text in use
    subject, _ = real("bevestiging", "nl", {"case_ref": "X", "titel": "T"}, engine.mail_texts(None))
    assert subject == "Uw initiatief is ontvangen (X)"


def test_example_dates_follow_the_language(loket: Loket) -> None:
    found = mail(loket, "texts/concept_link.nl.txt")
    parts = {lang: Part("{{ geldig_tot }}", "") for lang in ("nl", "en")}
    nl, en = text_studio.preview(loket, found, parts, {}, BASE)
    months_nl = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                 "oktober", "november", "december")
    assert nl.subject.split()[1] in months_nl and en.subject.split()[1] not in months_nl


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ("Beste {{ voornaam }},", "text.variable",
         "De tekst gebruikt {{ voornaam }}, maar deze tekst krijgt geen waarde"),
        ("{% if titel %}zonder einde", "text.syntax", "Regel 2: een {{ … }} of {% … %} klopt niet"),
        ("{{ titel.__class__ }}", "text.unsafe", "dit kan niet in een tekst: de eigenschap '__class__'"),
        ("{{ '{0.__class__}'.format(titel) }}", "text.unsafe", "een functie aanroepen"),
        ("{{ 'a' * 1000000000 }}", "text.unsafe", "rekenen met *, ** of %"),
        ("{{ 1 / 0 }}", "text.render", "De tekst kan niet worden gemaakt"),
    ],
)
def test_a_mistake_in_a_text_is_a_dutch_message_never_an_error(loket: Loket, body: str, code: str,
                                                               words: str) -> None:
    found = mail(loket)
    parts = {"nl": Part("Onderwerp", body), "en": found.parts()["en"]}
    nl, en = text_studio.preview(loket, found, parts, {}, BASE)
    assert nl.problem is not None and nl.problem.code == code and not nl.subject
    assert words in nl.problem.message("nl") and nl.problem.file == BEVESTIGING
    assert nl.problem.message("en") != nl.problem.message("nl")
    assert en.problem is None and en.subject


def test_without_an_english_text_the_dutch_one_is_previewed(loket: Loket) -> None:
    content = (TEXTS_DIR / "masterclass.nl.txt").read_bytes()
    files = {name: data for name, data in studio.bundle_in_use(loket).items() if name != "texts/masterclass.en.txt"}
    loket.engine.deploy_files(files, actor=PROCES)
    found = mail(loket, "texts/masterclass.nl.txt")
    assert found.in_use["en"] is None and found.in_use["nl"] == content.decode()
    assert text_studio.changed_files(found, found.parts()) == {}  # an empty English twin is not sent
    _nl, en = text_studio.preview(loket, found, found.parts(), {}, BASE)
    assert en.dutch_instead and en.subject.startswith("Masterclass sociaal ondernemen")


def test_checking_deploys_nothing_and_finds_a_value_the_text_does_not_get(loket: Loket) -> None:
    before = studio.bundle_in_use(loket)
    found = mail(loket)
    parts = {"nl": Part("Ontvangen", "Beste {{ voornaam }},\n"), "en": found.parts()["en"]}
    outcome = text_studio.check(loket, found, parts)
    assert outcome.check.replaced == [BEVESTIGING]
    [problem] = outcome.check.problems
    assert problem.code == "text.variable" and "{{ voornaam }}" in problem.message("nl")
    assert text_studio.deploy(loket, found, parts, actor=PROCES, note=None).result is None
    assert studio.bundle_in_use(loket) == before
    assert text_studio.check(loket, found, found.parts()).unchanged
    # a value tested with "is defined" first is fine: the mail goes without it
    guarded = {"nl": Part("Ontvangen", "{% if voornaam is defined %}Beste {{ voornaam }},{% endif %}\n"),
               "en": found.parts()["en"]}
    assert text_studio.check(loket, found, guarded).check.problems == []


def test_a_text_nobody_sends_yet_may_use_any_value(loket: Loket) -> None:
    files = {"wijkbericht.nl.txt": b"Onderwerp: Uit de wijk {{ wijk }}\nBeste {{ voornaam }},\n"}
    assert studio.deploy(loket, files, actor=PROCES)[1] is not None
    found = mail(loket, "texts/wijkbericht.nl.txt")
    assert found.use.senders == [] and found.use.open
    assert text_studio.check(loket, found, found.parts()).check.problems == []
    nl, _en = text_studio.preview(loket, found, found.parts(), {"titel": "Bankje"}, BASE)
    assert nl.problem is None and nl.subject == "Uit de wijk [wijk]"  # where a value would go


def test_an_empty_subject_or_unsafe_text_is_refused(loket: Loket) -> None:
    found = mail(loket)
    outcome = text_studio.deploy(loket, found, edited(found, nl=""), actor=PROCES, note=None)
    assert outcome.result is None and [p.code for p in outcome.check.problems] == ["text.subject"]
    unsafe = {"nl": Part("x", "{{ titel.__class__.__mro__ }}"), "en": found.parts()["en"]}
    outcome = text_studio.deploy(loket, found, unsafe, actor=PROCES, note=None)
    assert outcome.result is None and [p.code for p in outcome.check.problems] == ["text.unsafe"]
    # the bundle's own check refuses it too, whichever way it comes in (an upload)
    check = studio.check(loket, {"bevestiging.nl.txt": b"Onderwerp: x\n{{ titel.__class__ }}\n"})
    assert [p.code for p in check.problems] == ["text.unsafe"]


def test_deploying_reaches_new_cases_and_running_ones_keep_their_text(loket: Loket, engine: Engine) -> None:
    engine.mailer = CollectingMailer()
    before = Case.start(engine, complex_data())
    found = mail(loket)
    studio_drafts.save(loket, PROCES, BEVESTIGING, "Onderwerp: concept\n")
    outcome = text_studio.deploy(loket, found, edited(found, nl="Ontvangen! ({{ case_ref }})"), actor=PROCES,
                                 note="korter onderwerp")
    assert outcome.result is not None and any(version.new for version in outcome.result.versions)
    assert outcome.check.replaced == [BEVESTIGING]
    assert studio_drafts.load(loket, PROCES, BEVESTIGING) is None  # deploying ends the draft
    after = Case.start(engine, complex_data())
    renderer = engine.mail_renderer
    assert renderer is not None
    context = {"case_ref": "INI-1", "titel": "Moestuin", "loket_url": ""}
    assert renderer.render("bevestiging", "nl", context, engine.mail_texts(before.id))[0] == \
        "Uw initiatief is ontvangen (INI-1)"
    assert renderer.render("bevestiging", "nl", context, engine.mail_texts(after.id))[0] == "Ontvangen! (INI-1)"
    assert text_studio.deploy(loket, mail(loket), mail(loket).parts(), actor=PROCES, note=None).unchanged


def test_a_draft_keeps_only_the_twins_that_differ(loket: Loket) -> None:
    found = mail(loket)
    assert text_studio.save_draft(loket, PROCES, found, found.parts()) is None
    saved_at = text_studio.save_draft(loket, PROCES, found, edited(found, en="Received ({{ case_ref }})"))
    assert saved_at is not None
    saved = text_studio.drafts(loket, PROCES, found)
    assert list(saved) == ["en"] and saved["en"].content.startswith("Subject: Received ({{ case_ref }})\n")
    parts = text_studio.draft_parts(found, saved)
    assert parts["en"].subject == "Received ({{ case_ref }})" and parts["nl"] == found.parts()["nl"]
    assert text_studio.drafts(loket, "iemand.anders@gemeente.example", found) == {}
    assert text_studio.save_draft(loket, PROCES, found, found.parts()) is None  # back as in use: no draft
    assert text_studio.drafts(loket, PROCES, found) == {}


def test_posted_text_is_one_subject_line_and_file_line_ends(loket: Loket) -> None:
    part = text_studio.posted_part("nl", "Twee\r\nregels ", "Beste\r\nbewoner\r\n")
    assert part == Part("Twee regels", "Beste\nbewoner\n")
    with pytest.raises(text_studio.TextInvalid):
        text_studio.posted_part("en", "x" * (text_studio.MAX_SUBJECT + 1), "")
