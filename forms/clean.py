"""One call for a form post: convert, drop answers to hidden questions, validate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.coerce import RawForm, coerce
from forms.definition import DEFAULT_LANG, FormDefinition
from forms.errors import FieldError
from forms.validate import validate


def clean(
    definition: FormDefinition,
    raw: RawForm,
    step: str | None = None,
    lang: str = DEFAULT_LANG,
    context: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Typed, visible answers of a form post and every error (at most one per field).

    Answers to questions hidden by ``show_if`` are left out: we keep no data we did not ask for.
    ``context`` holds answers from elsewhere (earlier steps, the case) that ``show_if`` may need.
    """
    values, errors = coerce(definition, raw, step=step, lang=lang)
    lookup = {**(context or {}), **values}
    values = {name: value for name, value in values.items() if definition.is_visible(name, lookup)}
    errors = [error for error in errors if definition.is_visible(error.field, lookup)]
    failed = {error.field for error in errors}
    errors += [
        error
        for error in validate(definition, values, lang=lang, step=step, context=context)
        if error.field not in failed
    ]
    order = {name: index for index, name in enumerate(definition.field_names(step))}
    errors.sort(key=lambda error: order.get(error.field, len(order)))
    return values, errors
