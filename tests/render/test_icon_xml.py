"""Render tests: an icon is one native shape with custom geometry, in the schema's order, stroked in its colour."""

from __future__ import annotations

from lxml import etree

from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.icons import Icon, IconPath, PathStep
from lecturegen.model.shapes import AutoShape, GroupShape, IconShape
from lecturegen.ooxml import A, NS, P
from lecturegen.render.icon_xml import icon_xml
from lecturegen.render.slide_xml import slide_xml
from lecturegen.sources.icons import load_icon

BOX = Box(EMU_PER_INCH, EMU_PER_INCH, EMU_PER_INCH, EMU_PER_INCH)
DOT = Icon("dot", (IconPath((PathStep("M", ((2.0, 2.0),)), PathStep("L", ((22.0, 2.0),)),
                             PathStep("C", ((22.0, 10.0), (12.0, 22.0), (2.0, 22.0))), PathStep("Z"))),
                   IconPath((PathStep("M", ((11.0, 12.0),)), PathStep("L", ((13.0, 12.0),))), filled=True)))


def _element(xml: str) -> etree._Element:
    return etree.fromstring(f'<p:spTree xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}" xmlns:r="{NS["r"]}">{xml}'
                            "</p:spTree>")[0]


def test_custom_geometry_has_every_part_in_the_schemas_order() -> None:
    sp = _element(icon_xml(IconShape("Icon: dot", BOX, DOT, "0F766E", 6.0), 7))
    geometry = sp.find(f"{P}spPr/{A}custGeom")
    assert geometry is not None
    assert [etree.QName(c).localname for c in geometry] == ["avLst", "gdLst", "ahLst", "cxnLst", "rect", "pathLst"]
    paths = geometry.findall(f"{A}pathLst/{A}path")
    assert [(p.get("w"), p.get("h"), p.get("fill")) for p in paths] == [("24000", "24000", "none"),
                                                                         ("24000", "24000", None)]
    assert [etree.QName(c).localname for c in paths[0]] == ["moveTo", "lnTo", "cubicBezTo", "close"]
    assert [(pt.get("x"), pt.get("y")) for pt in paths[0][2]] == [("22000", "10000"), ("12000", "22000"),
                                                                    ("2000", "22000")]


def test_the_line_is_the_icons_colour_with_round_caps_and_joins_and_alt_text_names_it() -> None:
    sp = _element(icon_xml(IconShape("Icon: dot", BOX, DOT, "0F766E", 6.0), 7))
    spr = sp.find(f"{P}spPr")
    assert spr is not None
    assert [etree.QName(c).localname for c in spr] == ["xfrm", "custGeom", "solidFill", "ln"]  # a filled dot
    line = spr.find(f"{A}ln")
    assert line is not None and line.get("w") == str(6 * 12700) and line.get("cap") == "rnd"
    assert line.find(f"{A}solidFill/{A}srgbClr").get("val") == "0F766E"
    assert line.find(f"{A}round") is not None
    name = sp.find(f"{P}nvSpPr/{P}cNvPr")
    assert name is not None and name.get("descr") == "Icon: dot" and name.get("id") == "7"
    stroked = Icon("line", (DOT.paths[0],))
    spr = _element(icon_xml(IconShape("Icon: line", BOX, stroked, "0F766E", 6.0), 7)).find(f"{P}spPr")
    assert spr is not None and spr.find(f"{A}noFill") is not None


def test_icons_are_written_on_the_slide_and_inside_a_diagrams_group() -> None:
    heart = IconShape("Icon: heart", BOX, load_icon("heart"), "0F766E", 6.0)
    node = AutoShape("Step 1", BOX, "roundRect", "0F766E")
    group = GroupShape("Diagram: process", BOX, (node, heart), "A process")
    slide = Slide(kind="bullets", layout="content", title=(Run("Icons"),), shapes=(heart, group))
    tree = etree.fromstring(slide_xml(slide, "en-GB", None, None).xml.replace(b"\x00", b"_"))  # tokens filled later
    shapes = tree.findall(f".//{P}sp")
    described = [s.find(f"{P}nvSpPr/{P}cNvPr").get("descr") for s in shapes
                 if s.find(f"{P}spPr/{A}custGeom") is not None]
    assert described == ["Icon: heart", "Icon: heart"]
    grouped = tree.find(f".//{P}grpSp")
    assert grouped is not None and grouped.find(f"{P}sp/{P}spPr/{A}custGeom") is not None


def test_a_revealed_diagram_shows_a_nodes_icon_with_the_node() -> None:
    heart = IconShape("Step 1 icon", BOX, load_icon("heart"), "FFFFFF", 6.0)
    node = AutoShape("Step 1", BOX, "roundRect", "0F766E")
    group = GroupShape("Diagram: process", BOX, (node, heart), "A process", reveal=((0, 1),))
    slide = Slide(kind="diagram", layout="title-only", title=(Run("Icons"),), shapes=(group,), reveal="bullets")
    tree = etree.fromstring(slide_xml(slide, "en-GB", None, None).xml.replace(b"\x00", b"_"))
    names = [s.find(f"{P}nvSpPr/{P}cNvPr") for s in tree.findall(f".//{P}sp")]
    ids = {n.get("name"): n.get("id") for n in names if n is not None}
    shown = [t.get("spid") for t in tree.iter(f"{P}spTgt")]
    assert ids["Step 1 icon"] in shown and ids["Step 1"] in shown
