"""The page of one initiative in "Mijn initiatieven"."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _

from forms import FieldError, FormDefinition
from web import engine_of
from web.formview import FieldView, field_views, summary_rows
from web.i18n import current_lang
from web.public import portal
from web.public.auth import current_initiator
from web.public.formdefs import MESSAGE_FORM, definition, intake_definition
from web.public.formhelp import file_fields

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
        form = definition(action.form_id)
        values, field_errors = errors.get(action.key, ({}, []))
        fields = field_views(form, step=None, values=values, errors=field_errors, lang=lang)
        if len(actions) > 1:  # two forms on one page: keep every id unique
            fields = [replace(field, html_id=f"{field.html_id}-{number}") for field in fields]
        views.append(ActionView(action, form, form.title(lang), form.description(lang), fields,
                                bool(file_fields(form)), action.deadline))
    return views


def render_case(
    case_ref: str, *, answer_errors: dict[str, Values] | None = None, message_errors: Values | None = None
) -> str:
    email, lang = str(current_initiator()), current_lang()
    engine = engine_of(current_app)
    with engine.db.transaction() as db:
        case = portal.own_case(db, email, case_ref)
        documents = portal.visible_documents(db, case)
        messages = portal.messages_of(db, case)
        intake = intake_definition(db)
    data = dict(case.case_data or {})
    actions = _action_views(portal.actions_of(engine, case), answer_errors or {}, lang)
    message_values, message_field_errors = message_errors or ({}, [])
    message_fields = field_views(MESSAGE_FORM, step=None, values=message_values, errors=message_field_errors,
                                 lang=lang)
    all_fields = [field for view in actions for field in view.fields] + message_fields
    status = (case.status_text_en or case.status_text) if lang == "en" else case.status_text
    return render_template(
        "public/case.html",
        case=case,
        status=status or _("Uw initiatief is ontvangen."),
        expected=portal.expected_date(engine, case),
        history=portal.status_history(engine, case),
        actions=actions,
        category=portal.category_of(data),
        outcome=portal.outcome_of(data),
        contact=portal.contact_of(data),
        documents=documents,
        messages=messages,
        message_fields=message_fields,
        error_fields=all_fields,
        answers=summary_rows(intake, data, lang),
        steps={step.id: step.title(lang) for step in intake.steps},
    )
