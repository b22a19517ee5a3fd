"""The exports' XLSX writer: what it writes reads back as written (openpyxl, in both of its
reading modes), odd text included."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from processes.monitoring.xlsx import write_xlsx

ROWS = [
    ("INI-2026-000001", "Geveltuin & bankje <Lindenstraat>", 3, 2.5, None, "ja"),
    ("INI-2026-000002", "  spaties eromheen  ", 0, -1, "", "nee"),
    ("INI-2026-000003", "stuurteken\x01weg", 123456789, 0.25, None, None),
    ("INI-2026-000001", "Geveltuin & bankje <Lindenstraat>", 3, 2.5, None, "ja"),  # a repeated row
]


def written() -> bytes:
    out = io.BytesIO()
    write_xlsx(out, [("initiatieven", ("nummer", "titel", "dagen", "score", "leeg", "te_laat"), iter(ROWS)),
                     ("stappen & meer", ("nummer",), iter([("A",), ("B",)]))])
    return out.getvalue()


def test_what_is_written_reads_back_as_written() -> None:
    content = written()
    for read_only in (False, True):
        book = load_workbook(io.BytesIO(content), read_only=read_only)
        assert book.sheetnames == ["initiatieven", "stappen & meer"]
        table = [list(row) for row in book["initiatieven"].iter_rows(values_only=True)]
        assert table == [
            ["nummer", "titel", "dagen", "score", "leeg", "te_laat"],
            ["INI-2026-000001", "Geveltuin & bankje <Lindenstraat>", 3, 2.5, None, "ja"],
            ["INI-2026-000002", "  spaties eromheen  ", 0, -1, None, "nee"],
            ["INI-2026-000003", "stuurtekenweg", 123456789, 0.25, None, None],  # XML has no control characters
            ["INI-2026-000001", "Geveltuin & bankje <Lindenstraat>", 3, 2.5, None, "ja"],
        ]
        assert [row for row in book["stappen & meer"].iter_rows(values_only=True)] == [("nummer",), ("A",), ("B",)]


def test_the_package_has_the_parts_spreadsheet_programs_look_for() -> None:
    with zipfile.ZipFile(io.BytesIO(written())) as package:
        names = package.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= set(names)
        assert b'xml:space="preserve">  spaties eromheen  <' in package.read("xl/worksheets/sheet1.xml")


def test_many_rows_read_back_whether_their_values_repeat_or_not() -> None:
    rows = [(f"INI-{number:06d}", ("initiatief", "eenvoudig", "complex")[number % 3], number % 7 or None)
            for number in range(2500)]
    out = io.BytesIO()
    write_xlsx(out, [("stappen", ("nummer", "proces", "dagen"), iter(rows))])
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True)["stappen"]
    assert [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == rows
