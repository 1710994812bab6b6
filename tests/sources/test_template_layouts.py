"""A master's layouts as lecturegen places slides on them: roles by geometry, off-slide boxes, drawn obstacles."""

from __future__ import annotations

from lecturegen.model.template import Layout
from lecturegen.ooxml import RT
from lecturegen.sources.template_layouts import OffSlide, color_map, drawn_obstacles, read_layouts, read_master
from lecturegen.sources.template_package import TemplatePackage
from tests.sources.test_template import MASTER, add_to_master, template_parts
from tests.sources.test_template_styles import xml


def layouts_of(parts: dict[str, bytes]) -> tuple[dict[str, Layout], OffSlide, TemplatePackage]:
    pkg = TemplatePackage(parts, "t.pptx")
    pkg.scheme = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "1F497D", "lt2": "EEECE1"}
    pkg.color_map = color_map(pkg.xml(MASTER))
    pkg.theme_part = pkg.related(MASTER, RT["theme"])[0]
    off: OffSlide = {}
    width, height = pkg.slide_size()
    found = read_layouts(pkg, MASTER, read_master(pkg, MASTER), 0, width, height, off)
    return {layout.name: layout for layout in found}, off, pkg


def test_every_layout_is_read_with_its_placeholders_in_roles() -> None:
    layouts, off, _ = layouts_of(template_parts())
    assert len(layouts) == 11 and not off
    two = layouts["Two Content"]
    roles = {ph.role for ph in two.placeholders}
    assert {"title", "body", "body2"} <= roles
    comparison = {ph.role for ph in layouts["Comparison"].placeholders}
    assert {"heading1", "heading2", "body", "body2"} <= comparison


def test_a_footer_cut_by_the_edge_is_moved_inside_and_written_out() -> None:
    parts = template_parts()
    layout = "ppt/slideLayouts/slideLayout2.xml"
    parts[layout] = parts[layout].replace(b'<p:ph type="dt" sz="half" idx="10"/></p:nvPr></p:nvSpPr><p:spPr/>',
                                          b'<p:ph type="dt" sz="half" idx="10"/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm>'
                                          b'<a:off x="-200000" y="6356350"/><a:ext cx="2133600" cy="365125"/>'
                                          b'</a:xfrm></p:spPr>')
    layouts, off, _ = layouts_of(parts)
    assert off == {("date", "moved inside the slide"): ["Title and Content"]}
    date = next(ph for ph in layouts["Title and Content"].placeholders if ph.role == "date")
    assert date.box.x == 0 and not date.unique


def test_a_logo_on_the_master_is_an_obstacle_and_a_full_slide_picture_is_not() -> None:
    parts = template_parts()
    add_to_master(parts, '<p:sp><p:nvSpPr><p:cNvPr id="80" name="Mark"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
                         '<p:spPr><a:xfrm><a:off x="100" y="100"/><a:ext cx="900000" cy="300000"/></a:xfrm></p:spPr>'
                         '<p:txBody><a:bodyPr/><a:p><a:r><a:t>CONFIDENTIAL</a:t></a:r></a:p></p:txBody></p:sp>')
    pkg = TemplatePackage(parts, "t.pptx")
    boxes = drawn_obstacles(pkg.xml(MASTER), pkg)
    assert [(b.x, b.cx) for b in boxes] == [(100, 900000)]


def test_a_colour_map_override_is_read() -> None:
    override = xml('<ROOT/>')
    assert color_map(override) == {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
