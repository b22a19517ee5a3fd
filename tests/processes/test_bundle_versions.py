"""Forms and texts are part of the model bundle: changed in one deployment with the diagrams,
versioned with them, and a running case keeps the forms and texts of the version it started on."""

from __future__ import annotations

import json

import pytest

from engine import InvalidTaskData, queue_mail
from engine.deploy import read_model_files
from engine.service import Engine
from processes import FORMS_DIR, MODELS_DIR, TEXTS_DIR, studio
from processes.loket import Loket
from tests.processes.factories import Case, CollectingMailer, complex_data
from tests.web.staff.support import ACCEPT, INTAKE, PROCES

CONFIRM = "categorie_bevestigen"


def _form_with_required_check() -> bytes:
    """The category form with one more question that must be answered."""
    form = json.loads((FORMS_DIR / f"{CONFIRM}.json").read_text(encoding="utf-8"))
    form["schema"]["properties"]["dubbel_gecontroleerd"] = {"type": "boolean", "enum": [True]}
    form["schema"]["required"].append("dubbel_gecontroleerd")
    form["fields"]["dubbel_gecontroleerd"] = {"label": {"nl": "Ik heb dit dubbel gecontroleerd",
                                                         "en": "I checked this twice"}, "widget": "checkbox"}
    return json.dumps(form, ensure_ascii=False).encode()


def _deploy(loket: Loket, files: dict[str, bytes]) -> studio.Check:
    check, result = studio.deploy(loket, files, actor=PROCES, note="test", reason="de scenario's volgen later")
    assert result is not None, [problem.format() for problem in check.problems]
    return check


def test_a_changed_form_reaches_new_cases_and_running_ones_keep_theirs(loket: Loket, engine: Engine) -> None:
    before = Case.start(engine, complex_data())
    check = _deploy(loket, {f"{CONFIRM}.json": _form_with_required_check()})
    assert check.replaced == [f"forms/{CONFIRM}.json"]
    after = Case.start(engine, complex_data())
    assert after.info.model_version_id != before.info.model_version_id

    assert "dubbel_gecontroleerd" in loket.form(CONFIRM).fields
    assert "dubbel_gecontroleerd" not in loket.case_form(before.id, CONFIRM).fields
    assert "dubbel_gecontroleerd" in loket.case_form(after.id, CONFIRM).fields

    before.complete(CONFIRM, ACCEPT, actor=INTAKE)  # its own form did not ask it
    with pytest.raises(InvalidTaskData):
        after.complete(CONFIRM, ACCEPT, actor=INTAKE)
    after.complete(CONFIRM, {**ACCEPT, "dubbel_gecontroleerd": True}, actor=INTAKE)


def test_a_changed_text_is_sent_for_new_cases_and_running_ones_keep_theirs(loket: Loket, engine: Engine) -> None:
    engine.mailer = mailer = CollectingMailer()
    before = Case.start(engine, complex_data())
    text = (TEXTS_DIR / "bevestiging.nl.txt").read_text(encoding="utf-8")
    changed = text.replace("Onderwerp:", "Onderwerp: [proef]", 1)
    assert changed != text
    _deploy(loket, {"bevestiging.nl.txt": changed.encode()})
    after = Case.start(engine, complex_data())
    renderer, context = engine.mail_renderer, {"titel": "Moestuin", "case_ref": "INI-1", "link": "", "loket_url": ""}
    assert renderer is not None
    old_subject, _ = renderer.render("bevestiging", "nl", context, engine.mail_texts(before.id))
    new_subject, _ = renderer.render("bevestiging", "nl", context, engine.mail_texts(after.id))
    assert not old_subject.startswith("[proef]") and new_subject.startswith("[proef]")

    for case in (before, after):  # what the worker sends follows the case's bundle too
        with loket.transaction() as session:
            queue_mail(session, case.id, template="bevestiging", to="a@example.org", context=context, lang="nl")
        case.run_jobs()
    assert [mail.subject.startswith("[proef]") for mail in mailer.sent[-2:]] == [False, True]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("intake.json", b"{ dit is geen json", "form.invalid"),
        ("status_gewijzigd.nl.txt", b"Beste initiatiefnemer,\n", "text.subject"),
        ("status_gewijzigd.nl.txt", b"Onderwerp: nieuws\n{% if titel %}zonder einde\n", "text.syntax"),
        ("Nieuws.txt", b"Onderwerp: x\n", "text.name"),
    ],
)
def test_a_broken_form_or_text_is_refused_with_what_to_fix(
    loket: Loket, engine: Engine, name: str, content: bytes, code: str
) -> None:
    before = studio.files_in_use(loket)
    check, result = studio.deploy(loket, {name: content}, actor=PROCES)
    assert result is None
    assert code in [problem.code for problem in check.problems]
    problem = next(problem for problem in check.problems if problem.code == code)
    assert problem.file.endswith(name) and problem.message("nl") and problem.message("en")
    assert studio.files_in_use(loket) == before


def test_a_diagram_that_sends_a_text_the_bundle_lacks_is_refused(loket: Loket) -> None:
    diagram = studio.file_in_use(loket, "aanvulling.bpmn")
    assert diagram is not None and b"'aanvulling_gevraagd'" in diagram
    check = studio.check(loket, {"aanvulling.bpmn": diagram.replace(b"'aanvulling_gevraagd'", b"'aanvulling_gevrg'")})
    [problem] = [problem for problem in check.problems if problem.code == "text.unknown"]
    assert "aanvulling_gevrg" in problem.message("nl") and problem.element_id


def test_a_new_text_goes_with_the_texts_and_a_new_form_with_the_forms(loket: Loket) -> None:
    check = studio.check(loket, {"wijkbericht.nl.txt": b"Onderwerp: Uit de wijk\nBeste bewoner,\n",
                                 "peiling.json": (FORMS_DIR / "tevredenheid.json").read_bytes().replace(
                                     b'"tevredenheid"', b'"peiling"', 1)})
    assert check.added == ["forms/peiling.json", "texts/wijkbericht.nl.txt"]
    assert check.problems == []


def test_a_bundle_deployed_before_forms_and_texts_were_in_it_reads_the_shipped_ones(
    loket: Loket, engine: Engine
) -> None:
    models_only = {name: data for name, data in read_model_files(MODELS_DIR).items()
                   if name.endswith((".bpmn", ".dmn"))}
    models_only["eenvoudig.bpmn"] = models_only["eenvoudig.bpmn"].replace(b"werkdagen(10)", b"werkdagen(9)")
    engine.deploy_files(models_only, actor=PROCES)
    assert not any(name.endswith(".json") for name in studio.files_in_use(loket))
    case = Case.start(engine, complex_data())
    assert loket.case_form(case.id, CONFIRM).fields == loket.form(CONFIRM).fields
    assert engine.mail_texts(case.id) is None  # the renderer then reads bpmn_models/texts
    case.complete(CONFIRM, ACCEPT, actor=INTAKE)


def test_mail_texts_render_in_the_sandbox(engine: Engine) -> None:
    from jinja2.exceptions import SecurityError

    renderer = engine.mail_renderer
    assert renderer is not None
    texts = (99001, {"proef.nl.txt": "Onderwerp: x\n{{ titel.__class__.__mro__ }}"})
    with pytest.raises(SecurityError):
        renderer.render("proef", "nl", {"titel": "Moestuin"}, texts)
