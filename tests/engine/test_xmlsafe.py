"""Hardened XML parsing: size limit, no DTD/entities, clean errors with line numbers."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from lxml import etree

from engine import xmlsafe
from engine.xmlsafe import MAX_MODEL_BYTES, UnsafeXml, parse_xml

MODELS = Path(__file__).resolve().parents[1] / "fixtures" / "models"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def test_parses_a_valid_model_into_its_root_element() -> None:
    root = parse_xml((MODELS / "valid" / "initiatief.bpmn").read_bytes(), "initiatief.bpmn")
    assert root.tag == f"{{{BPMN_NS}}}definitions"
    assert root.xpath("//bpmn:process/@id", namespaces={"bpmn": BPMN_NS}) == ["initiatief_aanvraag"]


def test_accepts_text_as_well_as_bytes() -> None:
    assert parse_xml("<a>é</a>", "a.bpmn").text == "é"  # type: ignore[arg-type]


def test_refuses_xxe_without_reading_the_file() -> None:
    with pytest.raises(UnsafeXml) as caught:
        parse_xml((MODELS / "hostile" / "xxe.bpmn").read_bytes(), "xxe.bpmn")
    error = caught.value
    assert error.code == "xml.doctype"
    assert "root:" not in error.message_nl + error.message_en
    assert "DOCTYPE" in error.message_nl and "regel 2" in error.message_nl
    assert "line 2" in error.message_en


def test_refuses_billion_laughs_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(UnsafeXml) as caught:
        parse_xml((MODELS / "hostile" / "billion_laughs.bpmn").read_bytes(), "lol.bpmn")
    assert caught.value.code == "xml.doctype"
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE a SYSTEM "http://example.org/evil.dtd"><a/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><a/>',
        b"<!doctype a><a/>",
        b'<a><!ENTITY x "y"></a>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16"),
        '<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE a><a/>'.encode("utf-16-be"),
    ],
)
def test_refuses_every_kind_of_dtd(data: bytes) -> None:
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(data, "evil.bpmn")
    assert caught.value.code == "xml.doctype"


def test_the_parser_itself_resolves_nothing_even_without_the_byte_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with the raw scan switched off, the DTD is still refused after
    parsing and the external entity was never read."""
    monkeypatch.setattr(xmlsafe, "_scan_declarations", lambda data, filename: None)
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    root = etree.fromstring(data, xmlsafe._make_parser())
    assert b"root:" not in etree.tostring(root)
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(data, "xxe.bpmn")
    assert caught.value.code == "xml.doctype"
    for name in ("xxe.bpmn", "billion_laughs.bpmn"):
        with pytest.raises(UnsafeXml):
            parse_xml((MODELS / "hostile" / name).read_bytes(), name)


def test_refuses_input_over_the_size_limit() -> None:
    big = b"<a>" + b" " * MAX_MODEL_BYTES + b"</a>"
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(big, "groot.bpmn")
    assert caught.value.code == "xml.too_large"
    assert "5 MB" in caught.value.message_nl and "5 MB" in caught.value.message_en


def test_accepts_input_at_the_size_limit() -> None:
    data = b"<a>" + b" " * (MAX_MODEL_BYTES - 7) + b"</a>"
    assert len(data) == MAX_MODEL_BYTES
    assert parse_xml(data, "precies.bpmn").tag == "a"


def test_malformed_xml_names_the_line() -> None:
    data = b"<a>\n  <b>\n  </c>\n</a>"
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(data, "kapot.bpmn")
    error = caught.value
    assert error.code == "xml.malformed"
    assert error.line == 3
    assert "regel 3" in error.message_nl and "kapot.bpmn" in error.message_nl
    assert "line 3" in error.message_en


@pytest.mark.parametrize("data", [b"", b"   \n ", b"\n"])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(UnsafeXml) as caught:
        parse_xml(data, "leeg.bpmn")
    assert caught.value.code == "xml.empty"


GARBAGE = [
    b"\x00\x01\x02",
    b"PK\x03\x04\x14\x00\x00\x00",  # a zip (Bizagi .bpm) renamed to .bpmn
    b'{"json": true}',
    b"<html><body><p>niet afgesloten</body>",
    b'<?xml version="1.0" encoding="bogus"?><a/>',
    b"<a/><b/>",
    b'<?xml version="1.0"?>',
    b"\xff\xfe\x00",
    b"<a>\xff\xfe</a>",
    b"<a xmlns:x='urn:x'><x:b y:c='1'/></a>",
    b"<" * 10_000,
    b"<a>" * 300 + b"</a>" * 300,
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_only_ever_raises_unsafe_xml(data: bytes) -> None:
    try:
        root = parse_xml(data, "rommel.bpmn")
    except UnsafeXml as error:
        assert error.message_nl and error.message_en and error.code.startswith("xml.")
    else:
        assert isinstance(root.tag, str)


def test_random_bytes_never_escape_as_lxml_errors() -> None:
    rng = random.Random(20240304)
    valid = (MODELS / "valid" / "groen.bpmn").read_bytes()
    for _ in range(300):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            parse_xml(bytes(data), "random.bpmn")
        except UnsafeXml:
            pass


def test_deeply_nested_xml_is_refused_cleanly() -> None:
    depth = 300_000  # beyond libxml2's depth limit without huge_tree
    data = b"<a>" * depth + b"</a>" * depth
    with pytest.raises(UnsafeXml):
        parse_xml(data, "diep.bpmn")
