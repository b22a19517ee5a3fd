""""Mijn gegevens": everything the loket holds of the logged-in initiator, as a page to read and
print and as a JSON file to download (AVG right of access). Only their own data
(:mod:`processes.portal_data`); logged out, the login page comes first."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template
from werkzeug.wrappers import Response

from forms import Field
from processes import portal_data
from processes.portal_data import InitiativeData, LaterAnswer, MyData
from web import current_loket
from web.formview import answer_text
from web.i18n import current_lang
from web.public import bp
from web.public.auth import current_initiator, initiator_required
from web.public.display import category_label, outcome_label
from web.public.links import public_link

FORMAT = "initiatievenloket-mijn-gegevens-1"


def _answer(field: Field | None, key: str, value: Any, lang: str) -> dict[str, Any]:
    shown = answer_text(field, value, lang) if field is not None else str(value)
    return {"field": key, "question": field.label(lang) if field is not None else key, "value": value,
            "answer": shown}


def start_answers(item: InitiativeData, lang: str) -> list[dict[str, Any]]:
    """The start form's questions and answers, in the form's order (the hidden fields left out)."""
    form = item.start_form
    if form is None:
        return [_answer(None, key, value, lang) for key, value in item.data.items()]
    return [_answer(field, field.name, item.data.get(field.name), lang)
            for step_id in form.step_ids() for field in form.visible_fields(item.data, step_id)
            if field.widget != "hidden"]


def later_answers(item: InitiativeData, answer: LaterAnswer, lang: str) -> list[dict[str, Any]]:
    return [_answer(item.questions.get(key), key, value, lang) for key, value in answer.values.items()]


def _documents(item: InitiativeData) -> list[dict[str, Any]]:
    return [{"name": document.filename, "type": document.content_type, "size": document.size,
             "uploaded_at": document.uploaded_at.isoformat(),
             "removed_at": document.removed_at.isoformat() if document.removed_at else None,
             "download_url": None if document.removed_at else public_link(
                 "public.download", case_ref=item.case.case_ref, public_id=document.public_id)}
            for document in item.documents]


def _decision(item: InitiativeData) -> dict[str, Any] | None:
    outcome = item.outcome
    if outcome is None:
        return None
    return {"result": outcome.result, "result_text": outcome_label(outcome.result), "amount": outcome.amount,
            "requested": outcome.requested, "explanation": outcome.explanation, "reason": outcome.reason,
            "advice": outcome.advice, "conditions": list(outcome.conditions), "agreements": outcome.agreements,
            "next_step": outcome.next_step_in(current_lang())[0]}


def _initiative(item: InitiativeData, lang: str) -> dict[str, Any]:
    case, category = item.case, item.category
    status = (case.status_text_en or case.status_text) if lang == "en" else case.status_text
    return {
        "reference": case.case_ref, "title": case.title, "submitted_at": case.created_at.isoformat(),
        "state": case.state, "status": status,
        "category": None if category is None else {
            "code": category.category, "name": category_label(category.category), "confirmed": category.confirmed,
            "rule": category.rule, "explanation": category.explanation_in(lang)[0]},
        "decision": _decision(item),
        "contact_person": None if item.contact is None else {"name": item.contact.name, "email": item.contact.email},
        "answers": start_answers(item, lang),
        "later_answers": [{"at": answer.at.isoformat(), "answers": later_answers(item, answer, lang)}
                          for answer in item.later_answers],
        "status_history": [{"at": entry.at.isoformat(), "text": entry.in_language(lang)} for entry in item.history],
        "messages": [{"at": message.created_at.isoformat(),
                      "from": "initiator" if message.from_initiator else "municipality", "text": message.body}
                     for message in item.messages],
        "attachments": _documents(item),
    }


def as_json(found: MyData, lang: str) -> dict[str, Any]:
    return {
        "format": FORMAT, "exported_at": found.exported_at.isoformat(), "language": lang,
        "account": {"email": found.email, "login": "e-mail link (no password)"},
        "initiatives": [_initiative(item, lang) for item in found.initiatives],
        "saved_forms": [{"form": draft.form_id, "saved_at": draft.saved_at.isoformat(),
                         "deleted_after": draft.expires_at.isoformat(), "answers": draft.data}
                        for draft in found.drafts],
    }


def _mine() -> MyData:
    return portal_data.my_data(current_loket(), str(current_initiator()))


@bp.get("/mijn-gegevens")
@initiator_required
def my_data_page() -> str:
    lang = current_lang()
    found = _mine()
    return render_template("public/my_data.html", found=found, lang=lang, start_answers=start_answers,
                           later_answers=later_answers)


@bp.get("/mijn-gegevens.json")
@initiator_required
def my_data_json() -> Response:
    content = json.dumps(as_json(_mine(), current_lang()), ensure_ascii=False, indent=2, default=str)
    response = Response(content, mimetype="application/json")
    response.headers["Content-Disposition"] = "attachment; filename=mijn-gegevens.json"
    return response
