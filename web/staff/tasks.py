"""Start page, task lists ("mijn taken", "werkvoorraad") and the task page."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from engine.errors import InvalidTaskData
from forms import FieldError, clean
from processes.organisation import District
from web.formview import field_views
from web.i18n import current_lang
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import category_labels, engine, form_id, registry
from web.staff.services import assignment, taskwork
from web.staff.services.access import ALL_ROLES, WORKER_ROLES, task_groups
from web.staff.services.accounts import colleagues_for
from web.staff.services.tasklist import CATEGORIES, SORTS, STATUSES, TaskFilter, count_tasks, list_tasks


@bp.get("/")
@requires(ALL_ROLES)
def home() -> str:
    user = principal()
    counts: dict[str, int] = {}
    if user.is_worker:
        with engine().db.transaction() as session:
            counts = count_tasks(session, user)
    return render_template("staff/home.html", counts=counts)


def _task_list(view: str) -> str:
    user = principal()
    flt = TaskFilter.from_args(request.args, view)
    with engine().db.transaction() as session:
        page = list_tasks(session, user, flt)
        districts = list(session.execute(select(District.code, District.name).order_by(District.name)).all())
    endpoint = "staff.my_tasks" if view == "mijn" else "staff.team_tasks"
    return render_template("staff/tasks.html", view=view, page=page, flt=flt, endpoint=endpoint, districts=districts,
                           categories=CATEGORIES, statuses=STATUSES, sorts=SORTS, labels=category_labels())


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
    with engine().db.transaction() as session:
        colleagues = colleagues_for(session, task_groups(ctx.task.candidate_group), exclude=principal().email)
    return render_template("staff/task.html", ctx=ctx, fields=fields, form_errors=form_errors,
                           colleagues=colleagues, lang=lang, labels=category_labels()), status


@bp.get("/taken/<task_id>")
@requires(WORKER_ROLES)
def task(task_id: str) -> tuple[str, int]:
    ctx = taskwork.load_task(engine(), registry(), principal(), task_id)
    return _render_task(ctx, ctx.draft or {}, [])


@bp.post("/taken/<task_id>")
@requires(WORKER_ROLES)
def task_post(task_id: str) -> tuple[str, int] | Response:
    user = principal()
    ctx = taskwork.load_task(engine(), registry(), user, task_id)
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    if ctx.definition is not None:
        values, errors = clean(ctx.definition, request.form, step=None, lang=current_lang(), context=ctx.case.data)
    if request.form.get("actie") == "concept":
        with engine().db.transaction() as session:
            taskwork.save_draft(session, user, task_id, values)
        flash(_("Uw concept is opgeslagen. U kunt later verder."))
        return redirect(url_for("staff.task", task_id=task_id))
    if errors:
        return _render_task(ctx, values, errors, 400)
    try:
        taskwork.complete(engine(), user, task_id, values)
    except InvalidTaskData as exc:
        found = [error for error in exc.errors if isinstance(error, FieldError)]
        return _render_task(ctx, values, found or [FieldError("", str(exc))], 400)
    flash(_("De taak '%(title)s' van %(ref)s is afgerond.", title=ctx.task.title, ref=ctx.task.case_ref))
    return redirect(url_for("staff.my_tasks"))


@bp.post("/taken/<task_id>/oppakken")
@requires(WORKER_ROLES)
def claim(task_id: str) -> Response:
    with engine().db.transaction() as session:
        task = assignment.claim(session, principal(), task_id)
        title = task.title
    flash(_("U heeft de taak '%(title)s' opgepakt. Hij staat nu bij Mijn taken.", title=title))
    return redirect(url_for("staff.task", task_id=task_id))


@bp.post("/taken/<task_id>/vrijgeven")
@requires(WORKER_ROLES)
def release(task_id: str) -> Response:
    with engine().db.transaction() as session:
        task = assignment.release(session, principal(), task_id)
        title = task.title
    flash(_("De taak '%(title)s' staat weer in de werkvoorraad van het team.", title=title))
    return redirect(url_for("staff.team_tasks"))


@bp.post("/taken/<task_id>/overdragen")
@requires(WORKER_ROLES)
def hand_over(task_id: str) -> Response:
    colleague_id = form_id(request.form.get("collega"))
    if colleague_id is None:
        flash(_("Kies een collega."))
        return redirect(url_for("staff.task", task_id=task_id))
    with engine().db.transaction() as session:
        colleague = assignment.hand_over(session, principal(), task_id, colleague_id)
        name = colleague.name
    flash(_("De taak is overgedragen aan %(name)s.", name=name))
    return redirect(url_for("staff.my_tasks"))
