"""A streaming XLSX writer for the monitoring's exports: sheets of plain rows (text, whole and
decimal numbers, empty cells) written straight into the zip as they come, in the smallest
package spreadsheet programs open (Office Open XML, SpreadsheetML: a workbook, its sheets, one
plain style).

openpyxl's write-only mode makes objects per cell and costs about 5 µs a cell: some 25 s for
the 4.8 million cells of a pilot of 100,000 initiatives. Written as text here, a cell costs about
half a microsecond. Texts are inline strings (no shared-string table to keep in memory);
characters XML does not allow are left out."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

ROWS_PER_WRITE = 1000
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|\\A\\s|\\s\\Z")
"""What a text needs escaping, leaving out or spaces kept for."""
_CARRIAGE_RETURN = {"\r": "&#13;"}
"""Kept as a reference: XML readers turn a bare one into a line feed."""
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLES = (_HEAD + f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font>'
           '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
           'patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
           '<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
           'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
           'xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
           '</cellStyles></styleSheet>')

@dataclass(frozen=True)
class WrittenRows:
    """A sheet's rows already written as SpreadsheetML (``<row>`` elements with the cells this
    module writes), in blocks: by the database (:mod:`processes.monitoring.xlsx_sql`)."""

    blocks: Iterable[bytes]


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]] | WrittenRows]
"""A sheet's title, its column names and its rows."""


def _text(value: str) -> str:
    if _WORK.search(value) is not None:
        value = escape(_ILLEGAL.sub("", value), _CARRIAGE_RETURN)
        if value[:1].isspace() or value[-1:].isspace():
            return f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def _render(value: Any) -> str:
    if value is None or value == "":
        return "<c/>"  # an empty cell: every row as wide as its sheet
    if isinstance(value, int | float):  # (a flag as 1 or 0)
        return f"<c><v>{value}</v></c>"
    return _text(str(value))


class _Cells(dict[Any, str]):
    """A column's cells (XML) per value, kept: most columns of an export repeat their values
    (steps, teams, days), and a cell without its reference (``r``) sits in the next column, so
    the same value is the same text wherever it is."""

    def __missing__(self, value: Any) -> str:
        found = self[value] = _render(value)
        return found


def _columns_kept(caches: list[_Cells | None], seen: int) -> list[_Cells | None]:
    """After a sample of rows: a column whose values hardly repeat (references, times) is
    rendered cell by cell from then on, without keeping them."""
    return [cache if cache is not None and len(cache) * 2 < seen else None for cache in caches]


def _write_sheet(out: IO[bytes], columns: Sequence[str], rows: Iterable[Sequence[Any]] | WrittenRows) -> None:
    out.write(f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
    out.write(f'<row r="1">{"".join([_render(name) for name in columns])}</row>'.encode())
    if isinstance(rows, WrittenRows):
        for block in rows.blocks:
            out.write(block)
        out.write(b"</sheetData></worksheet>")
        return
    caches: list[_Cells | None] = [_Cells() for _ in columns]
    chunk: list[str] = []
    for number, row in enumerate(rows, start=2):
        if len(caches) < len(row):
            caches += [None] * (len(row) - len(caches))
        cells = "".join([_render(value) if cache is None else cache[value]
                         for cache, value in zip(caches, row, strict=False)])  # a shorter row: fewer cells
        chunk.append(f'<row r="{number}">{cells}</row>')
        if len(chunk) >= ROWS_PER_WRITE:
            out.write("".join(chunk).encode())
            chunk.clear()
            caches = _columns_kept(caches, number - 1)
    out.write(("".join(chunk) + "</sheetData></worksheet>").encode())


def _package_parts(titles: Sequence[str]) -> dict[str, str]:
    numbers = range(1, len(titles) + 1)
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
                        for n in numbers)
    sheet_list = "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                         for n, title in zip(numbers, titles, strict=True))
    relations = "".join(f'<Relationship Id="rId{n}" Type="{_RELATIONS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                        for n in numbers)
    return {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"),
        "_rels/.rels": (f'{_HEAD}<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
                        f'Type="{_RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONS}"><sheets>{sheet_list}</sheets>'
                            "</workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE}">{relations}<Relationship Id="rId{len(titles) + 1}" '
            f'Type="{_RELATIONS}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": _STYLES,
    }


def write_xlsx(target: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """The workbook of ``sheets`` into ``target`` (each sheet's rows are read once, as they come)."""
    titles = [_ILLEGAL.sub("", title)[:31] or f"Blad{number}" for number, (title, _, _) in enumerate(sheets, 1)]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, content in _package_parts(titles).items():
            package.writestr(name, content)
        for number, (_title, columns, rows) in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w") as out:
                _write_sheet(out, columns, rows)
