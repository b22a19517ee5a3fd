"""The process owner's form editor in the browser: a form of the bundle in use (or a new one) is
changed question by question or as JSON, previewed by the same templates the start form and the
task pages use, and checked or put into use like a diagram (:mod:`processes.form_studio`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from flask import abort, jsonify, render_template, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from forms import FieldError, FormDefinition, clean
from processes import form_studio as service
from processes.access import MODEL_ROLES
from processes.errors import InvalidInput
from processes.studio import UploadInvalid, read_uploads
from web.formview import FieldView, field_views
from web.i18n import LANGUAGES, current_lang, force_locale, ngettext
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import loket
from web.staff.form_editor_texts import editor_texts
from web.staff.studio import upload_error_text


@dataclass
class _Posted:
    """The posted form under the name of the form being edited (the browser's file name is not
    trusted to say which file it replaces)."""

    upload: FileStorage
    filename: str | None

    def read(self, size: int = -1) -> bytes:
        return self.upload.read(size)


@dataclass(frozen=True)
class _StepView:
    title: str
    fields: list[FieldView]


def _posted_form(name: str) -> bytes:
    """The JSON the editor sent (UploadInvalid when there is none or it cannot be used)."""
    upload = request.files.get("bestand")
    basename = PurePosixPath(name).name
    files = read_uploads([_Posted(upload, basename)] if upload is not None else [])
    return files[basename]


def _editable(name: str) -> str:
    found = service.editable_name(loket(), name)
    if found is None:
        abort(404)
    return found


def _steps(definition: FormDefinition, lang: str) -> list[_StepView]:
    """Every question of every step, each shown (a question that depends on another says when it
    is needed, as on a page where both are)."""
    views = {view.name: view for view in field_views(definition, step=None, values={}, errors=[], lang=lang)}
    return [_StepView(step.title(lang), [views[name] for name in definition.field_names(step.id) if name in views])
            for step in definition.steps]


def _preview(name: str, text: str, lang: str) -> tuple[str, int]:
    """The preview's HTML in ``lang`` and the number of problems found."""
    found = service.preview(loket(), name, text, lang)
    steps = _steps(found.definition, lang) if found.definition is not None else []
    hidden = [view.name for step in steps for view in step.fields if view.widget == "hidden"]
    with force_locale(lang):
        html = render_template("staff/form_editor_preview.html", form=found.definition, steps=steps,
                               hidden=hidden, problems=found.problems, lang=lang)
    return html, len(found.problems)


def _editor_page(form: service.EditableForm) -> str:
    html, _count = _preview(form.name, form.text, current_lang())
    return render_template("staff/form_editor.html", form=form, texts=editor_texts(), preview_html=html)


@bp.get("/processen/formulieren/<path:name>")
@requires(MODEL_ROLES)
def form_editor(name: str) -> str:
    found = service.form_in_use(loket(), name)
    if found is None:
        abort(404)
    return _editor_page(found)


@bp.post("/processen/formulieren-voorbeeld/<path:name>")
@requires(MODEL_ROLES)
def form_editor_preview(name: str) -> Response:
    name = _editable(name)
    lang = request.form.get("taal", "")
    lang = lang if lang in LANGUAGES else current_lang()
    try:
        text = _posted_form(name).decode("utf-8")
    except UploadInvalid as problem:
        html = render_template("staff/form_editor_preview.html", problems=[upload_error_text(problem)], lang=lang)
        return jsonify(html=html, problems=1, status=_problem_status(1))
    html, count = _preview(name, text, lang)
    return jsonify(html=html, problems=count, status=_problem_status(count))


def _problem_status(count: int) -> str:
    if not count:
        return _("Het voorbeeld is bijgewerkt.")
    return ngettext("Het voorbeeld toont %(num)d probleem.", "Het voorbeeld toont %(num)d problemen.", count)


def _answer(status: int, **context: object) -> tuple[Response, int]:
    """The outcome as JSON for the editor page (the message rendered here, translated and escaped)."""
    html = render_template("staff/form_editor_result.html", **context)
    return jsonify(deployed=bool(context.get("deployed")), html=html), status


@bp.post("/processen/formulieren/<path:name>")
@requires(MODEL_ROLES)
def form_editor_post(name: str) -> tuple[Response, int]:
    name = _editable(name)
    try:
        data = _posted_form(name)
    except UploadInvalid as problem:
        return _answer(400, upload_error=upload_error_text(problem))
    if request.form.get("actie") != "in_gebruik":
        return _answer(200, name=name, check=service.check(loket(), name, data), checked_only=True)
    outcome, result = service.deploy(loket(), name, data, actor=principal().email,
                                     note=request.form.get("toelichting", "")[:2000],
                                     reason=request.form.get("reden", "")[:1000])
    if result is None:
        return _answer(400, name=name, check=outcome, checked_only=False)
    changed = [_("%(process)s (versie %(number)s)", process=v.process_id, number=v.version_no)
               for v in result.versions if v.new]
    return _answer(200, deployed=True, name=name, changed=", ".join(changed))


def _new_form_page(status: int, values: dict[str, object], errors: list[FieldError],
                   existing: str | None = None) -> tuple[str, int]:
    fields = field_views(service.NEW_FORM, step=None, values=values, errors=errors, lang=current_lang())
    return render_template("staff/form_editor_new.html", fields=fields, existing=existing), status


@bp.get("/processen/formulieren-nieuw")
@requires(MODEL_ROLES)
def form_editor_new() -> tuple[str, int]:
    """Ask for the id and title of a new form; with both, open the editor on a small valid form
    (nothing is stored until it is put into use)."""
    if not request.args:
        return _new_form_page(200, {}, [])
    values, errors = clean(service.NEW_FORM, request.args, step=None, lang=current_lang())
    if errors:
        return _new_form_page(400, dict(request.args.items()), errors)
    try:
        form = service.new_form(loket(), str(values["id"]), str(values["titel"]), str(values.get("titel_en") or ""))
    except service.FormExists as exists:
        message = _("Er is al een bestand %(name)s. Kies een ander id, of open dat formulier.", name=exists.name)
        found = exists.name if service.form_in_use(loket(), exists.name) else None
        return _new_form_page(400, values, [FieldError("id", message)], existing=found)
    except InvalidInput:
        return _new_form_page(400, values, [FieldError("id", _("Dit id kan niet worden gebruikt."))])
    return _editor_page(form), 200
