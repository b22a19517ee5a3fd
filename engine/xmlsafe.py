"""Hardened XML parsing for uploaded BPMN and DMN files.

Uploaded model files are untrusted. lxml's default parser resolves entities, so a file could
read local files (XXE) or blow up memory (billion laughs). Every uploaded file goes through
:func:`parse_xml`, which

- refuses input larger than :data:`MAX_MODEL_BYTES`;
- refuses any DOCTYPE or ENTITY declaration (a BPMN or DMN file never needs one);
- parses without DTD loading, entity resolution, network access or "huge tree" mode;
- turns every parser error into :class:`UnsafeXml` with a Dutch and an English message.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

MAX_MODEL_BYTES = 5 * 1024 * 1024

_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
# The same markers in the UTF-16 encodings, so a BOM-prefixed file cannot slip past the scan.
_WIDE_MARKERS = tuple(
    marker.decode("ascii").encode(codec) for marker in _MARKERS for codec in ("utf-16-le", "utf-16-be")
)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_LXML_POSITION = re.compile(r",?\s*line \d+, column \d+\s*$")


class UnsafeXml(Exception):
    """The XML was refused: too large, a DTD/entity declaration, or not well-formed."""

    def __init__(self, message_nl: str, message_en: str, line: int | None = None, code: str = "xml.malformed") -> None:
        super().__init__(message_en)
        self.message_nl = message_nl
        self.message_en = message_en
        self.line = line
        self.code = code


def _make_parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_pis=True,
        collect_ids=False,
    )


def _as_bytes(data: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    return bytes(data)


def _check_size(data: bytes, filename: str) -> None:
    if len(data) > MAX_MODEL_BYTES:
        limit_mb = MAX_MODEL_BYTES // (1024 * 1024)
        raise UnsafeXml(
            f"Het bestand {filename} is te groot ({len(data):,} bytes). "
            f"Een model mag hoogstens {limit_mb} MB zijn. Maak het model kleiner of splits het op.",
            f"The file {filename} is too large ({len(data):,} bytes). "
            f"A model may be at most {limit_mb} MB. Make the model smaller or split it.",
            code="xml.too_large",
        )
    if not data.strip():
        raise UnsafeXml(
            f"Het bestand {filename} is leeg. Upload een BPMN- of DMN-bestand.",
            f"The file {filename} is empty. Upload a BPMN or DMN file.",
            1,
            code="xml.empty",
        )


def _refuse_declaration(filename: str, line: int | None) -> UnsafeXml:
    where_nl = f" (regel {line})" if line else ""
    where_en = f" (line {line})" if line else ""
    return UnsafeXml(
        f"Het bestand {filename} bevat een DOCTYPE- of ENTITY-declaratie{where_nl}. "
        "Dat is niet toegestaan, omdat het misbruikt kan worden. "
        "Haal de regel met <!DOCTYPE ...> of <!ENTITY ...> weg en upload het bestand opnieuw.",
        f"The file {filename} contains a DOCTYPE or ENTITY declaration{where_en}. "
        "This is not allowed because it can be abused. "
        "Remove the <!DOCTYPE ...> or <!ENTITY ...> line and upload the file again.",
        line,
        code="xml.doctype",
    )


def _scan_declarations(data: bytes, filename: str) -> None:
    match = _DECLARATION.search(data)
    if match is not None:
        line = data.count(b"\n", 0, match.start()) + 1
        raise _refuse_declaration(filename, line)
    if any(marker in data for marker in _WIDE_MARKERS):
        raise _refuse_declaration(filename, None)


def _syntax_error(filename: str, error: etree.XMLSyntaxError) -> UnsafeXml:
    line = error.lineno or (error.position[0] if error.position else None)
    column = error.position[1] if error.position else None
    detail = _LXML_POSITION.sub("", (error.msg or str(error)).strip()).rstrip(". ")
    position_nl = f"regel {line}" + (f", kolom {column}" if column else "")
    position_en = f"line {line}" + (f", column {column}" if column else "")
    return UnsafeXml(
        f"Het bestand {filename} is geen geldige XML ({position_nl}): {detail}. "
        "Sla het model opnieuw op vanuit de modeler en controleer deze regel.",
        f"The file {filename} is not well-formed XML ({position_en}): {detail}. "
        "Save the model again from the modeler and check this line.",
        line,
    )


def _unreadable(filename: str, error: Exception) -> UnsafeXml:
    detail = str(error).strip() or error.__class__.__name__
    return UnsafeXml(
        f"Het bestand {filename} kan niet als XML worden gelezen: {detail}.",
        f"The file {filename} cannot be read as XML: {detail}.",
        code="xml.unreadable",
    )


def _check_tree(root: Any, filename: str) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _refuse_declaration(filename, None)
    if not isinstance(root.tag, str):
        raise UnsafeXml(
            f"Het bestand {filename} heeft geen gewoon XML-element als begin.",
            f"The file {filename} does not start with a plain XML element.",
            code="xml.unreadable",
        )


def parse_xml(data: bytes, filename: str) -> Any:
    """Parse untrusted XML into its root element (an ``lxml.etree._Element``).

    Raises :class:`UnsafeXml` for everything that is refused; no lxml error escapes.
    """
    try:
        raw = _as_bytes(data)
    except Exception as exc:  # a caller handing us something odd is still our problem
        raise _unreadable(filename, exc) from None
    _check_size(raw, filename)
    _scan_declarations(raw, filename)
    try:
        root = etree.fromstring(raw, _make_parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(filename, exc) from None
    except Exception as exc:  # lxml raises ValueError/LxmlError for some inputs
        raise _unreadable(filename, exc) from None
    if root is None:
        raise _unreadable(filename, ValueError("no root element"))
    _check_tree(root, filename)
    return root
