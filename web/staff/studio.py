"""The process owner's diagrams: the versions in use, and checking and deploying new files
(so what the pilot teaches becomes a diagram edit, without a developer)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from processes import studio as service
from processes import studio_drafts, versions
from processes.access import MODEL_ROLES
from processes.errors import ModelInvalid
from web.i18n import current_lang
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import ID, file_response, loket
from web.staff.editor_links import editor_endpoint


def upload_error_text(problem: service.UploadInvalid) -> str:
    name = problem.name or ""
    messages = {
        "no_files": _("Kies een of meer bestanden (.bpmn, .dmn, .json of .txt)."),
        "too_many_files": _("Stuur hoogstens %(count)s bestanden tegelijk.", count=service.MAX_FILES),
        "wrong_type": _("%(name)s past niet: kies een .bpmn-, .dmn-, .json- of .txt-bestand.", name=name),
        "too_large": _("%(name)s is groter dan 5 MB.", name=name),
        "not_utf8": _("%(name)s is niet als UTF-8 opgeslagen. Sla het bestand opnieuw op als UTF-8.", name=name),
    }
    return messages.get(problem.code, _("Deze bestanden kunnen niet worden gebruikt."))


def _page(status: int = 200, **context: object) -> tuple[str, int]:
    found = versions.studio_page(loket())
    return render_template("staff/models.html", processes=found.processes, files=found.files,
                           file_list=file_list(found.files), drafts=_drafts(found.files), **context), status


_FILE_LISTS: dict[tuple[str, str, tuple[str, ...]], Markup] = {}
_KEPT_FILE_LISTS = 16


def file_list(files: list[str]) -> Markup:
    """The rendered list of the files in use with their links (≈60 files, three links each). It
    follows from the names alone, in the page's language, for where the site is mounted: kept
    under exactly those, so a deployment with other files shows its own list at once."""
    key = (current_lang(), request.script_root, tuple(files))
    found = _FILE_LISTS.get(key)
    if found is None:
        found = Markup(render_template("staff/models_files.html", files=files, editor_endpoint=editor_endpoint))  # noqa: S704 - a template's output
        if len(_FILE_LISTS) >= _KEPT_FILE_LISTS:
            _FILE_LISTS.clear()
        _FILE_LISTS[key] = found
    return found


def _drafts(files: list[str]) -> list[tuple[studio_drafts.DraftInfo, str | None]]:
    """The user's own drafts, each with the address of the editor that continues it."""
    found = []
    for draft in studio_drafts.list_for(loket(), principal().email):
        name = draft.name if draft.name in files else (studio_drafts.twin_of(draft.name) or draft.name)
        endpoint = editor_endpoint(name)
        link = None
        if endpoint is not None and name in files:
            link = url_for(endpoint, name=name, concept="1") if name.endswith(".txt") else url_for(endpoint, name=name)
        found.append((draft, link))
    return found


@bp.get("/processen")
@requires(MODEL_ROLES)
def models() -> tuple[str, int]:
    return _page()


@bp.get("/processen/bestanden/<path:name>")
@requires(MODEL_ROLES)
def model_file(name: str) -> Response:
    content = service.file_in_use(loket(), name)
    return file_response(content, "application/xml", download_name=name.rsplit("/", 1)[-1])


@bp.get(f"/processen/versies/<{ID}:version_id>")
@requires(MODEL_ROLES)
def model_version_file(version_id: int) -> Response:
    name, content = service.version_file(loket(), version_id) or ("", None)
    return file_response(content, "application/xml", download_name=name)


@bp.get("/processen/bekijken/<path:name>")
@requires(MODEL_ROLES)
def model_view(name: str) -> str:
    steps = service.diagram_steps(loket(), name)
    if steps is None:
        abort(404)
    return render_template("staff/model_view.html", name=name, processes=steps)


@bp.post("/processen")
@requires(MODEL_ROLES)
def models_post() -> Response | tuple[str, int]:
    deploy = request.form.get("actie") == "in_gebruik"
    try:
        uploaded = service.read_uploads(request.files.getlist("bestanden"))
    except service.UploadInvalid as problem:
        return _page(400, upload_error=upload_error_text(problem))
    if not deploy:
        return _page(check=service.check(loket(), uploaded), checked_only=True)
    outcome, result = studio_drafts.deploy(loket(), uploaded, actor=principal().email,
                                           note=request.form.get("toelichting", "")[:2000],
                                           reason=request.form.get("reden", "")[:1000])
    if result is None:
        return _page(400, check=outcome, checked_only=False)
    _say_what_changed(result)
    return redirect(url_for("staff.models"))


def _say_what_changed(result: versions.DeployResult) -> None:
    changed = [_("%(process)s (versie %(number)s)", process=v.process_id, number=v.version_no)
               for v in result.versions if v.new]
    if changed:
        flash(_("In gebruik genomen: %(processes)s. Nieuwe initiatieven volgen deze versie; lopende "
                "initiatieven houden hun versie.", processes=", ".join(changed)))
    else:
        flash(_("Er is niets veranderd: deze bestanden zijn gelijk aan de versie die in gebruik is."))


@bp.post(f"/processen/versies/<{ID}:version_id>/in-gebruik")
@requires(MODEL_ROLES)
def model_version_current(version_id: int) -> Response | tuple[str, int]:
    """Make an earlier version current again: its deployment is put into use as it was."""
    try:
        result = versions.make_current(loket(), version_id, actor=principal().email)
    except ModelInvalid as invalid:
        check = service.Check([], [], [p for p in invalid.problems if p.blocking])
        return _page(400, check=check, checked_only=False)
    _say_what_changed(result)
    return redirect(url_for("staff.models"))
