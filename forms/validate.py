"""Check typed form data against its definition; every problem becomes a clear sentence.

Rules beyond plain JSON Schema:

- a field hidden by ``show_if`` is neither required nor checked;
- an empty answer (``None``, ``""``, ``[]``) counts as no answer; a required checkbox must be ticked;
- the widgets ``email``, ``postcode`` and ``tel`` check the form of the text themselves;
- with ``step``, only that step's fields are checked (answers from other steps may be passed and
  are used for ``show_if``; ``context`` can hold more of those, e.g. the case data);
- keys that are not a field of the form are rejected ("hoort niet bij dit formulier");
- at most one message per field, in the order of the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from forms.definition import DEFAULT_LANG, Field, FormDefinition
from forms.errors import FieldError
from forms.messages import KINDS, general_message, message_for

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*\.[^@\s.]{2,}")
_POSTCODE = re.compile(r"[1-9][0-9]{3} ?[A-Za-z]{2}")
_TEL = re.compile(r"\+?[0-9(][0-9 ()\-.]*")
_TEL_DIGITS = range(10, 16)

_FORMAT_KINDS = {"email": "email", "idn-email": "email", "date": "date"}
_LIMIT_KINDS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
    }
)
_CACHE_SIZE = 256
_validators: dict[int, tuple[Mapping[str, Any], Draft202012Validator]] = {}


def _validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator for the schema without its top-level ``required`` (checked here, with show_if)."""
    cached = _validators.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    if len(_validators) >= _CACHE_SIZE:
        _validators.clear()
    loose = {key: value for key, value in schema.items() if key != "required"}
    validator = Draft202012Validator(loose, format_checker=Draft202012Validator.FORMAT_CHECKER)
    _validators[id(schema)] = (schema, validator)
    return validator


def is_blank(value: Any) -> bool:
    """``None``, ``""`` (also only spaces) and ``[]`` mean "no answer"."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _tel_ok(text: str) -> bool:
    digits = sum(char.isdigit() for char in text)
    return bool(_TEL.fullmatch(text.strip())) and digits in _TEL_DIGITS


def _widget_kind(field: Field, value: Any) -> str | None:
    """The message kind when an email, postcode or phone number is not in the right form."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if (field.widget == "email" or field.schema.get("format") == "email") and not _EMAIL.fullmatch(text):
        return "email"
    if field.widget == "postcode" and not _POSTCODE.fullmatch(text):
        return "postcode"
    if field.widget == "tel" and not _tel_ok(text):
        return "tel"
    return None


def _field_error(field: Field, value: Any, required: bool, lang: str) -> FieldError | None:
    unticked = field.widget == "checkbox" and value is False
    if required and (is_blank(value) or unticked):
        return FieldError(field.name, message_for(field, "required", lang))
    kind = _widget_kind(field, value)
    return FieldError(field.name, message_for(field, kind, lang)) if kind else None


def _type_kind(field: Field, expected: Any) -> str:
    kinds = [expected] if isinstance(expected, str) else list(expected or [])
    if "integer" in kinds and "number" not in kinds:
        return "integer"
    if "number" in kinds or "integer" in kinds:
        return "money" if field.widget == "money" else "number"
    if "boolean" in kinds:
        return "boolean"
    if field.widget == "date":
        return "date"
    return "type"


def _kind_and_limit(field: Field, error: ValidationError) -> tuple[str, Any]:
    validator = str(error.validator)
    if validator == "type":
        return _type_kind(field, error.validator_value), None
    if validator == "format":
        return _FORMAT_KINDS.get(str(error.validator_value), "format"), None
    if validator in _LIMIT_KINDS:
        return validator, error.validator_value
    if validator in KINDS:
        return validator, None
    return "invalid", None


def _missing(error: ValidationError, instance: Mapping[str, Any]) -> list[str]:
    """The absent properties named by a ``required`` or ``dependentRequired`` error at the top."""
    value = error.validator_value
    if error.validator == "dependentRequired" and isinstance(value, Mapping):
        names = [name for needed in value.values() for name in needed]
    elif error.validator == "required" and isinstance(value, list):
        names = list(value)
    else:
        return []
    return [name for name in names if isinstance(name, str) and name not in instance]


def _schema_errors(definition: FormDefinition, instance: Mapping[str, Any], lang: str) -> Iterable[FieldError]:
    grouped: dict[str, list[ValidationError]] = {}
    for error in _validator(definition.schema).iter_errors(instance):
        path = list(error.absolute_path)
        missing = _missing(error, instance) if not path else []
        name = str(path[0]) if path else (missing[0] if missing else "")
        grouped.setdefault(name, []).append(error)
    for name, errors in grouped.items():
        field = definition.fields.get(name)
        if field is None:
            yield FieldError(name, general_message("form", lang))
            continue
        best = best_match(errors) or errors[0]
        required = not best.absolute_path and _missing(best, instance)
        kind, limit = ("required", None) if required else _kind_and_limit(field, best)
        yield FieldError(name, message_for(field, kind, lang, limit))


def _unknown_keys(definition: FormDefinition, present: Mapping[str, Any], lang: str) -> list[FieldError]:
    return [
        FieldError(key, general_message("unknown", lang, name=key)) for key in present if key not in definition.fields
    ]


def validate(
    definition: FormDefinition,
    data: Mapping[str, Any],
    lang: str = DEFAULT_LANG,
    step: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> list[FieldError]:
    """Every problem with ``data`` (one per field), as Dutch (``lang="nl"``) or English sentences.

    ``step`` limits the check to one step's fields (``UnknownStep`` when there is no such step).
    ``context`` gives more answers for ``show_if`` (e.g. earlier steps); it is not checked itself.
    """
    scope = definition.field_names(step)
    present = {name: value for name, value in data.items() if not is_blank(value)}
    lookup = {**(context or {}), **present}
    visible = [name for name in scope if definition.is_visible(name, lookup)]
    all_visible = {name for name in definition.fields if definition.is_visible(name, lookup)}
    instance = {name: value for name, value in present.items() if name in all_visible}
    found: dict[str, FieldError] = {}
    for name in visible:
        field = definition.fields[name]
        error = _field_error(field, present.get(name), field.required, lang)
        if error is not None:
            found[name] = error
    form_errors: list[FieldError] = []
    for error in _schema_errors(definition, instance, lang):
        if error.field in visible:
            found.setdefault(error.field, error)
        elif step is None and error.field not in definition.fields:
            form_errors.append(error)
    ordered = [found[name] for name in visible if name in found]
    return ordered + _unknown_keys(definition, present, lang) + form_errors[:1]
