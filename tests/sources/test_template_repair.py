"""Schema defects a template brings are repaired where they stand."""

from __future__ import annotations

from lxml import etree

from lecturegen.sources.template_repair import repair_part

A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def test_bullet_sizes_in_thousandths_become_percentages() -> None:
    xml = (f'<r xmlns:a="{A}"><a:lvl1pPr><a:buSzPct val="45000"/></a:lvl1pPr><a:lvl2pPr><a:buSzPct val="145000"/>'
           f'</a:lvl2pPr><a:lvl3pPr><a:buSzPct val="100%"/></a:lvl3pPr><a:lvl4pPr><a:buSzPct val="5000"/>'
           f'</a:lvl4pPr></r>').encode()
    root = etree.fromstring(xml)
    notes = repair_part(xml, lambda: root)
    assert [el.get("val") for el in root.iter(f"{{{A}}}buSzPct")] == ["45%", "145%", "100%", "25%"]
    assert notes == ["bullet sizes written as thousandths of a percent (3)"]


def test_a_part_without_the_defect_is_not_parsed() -> None:
    def refuse() -> etree._Element:
        raise AssertionError("parsed")

    assert repair_part(b"<r/>", refuse) == []
