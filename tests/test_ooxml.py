"""Tests for the shared OOXML helpers: relationship parts, content types, part paths and safe parsing."""

from __future__ import annotations

import pytest
from lxml import etree

from lecturegen.ooxml import (
    CT,
    NS,
    RT,
    ContentTypes,
    Relationship,
    emu_attr,
    escape,
    local_name,
    parse,
    read_rels,
    relative,
    rels_path,
    resolve,
    serialise,
    write_rels,
)


def test_part_paths() -> None:
    assert rels_path("ppt/slides/slide1.xml") == "ppt/slides/_rels/slide1.xml.rels"
    assert rels_path("[Content_Types].xml") == "_rels/[Content_Types].xml.rels"
    assert resolve("ppt/slides/slide1.xml", "../slideLayouts/slideLayout2.xml") == "ppt/slideLayouts/slideLayout2.xml"
    assert resolve("ppt/slides/slide1.xml", "/ppt/media/image1.png") == "ppt/media/image1.png"
    assert relative("ppt/slides/slide1.xml", "ppt/media/image1.png") == "../media/image1.png"
    assert relative("ppt/presentation.xml", "ppt/slides/slide1.xml") == "slides/slide1.xml"


def test_relationships_round_trip_with_escaping_and_external_links() -> None:
    rels = [Relationship("rId1", RT["layout"], "../slideLayouts/slideLayout1.xml"),
            Relationship("rId2", RT["hyperlink"], 'https://example.org/?a=1&b="2"', external=True)]
    data = write_rels(rels)
    assert data.startswith(b"<?xml")
    assert b"&amp;b=&quot;2&quot;" in data and data.count(b'TargetMode="External"') == 1
    assert read_rels(data) == rels


def test_no_relationships_part_reads_as_none() -> None:
    assert read_rels(None) == [] and read_rels(b"") == []


def test_content_types_by_override_then_extension() -> None:
    types = ContentTypes({"xml": "application/xml", "png": "image/png"},
                         {"ppt/slides/slide1.xml": CT["slide"]})
    assert types.type_of("ppt/slides/slide1.xml") == CT["slide"]
    assert types.type_of("ppt/media/A.PNG") == "image/png"
    assert types.type_of("ppt/other.xml") == "application/xml"
    assert types.type_of("ppt/media/a.gif") is None
    again = ContentTypes.read(types.write())
    assert again == types
    assert b'PartName="/ppt/slides/slide1.xml"' in types.write()


def test_content_types_read_lower_cases_extensions_and_strips_slashes() -> None:
    data = (f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="JPEG" ContentType="image/jpeg"/><Override PartName="/ppt/x.xml" '
            f'ContentType="t"/><!-- c --></Types>').encode()
    types = ContentTypes.read(data)
    assert types.defaults == {"jpeg": "image/jpeg"} and types.overrides == {"ppt/x.xml": "t"}


def test_escape_covers_markup_and_quotes() -> None:
    assert escape('a & b < c > d "e"') == "a &amp; b &lt; c &gt; d &quot;e&quot;"


def test_local_names_of_elements_and_comments() -> None:
    root = parse(f'<a:p xmlns:a="{NS["a"]}"><!-- c --><a:r/></a:p>'.encode())
    assert local_name(root) == "p"
    assert [local_name(c) for c in root] == ["", "r"]


def test_parse_does_not_expand_entities() -> None:
    data = b'<!DOCTYPE x [<!ENTITY e "expanded">]><x>&e;</x>'
    root = parse(data)
    assert "expanded" not in etree.tostring(root).decode()


def test_serialise_adds_the_standalone_declaration() -> None:
    data = serialise(parse(b"<x><y>\xc3\xa9</y></x>"))
    assert data == b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x><y>\xc3\xa9</y></x>'


@pytest.mark.parametrize(("value", "expected"), [("914400", 914400), ("12.7", 12), ("-5", -5), ("wide", None),
                                                 (None, None)])
def test_emu_attributes_read_leniently(value: str | None, expected: int | None) -> None:
    element = etree.Element("off")
    if value is not None:
        element.set("x", value)
    assert emu_attr(element, "x") == expected
    assert emu_attr(None, "x") is None
