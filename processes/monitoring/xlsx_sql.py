"""A sheet's rows written as SpreadsheetML by PostgreSQL itself, for the XLSX exports of a large
pilot: the database turns each row of the export's query into ``<row>…</row>`` text and sends it
with ``COPY``, so the rows never become Python objects and Python only packs the text into the
zip (while the database writes the next rows, on the other core).

The cells are the ones :mod:`processes.monitoring.xlsx` writes: a number as a value, a text as an
inline string (escaped, characters XML does not allow left out, spaces kept), an empty value as
an empty cell. A line break becomes a character reference, so every row is one line of the
``COPY`` output: in CSV format with a delimiter and a quote character that are left out of every
text, nothing in a line is quoted or escaped, and the newline after a row is whitespace between
rows in the XML."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Integer, Numeric, Select, String, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Float

WRITE_BYTES = 1 << 20
_LEFT_OUT = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"
"""What XML does not allow (PostgreSQL's text has no NUL); includes COPY's delimiter and quote."""
_COPY = "COPY ({query}) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')"
_ESCAPED = "[&<>\\r\\n\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]"
_SPACED = "^\\s|\\s$"
_REPLACED = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"), ("\n", "&#10;"))


def _number(value: ColumnElement[Any]) -> ColumnElement[str]:
    return func.coalesce(literal("<c><v>") + cast(value, String) + literal("</v></c>"), literal("<c/>"))


def _escaped(text: ColumnElement[str]) -> ColumnElement[str]:
    found: ColumnElement[str] = func.regexp_replace(text, _LEFT_OUT, "", "g")
    for character, reference in _REPLACED:
        found = func.replace(found, character, reference)
    return found


def _text(value: ColumnElement[Any]) -> ColumnElement[str]:
    text = cast(value, String)
    # Most texts need no escaping (codes, dates): one match decides, instead of six replacements.
    escaped = case((text.regexp_match(_ESCAPED), _escaped(text)), else_=text)
    spaced = case((text.regexp_match(_SPACED), literal('<c t="inlineStr"><is><t xml:space="preserve">')),
                  else_=literal('<c t="inlineStr"><is><t>'))
    # An empty text is an empty cell, as NULL is (the Python writer does the same).
    return func.coalesce(spaced + func.nullif(escaped, "") + literal("</t></is></c>"), literal("<c/>"))


def _cell(column: ColumnElement[Any]) -> ColumnElement[str]:
    if isinstance(column.type, Integer | Numeric | Float):
        return _number(column)
    return _text(column)


def row_text(query: Select[Any]) -> Select[Any]:
    """``query`` (same rows, same order) as one text column per row: the row's SpreadsheetML."""
    cells: ColumnElement[str] = literal("<row>")
    for column in query.selected_columns:
        cells = cells + _cell(column)
    return query.with_only_columns(cells + literal("</row>"), maintain_column_froms=True)


def copied_rows(conn: Connection, query: Select[Any]) -> Iterator[bytes]:
    """The rows' SpreadsheetML from PostgreSQL, in blocks of about a megabyte."""
    compiled = row_text(query).compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    driver = conn.connection.driver_connection
    assert driver is not None
    block: list[bytes] = []
    size = 0
    with driver.cursor() as cursor, cursor.copy(_COPY.format(query=compiled), compiled.params) as copy:
        for line in copy:
            block.append(bytes(line))
            size += len(line)
            if size >= WRITE_BYTES:
                yield b"".join(block)
                block.clear()
                size = 0
    if block:
        yield b"".join(block)

