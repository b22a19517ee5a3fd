"""The page of one initiative in "Mijn initiatieven"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import render_template

from forms import FieldError, FormDefinition
from processes import portal
from web import current_loket
from web.formview import FieldView, field_views, summary_rows
from web.i18n import current_lang
from web.i18n import gettext as _
from web.public.auth import current_initiator
from web.public.formdefs import MESSAGE_FORM

Values = tuple[dict[str, Any], list[FieldError]]


@dataclass(frozen=True)
class ActionView:
    action: portal.Action
    form: FormDefinition
    title: str
    description: str
    fields: list[FieldView]
    multipart: bool
    deadline: datetime | None


def _action_views(actions: list[portal.Action], errors: dict[str, Values], lang: str) -> list[ActionView]:
    views = []
    for number, action in enumerate(actions, start=1):
        form = current_loket().case_form(action.instance_id, action.form_id)
        values, field_errors = errors.get(action.key, ({}, []))
        fields = field_views(form, step=None, values=values, errors=field_errors, lang=lang)
        if len(actions) > 1:  # two forms on one page: keep every id unique
            fields = [replace(field, html_id=f"{field.html_id}-{number}") for field in fields]
        views.append(ActionView(action, form, form.title(lang), form.description(lang), fields,
                                bool(form.file_fields()), action.deadline))
    return views


def render_case(
    case_ref: str, *, answer_errors: dict[str, Values] | None = None, message_errors: Values | None = None
) -> str:
    email, lang = str(current_initiator()), current_lang()
    page = portal.case_page(current_loket(), email, case_ref)
    actions = _action_views(page.actions, answer_errors or {}, lang)
    follow_ups = _action_views(page.follow_ups, answer_errors or {}, lang)
    message_values, message_field_errors = message_errors or ({}, [])
    message_fields = field_views(MESSAGE_FORM, step=None, values=message_values, errors=message_field_errors,
                                 lang=lang)
    all_fields = [field for view in actions + follow_ups for field in view.fields] + message_fields
    case = page.case
    status = (case.status_text_en or case.status_text) if lang == "en" else case.status_text
    return render_template(
        "public/case.html",
        case=case,
        status=status or _("Uw initiatief is ontvangen."),
        expected=page.expected,
        history=page.history,
        actions=actions,
        follow_ups=follow_ups,
        category=page.category,
        outcome=page.outcome,
        contact=page.contact,
        documents=page.documents,
        messages=page.messages,
        message_fields=message_fields,
        error_fields=all_fields,
        answers=summary_rows(page.start_form, page.data, lang),
        steps={step.id: step.title(lang) for step in page.start_form.steps},
    )
