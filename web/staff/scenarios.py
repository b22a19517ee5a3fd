"""Proefdraaien for the process owner: run the scenarios against their draft, record a new one
by walking the draft through its own forms in a sandbox, and put the drafts into use — refused
while scenarios fail unless the owner says why (:mod:`processes.scenario_recording`)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from forms import FieldError, FormDefinition
from processes import scenario_recording as service
from processes.access import MODEL_ROLES
from processes.scenario_recording import Position, Recording, RecordingInvalid
from processes.studio_drafts import DraftRefused
from web.formview import FieldView, field_views
from web.i18n import current_lang
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import loket

MAX_WORKING_DAYS = 260


def _owner() -> str:
    return principal().email


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    drafts = service.draft_bundle(loket(), _owner()).drafts
    return render_template("staff/scenarios.html", drafts=drafts, **context), status


@bp.get("/processen/proefdraaien")
@requires(MODEL_ROLES)
def scenarios_page() -> tuple[str, int]:
    return _page()


@bp.post("/processen/proefdraaien")
@requires(MODEL_ROLES)
def scenarios_run() -> tuple[str, int]:
    return _page(run=service.run_draft(loket(), _owner()))


@bp.post("/processen/proefdraaien/in-gebruik")
@requires(MODEL_ROLES)
def scenarios_deploy() -> Response | tuple[str, int]:
    done = service.deploy_drafts(loket(), _owner(), note=request.form.get("toelichting", "")[:2000],
                                 reason=request.form.get("reden", "")[:1000])
    if done is None:
        flash(_("U heeft geen concepten om in gebruik te nemen."))
        return redirect(url_for("staff.scenarios_page"))
    check, result = done
    if result is None:
        return _page(400, check=check)
    flash(_("Uw concepten zijn in gebruik genomen. Nieuwe initiatieven volgen deze versie; lopende initiatieven "
            "houden hun versie."))
    return redirect(url_for("staff.scenarios_page"))


def _fields(form: FormDefinition | None, values: dict[str, object], errors: list[FieldError],
            context: dict[str, object] | None = None) -> list[FieldView]:
    if form is None:
        return []
    return field_views(form, step=None, values=values, errors=errors, lang=current_lang(), context=context)


def _recorder(here: Position, status: int = 200, *, values: dict[str, object] | None = None,
              errors: list[FieldError] | None = None, task: str | None = None, problem: str | None = None,
              title: str = "") -> tuple[str, int]:
    values, errors = values or {}, errors or []
    start_fields = [] if here.recording.started else _fields(here.start_form, values, errors)
    open_ids = [open_task.element for open_task in here.open_tasks]
    chosen = task if task in open_ids else (open_ids[0] if open_ids else None)
    task_fields = _fields(here.forms.get(chosen or ""), values if chosen == task else {},
                          errors if chosen == task else [], here.trace.data)
    return render_template("staff/scenario_recorder.html", here=here, start_fields=start_fields, chosen=chosen,
                           task_fields=task_fields, errors=errors, problem=problem, title=title,
                           max_days=MAX_WORKING_DAYS), status


def _problem_text(code: str) -> str:
    return {
        "no_start_form": _("Het startformulier van uw concept kan niet worden getoond. Controleer het model."),
        "not_waiting": _("Het concept wacht niet (meer) op deze taak. Kies een taak uit de lijst."),
        "no_title": _("Geef het scenario een naam."),
        "not_runnable": _("Dit scenario kan niet worden bewaard: uw concept loopt er niet goed mee. "
                          "Start het scenario en los eerst het probleem op."),
    }.get(code, _("De opname kon niet worden gelezen. Begin opnieuw."))


@bp.get("/processen/proefdraaien/opnemen")
@requires(MODEL_ROLES)
def scenario_recorder() -> tuple[str, int]:
    return _recorder(service.position(loket(), _owner(), Recording()))


@bp.post("/processen/proefdraaien/opnemen")
@requires(MODEL_ROLES)
def scenario_recorder_post() -> Response | tuple[str, int]:
    try:
        recording = service.read_recording(request.form.get("_opname"))
    except RecordingInvalid as invalid:
        return _recorder(service.position(loket(), _owner(), Recording()), 400, problem=_problem_text(invalid.code))
    try:
        return _act(recording, request.form.get("_actie", ""))
    except RecordingInvalid as invalid:
        here = service.position(loket(), _owner(), recording)
        return _recorder(here, 400, problem=_problem_text(invalid.code), title=request.form.get("_naam", "")[:120])


def _act(recording: Recording, action: str) -> Response | tuple[str, int]:
    owner, lang = _owner(), current_lang()
    if action == "start":
        answered = service.answer_start(loket(), owner, recording, request.form, lang)
        return _after(answered.recording, answered.values, answered.errors, None)
    if action.startswith("taak:"):
        element = action.removeprefix("taak:")[:200]
        answered = service.answer_task(loket(), owner, recording, element, request.form, lang)
        return _after(answered.recording, answered.values, answered.errors, element)
    if action.startswith("bericht:"):
        return _after(service.receive_message(recording, action.removeprefix("bericht:")[:200]), {}, [], None)
    if action == "wacht":
        days = request.form.get("_werkdagen", "").strip()
        if not days.isdigit() or not 1 <= int(days) <= MAX_WORKING_DAYS:
            here = service.position(loket(), owner, recording)
            return _recorder(here, 400, problem=_("Vul bij ‘werkdagen’ een heel getal in van 1 tot en met "
                                                  "%(max)d.", max=MAX_WORKING_DAYS))
        return _after(service.let_time_pass(recording, int(days)), {}, [], None)
    if action.startswith("kies:"):
        here = service.position(loket(), owner, recording)
        return _recorder(here, task=action.removeprefix("kies:")[:200])
    if action == "terug":
        return _after(recording.undone(), {}, [], None)
    if action == "opslaan":
        return _save(recording)
    return _after(Recording(), {}, [], None)


def _after(recording: Recording, values: dict[str, object], errors: list[FieldError],
           task: str | None) -> tuple[str, int]:
    here = service.position(loket(), _owner(), recording)
    return _recorder(here, 400 if errors else 200, values=values, errors=errors, task=task)


def _save(recording: Recording) -> Response | tuple[str, int]:
    title = request.form.get("_naam", "")
    try:
        name = service.save(loket(), _owner(), title, recording)
    except DraftRefused:
        here = service.position(loket(), _owner(), recording)
        return _recorder(here, 400, problem=_("Het scenario is te groot om te bewaren."), title=title[:120])
    flash(_("Het scenario is bewaard als uw concept (%(name)s). Het doet mee als u proefdraait, en gaat in "
            "gebruik als u uw concepten in gebruik neemt.", name=name))
    return redirect(url_for("staff.scenarios_page"))
