"""Renderer tests: slide XML for groups of native shapes (diagrams) — schema-shaped, glued, alt text on the group."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape, TextLine
from lecturegen.ooxml import NS
from lecturegen.render.slide_xml import UID_TOKEN, slide_xml

A, P = f"{{{NS['a']}}}", f"{{{NS['p']}}}"


def _group() -> GroupShape:
    left = AutoShape("Step 1", Box(0, 0, 100, 50), "roundRect", "0F766E",
                     (TextLine((Run("Safety & trust"),), 28.0, bullet="none", align="ctr", color="FFFFFF", bold=True),))
    right = AutoShape("Step 2", Box(200, 0, 100, 50), "ellipse", "D97706", outline="5B6770", outline_pt=2.0, alpha=0.3,
                      lines=(TextLine((Run("Point"),), 18.0, bullet="none", margin=20, indent=-20),), vertical=True)
    arrow = ConnectorShape("Arrow 1", (100, 25), (200, 25), "5B6770", 2.5, start_on=(0, 3), end_on=(1, 1))
    back = ConnectorShape("Back", (200, 40), (100, 10), "5B6770")
    return GroupShape("Diagram: process", Box(0, 0, 300, 50), (left, right, arrow, back), "A process: Safety & trust.")


def _tree() -> etree._Element:
    slide = Slide(kind="diagram", layout="title-only", title=(Run("T"),), shapes=(_group(),))
    return etree.fromstring(slide_xml(slide, "en-GB", None, None).xml.replace(UID_TOKEN.encode(), b"s1"))


def test_a_group_carries_the_alt_text_and_its_children() -> None:
    group = _tree().find(f".//{P}grpSp")
    assert group is not None
    c_nv = group.find(f"{P}nvGrpSpPr/{P}cNvPr")
    assert c_nv is not None and c_nv.get("descr") == "A process: Safety & trust."
    xfrm = group.find(f"{P}grpSpPr/{A}xfrm")
    assert xfrm is not None and xfrm.find(f"{A}chExt") is not None
    assert len(group.findall(f"{P}sp")) == 2 and len(group.findall(f"{P}cxnSp")) == 2


def test_shapes_have_real_text_in_theme_fonts_and_deck_colours() -> None:
    first = _tree().find(f".//{P}grpSp/{P}sp")
    assert first is not None
    assert first.find(f".//{A}prstGeom").get("prst") == "roundRect"
    assert "".join(first.itertext()) == "Safety & trust"
    run = first.find(f".//{A}r/{A}rPr")
    assert run is not None and run.get("sz") == "2800" and run.get("b") == "1"
    assert run.find(f"{A}latin").get("typeface") == "+mn-lt"
    assert run.find(f"{A}solidFill/{A}srgbClr").get("val") == "FFFFFF"


def test_connectors_are_glued_by_shape_id_and_flipped_when_they_point_back() -> None:
    tree = _tree()
    ids = [sp.find(f"{P}nvSpPr/{P}cNvPr").get("id") for sp in tree.iter(f"{P}sp")]
    arrow, back = tree.find(f".//{P}grpSp").iter(f"{P}cxnSp")  # the slide's own anchor stands outside the group
    assert arrow.find(f".//{A}stCxn").get("id") == ids[0]
    assert arrow.find(f".//{A}endCxn").get("idx") == "1"
    assert arrow.find(f".//{A}tailEnd") is not None and arrow.find(f".//{A}headEnd") is None
    assert back.find(f".//{A}xfrm").get("flipH") == "1" and back.find(f".//{A}xfrm").get("flipV") == "1"


def test_every_shape_id_on_the_slide_is_unique() -> None:
    tree = _tree()
    ids = [e.get("id") for e in tree.iter(f"{P}cNvPr")]
    # the tree itself (id 1), the group and its four children, and the slide's round-trip anchor
    assert len(ids) == len(set(ids)) == 7


def test_transparent_fill_and_vertical_text() -> None:
    second = list(_tree().iter(f"{P}sp"))[1]
    assert second.find(f".//{A}solidFill/{A}srgbClr/{A}alpha").get("val") == "30000"
    assert second.find(f"{P}txBody/{A}bodyPr").get("vert") == "vert270"
    assert second.find(f".//{A}buNone") is not None


def test_a_revealed_diagram_is_written_ungrouped_with_a_click_per_step() -> None:
    group = replace(_group(), reveal=((0,), (1, 2)))
    slide = Slide(kind="diagram", layout="title-only", title=(Run("T"),), shapes=(group,), reveal="fade")
    tree = etree.fromstring(slide_xml(slide, "en-GB", None, None).xml.replace(UID_TOKEN.encode(), b"s1"))
    assert tree.find(f".//{P}grpSp") is None  # PowerPoint animates a group only as a whole
    first = tree.find(f".//{P}spTree/{P}sp/{P}nvSpPr/{P}cNvPr")
    assert first is not None and first.get("descr") == "A process: Safety & trust."
    ids = {e.get("name"): e.get("id") for e in tree.iter(f"{P}cNvPr")}
    pars = tree.findall(f".//{P}cTn[@nodeType='clickEffect']")
    assert len(pars) == 2 and len(tree.findall(f".//{P}cTn[@nodeType='withEffect']")) == 1
    targets = [t.get("spid") for t in tree.iter(f"{P}spTgt")]
    assert ids["Step 1"] in targets and ids["Step 2"] in targets and ids["Arrow 1"] in targets
    assert ids["Back"] not in targets  # not in any step: there from the start
    assert {b.get("spid") for b in tree.iter(f"{P}bldP")} == {ids["Step 1"], ids["Step 2"]}  # shapes with text
