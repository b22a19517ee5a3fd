"""Turn an HTML form post (all strings) into typed values that the schema can check.

- empty text means "not answered": the key is left out;
- numbers accept Dutch writing: ``1.250,50``, ``1250,50``, ``€ 1250,-`` (and ``1250.50``);
- dates accept ``2025-12-31`` (what ``<input type=date>`` sends) and ``31-12-2025``; the result
  is always ``YYYY-MM-DD``;
- a checkbox gives ``True`` for ``on``/``ja``/``true``/``1`` and ``False`` when it is not sent;
- checkboxes and file give a list (for file: the ids of documents that were already stored);
- keys that are not fields of the form (or of the step) are dropped, e.g. a CSRF token.

Values that cannot be converted become a :class:`FieldError` and are left out of the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.definition import DEFAULT_LANG, Field, FormDefinition, schema_type
from forms.errors import FieldError
from forms.messages import message_for

RawForm = Mapping[str, str] | Mapping[str, list[str]] | Mapping[str, str | list[str]]
"""A form post: a MultiDict (with ``getlist``) or a plain dict of strings or lists of strings."""

TRUE_WORDS = frozenset({"on", "ja", "j", "true", "1", "yes", "y", "waar"})
FALSE_WORDS = frozenset({"off", "nee", "n", "false", "0", "no", "onwaar"})

_MAX_NUMBER_LENGTH = 40
_NUMBER_SHAPE = re.compile(r"(?:\d[\d.,]*\d|\d|[.,]\d+)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{2})")
_CENTS = Decimal("0.01")


class ConversionError(ValueError):
    """A text could not be converted; ``kind`` names the message (see ``forms.messages``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class _Absent:
    """Marker for "no answer"."""


ABSENT = _Absent()


# --- numbers --------------------------------------------------------------------------------


def _clean_number_text(text: str) -> tuple[str, str]:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("€", "")
    cleaned = re.sub(r"(?i)^eur", "", cleaned)
    cleaned = re.sub(r"[.,]-{1,2}$", "", cleaned)
    if cleaned and cleaned[0] in "+-":
        return ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    return "", cleaned


def _decimal_separator(digits: str) -> str | None:
    """Which of ``,`` and ``.`` separates the decimals; None when there are no decimals."""
    comma, dot = digits.rfind(","), digits.rfind(".")
    if comma >= 0 and dot >= 0:
        return "," if comma > dot else "."
    separator = "," if comma >= 0 else "." if dot >= 0 else None
    if separator is None or digits.count(separator) > 1:
        return None
    head, tail = digits.split(separator)
    if separator == "." and len(tail) == 3 and 0 < len(head) <= 3 and head != "0":
        return None  # "1.250" is one thousand two hundred and fifty, the Dutch way
    return separator


def _join_groups(whole: str, separator: str | None) -> str:
    """Remove thousands separators from ``whole``, checking they sit every three digits."""
    if separator is None:
        return whole
    groups = whole.split(separator)
    if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        raise ConversionError("number")
    return "".join(groups)


def parse_decimal(text: str) -> Decimal:
    """Parse a number written the Dutch (or English) way; raises ``ConversionError("number")``."""
    sign, digits = _clean_number_text(text)
    if len(digits) > _MAX_NUMBER_LENGTH or not _NUMBER_SHAPE.fullmatch(digits):
        raise ConversionError("number")
    decimal_separator = _decimal_separator(digits)
    if decimal_separator is None:
        whole, fraction = digits, ""
    else:
        whole, _, fraction = digits.rpartition(decimal_separator)
    thousands = next((mark for mark in ",." if mark in whole), None)
    if thousands == decimal_separator and thousands is not None:
        raise ConversionError("number")
    whole = _join_groups(whole, thousands) if whole else "0"
    try:
        return Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes this
        raise ConversionError("number") from exc


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def parse_number(text: str, integer: bool = False) -> int | float:
    number = parse_decimal(text)
    if integer and number != number.to_integral_value():
        raise ConversionError("integer")
    return _plain(number)


def parse_amount(text: str) -> Decimal:
    """An amount in euros with at most two decimals, written the Dutch (or English) way:
    ``1.250,50``, ``1250.50``, ``1,250.50`` and ``€ 1.250,50`` are the same amount, and
    ``1.250`` is one thousand two hundred and fifty. The one reading of every amount field."""
    try:
        number = parse_decimal(text)
    except ConversionError as exc:
        raise ConversionError("money") from exc
    if number != number.quantize(_CENTS):
        raise ConversionError("money_decimals")
    return number.quantize(_CENTS)


def parse_money(text: str, integer: bool = False) -> int | float:
    """An amount in euros with at most two decimals (whole euros when ``integer``)."""
    number = parse_amount(text)
    if integer and number != number.to_integral_value():
        raise ConversionError("integer")
    return _plain(number)


# --- other values ---------------------------------------------------------------------------


def parse_date(text: str) -> str:
    """``YYYY-MM-DD`` or ``DD-MM-YYYY`` (also with / or .) to ``YYYY-MM-DD``."""
    iso = _ISO_DATE.fullmatch(text)
    dutch = _DUTCH_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dutch:
        day, month, year = (int(part) for part in dutch.groups())
    else:
        raise ConversionError("date")
    try:
        return date(year, month, day).isoformat()
    except ValueError as exc:
        raise ConversionError("date") from exc


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConversionError("boolean")


def normalize_postcode(text: str) -> str:
    """``3311ab`` -> ``3311 AB``; anything else is returned as typed (validation will say why)."""
    found = _POSTCODE.fullmatch(text)
    return f"{found.group(1)} {found.group(2).upper()}" if found else text


def _by_type(text: str, kind: str | None) -> Any:
    if kind == "integer":
        return parse_number(text, integer=True)
    if kind == "number":
        return parse_number(text)
    if kind == "boolean":
        return parse_bool(text)
    return text


_WIDGET_PARSERS: dict[str, Callable[[str, str | None], Any]] = {
    "money": lambda text, kind: parse_money(text, integer=kind == "integer"),
    "number": lambda text, kind: parse_number(text, integer=kind == "integer"),
    "date": lambda text, kind: parse_date(text),
    "postcode": lambda text, kind: normalize_postcode(text),
    "textarea": lambda text, kind: text.replace("\r\n", "\n").replace("\r", "\n"),
}


# --- reading the post -----------------------------------------------------------------------


def _texts(raw: RawForm, name: str) -> list[str]:
    """Every string posted under ``name`` (uploaded file objects and other non-text are skipped)."""
    getlist = getattr(raw, "getlist", None)
    values: Any = getlist(name) if callable(getlist) else raw.get(name)
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [value for value in values if isinstance(value, str)] if isinstance(values, list | tuple) else []


def _filled(texts: list[str]) -> list[str]:
    return [text.strip() for text in texts if text.strip()]


def _convert_single(field: Field, texts: list[str]) -> Any:
    filled = _filled(texts)
    if not filled:
        return ABSENT
    parser = _WIDGET_PARSERS.get(field.widget, _by_type)
    return parser(filled[0], field.type)


def _convert_many(field: Field, texts: list[str]) -> Any:
    kind = schema_type(field.item_schema)
    values: list[Any] = []
    for text in _filled(texts):
        value = _by_type(text, kind)
        if value not in values:
            values.append(value)
    return values or ABSENT


def _convert_checkbox(field: Field, texts: list[str]) -> Any:
    words = [text.strip().lower() for text in texts if text.strip()]
    if any(word in TRUE_WORDS for word in words):
        return True
    if all(word in FALSE_WORDS for word in words):
        return False
    raise ConversionError("boolean")


def convert_field(field: Field, texts: list[str]) -> Any:
    """The typed value of one field, or ``ABSENT``; raises ``ConversionError``."""
    if field.widget == "checkbox":
        return _convert_checkbox(field, texts)
    if field.multiple:
        return _convert_many(field, texts)
    return _convert_single(field, texts)


def coerce(
    definition: FormDefinition,
    raw: RawForm,
    step: str | None = None,
    lang: str = DEFAULT_LANG,
) -> tuple[dict[str, Any], list[FieldError]]:
    """Typed values of the fields of the form (or of one step), and the conversion errors."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field in definition.fields_for(step):
        try:
            value = convert_field(field, _texts(raw, field.name))
        except ConversionError as exc:
            errors.append(FieldError(field.name, message_for(field, exc.kind, lang)))
            continue
        if value is not ABSENT:
            values[field.name] = value
    return values, errors
