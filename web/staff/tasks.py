"""Start page, task lists ("mijn taken", "werkvoorraad") and the task page."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from forms import FieldError, clean
from processes import assignment, guidance, tasklist, taskwork
from processes.access import ALL_ROLES, WORKER_ROLES
from processes.errors import InvalidTaskData
from web.formview import field_views
from web.i18n import current_lang
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import category_labels, form_id, loket
from web.staff.viewlog import logged_view


@bp.get("/")
@requires(ALL_ROLES)
def home() -> str:
    return render_template("staff/home.html", counts=tasklist.task_counts(loket(), principal()),
                           count_limit=tasklist.COUNT_LIMIT)


def _task_list(view: str) -> str:
    flt = tasklist.TaskFilter.from_args(request.args, view)
    found = tasklist.task_list(loket(), principal(), flt)
    endpoint = "staff.my_tasks" if view == "mijn" else "staff.team_tasks"
    guided = guidance.guided_cases(loket(), principal()) if view == "mijn" else []
    return render_template("staff/tasks.html", view=view, page=found.page, flt=flt, endpoint=endpoint, guided=guided,
                           districts=found.districts, categories=tasklist.CATEGORIES, statuses=tasklist.STATUSES,
                           sorts=tasklist.SORTS, labels=category_labels(), count_limit=tasklist.COUNT_LIMIT)


@bp.get("/taken")
@requires(WORKER_ROLES)
def my_tasks() -> str:
    return _task_list("mijn")


@bp.get("/werkvoorraad")
@requires(WORKER_ROLES)
def team_tasks() -> str:
    return _task_list("team")


def _render_task(ctx: taskwork.TaskContext, values: dict[str, Any], errors: list[FieldError],
                 status: int = 200) -> tuple[str, int]:
    lang = current_lang()
    fields = []
    if ctx.definition is not None:
        fields = field_views(ctx.definition, step=None, values=values, errors=errors, lang=lang,
                             context=ctx.case.data)
    form_errors = [error.message for error in errors if not error.field]
    return render_template("staff/task.html", ctx=ctx, fields=fields, form_errors=form_errors,
                           colleagues=list(ctx.colleagues), lang=lang, labels=category_labels()), status


@bp.get("/taken/<task_id>")
@requires(WORKER_ROLES)
def task(task_id: str) -> Response:
    ctx = taskwork.load_task(loket(), principal(), task_id)
    return logged_view(make_response(_render_task(ctx, ctx.draft or {}, [])), ctx.case.id, "taak")


@bp.post("/taken/<task_id>")
@requires(WORKER_ROLES)
def task_post(task_id: str) -> tuple[str, int] | Response:
    user = principal()
    ctx = taskwork.load_task(loket(), user, task_id)
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    if ctx.definition is not None:
        values, errors = clean(ctx.definition, request.form, step=None, lang=current_lang(), context=ctx.case.data)
    if request.form.get("actie") == "concept":
        taskwork.save_draft(loket(), user, task_id, values)
        flash(_("Uw concept is opgeslagen. U kunt later verder."))
        return redirect(url_for("staff.task", task_id=task_id))
    if errors:
        return _render_task(ctx, values, errors, 400)
    try:
        done = taskwork.complete(loket(), user, task_id, values)
    except InvalidTaskData as exc:
        found = [error for error in exc.errors if isinstance(error, FieldError)]
        return _render_task(ctx, values, found or [FieldError("", str(exc))], 400)
    flash(_("De taak '%(title)s' van %(ref)s is afgerond.", title=ctx.task.title, ref=ctx.task.case_ref))
    if done.has_incident:
        flash(_("Het initiatief kon daarna niet verder door een fout in het procesmodel. Uw werk is bewaard; "
                "de procesbeheerder ziet de storing en lost die op."))
    return redirect(url_for("staff.my_tasks"))


@bp.post("/taken/<task_id>/oppakken")
@requires(WORKER_ROLES)
def claim(task_id: str) -> Response:
    title = assignment.claim(loket(), principal(), task_id)
    flash(_("U heeft de taak '%(title)s' opgepakt. Hij staat nu bij Mijn taken.", title=title))
    return redirect(url_for("staff.task", task_id=task_id))


@bp.post("/taken/<task_id>/vrijgeven")
@requires(WORKER_ROLES)
def release(task_id: str) -> Response:
    title = assignment.release(loket(), principal(), task_id)
    flash(_("De taak '%(title)s' staat weer in de werkvoorraad van het team.", title=title))
    return redirect(url_for("staff.team_tasks"))


@bp.post("/taken/<task_id>/overdragen")
@requires(WORKER_ROLES)
def hand_over(task_id: str) -> Response:
    colleague_id = form_id(request.form.get("collega"))
    if colleague_id is None:
        flash(_("Kies een collega."))
        return redirect(url_for("staff.task", task_id=task_id))
    name = assignment.hand_over(loket(), principal(), task_id, colleague_id)
    flash(_("De taak is overgedragen aan %(name)s.", name=name))
    return redirect(url_for("staff.my_tasks"))
