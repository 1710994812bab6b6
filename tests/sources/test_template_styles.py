"""Numbers and text styles as templates write them: hostile values refused, PowerPoint's inheritance followed."""

from __future__ import annotations

from lxml import etree

from lecturegen.model.template import LevelStyle
from lecturegen.sources.template_package import TemplatePackage
from lecturegen.sources.template_styles import (box_of, level_style, levels_from, merged_body_pr, parse_int,
                                                sample_levels)
from tests.sources.test_template import template_parts

NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')


def xml(text: str) -> etree._Element:
    return etree.fromstring(text.replace("<ROOT", f"<ROOT {NS}").replace("ROOT", "p:sp"))


def scope() -> TemplatePackage:
    pkg = TemplatePackage(template_parts(), "t.pptx")
    pkg.scheme = {"accent1": "4472C4", "dk1": "000000", "lt1": "FFFFFF"}
    pkg.color_map = {"tx1": "dk1", "bg1": "lt1"}
    return pkg


def test_parse_int_takes_what_writers_save_and_refuses_the_absurd() -> None:
    assert parse_int(" 914400 ", 0, 10**9) == 914400
    assert parse_int("1.5E6", 0, 10**9) == 1_500_000
    for hostile in ("²", "1e400", "nan", "", "12abc", None):
        assert parse_int(hostile, 0, 10**9) is None
    assert parse_int("5", 10, 20) is None


def test_box_of_reads_a_shape_position_and_refuses_a_negative_extent() -> None:
    sp = xml('<ROOT><p:spPr><a:xfrm><a:off x="10" y="20"/><a:ext cx="300" cy="400"/></a:xfrm></p:spPr></ROOT>')
    box = box_of(sp)
    assert box is not None and (box.x, box.y, box.cx, box.cy) == (10, 20, 300, 400)
    bad = xml('<ROOT><p:spPr><a:xfrm><a:off x="10" y="20"/><a:ext cx="-3" cy="400"/></a:xfrm></p:spPr></ROOT>')
    assert box_of(bad) is None


def test_a_level_takes_size_colour_spacing_and_bullets() -> None:
    ppr = etree.fromstring(f'<a:lvl1pPr {NS} marL="342900" algn="ctr"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
                           '<a:spcBef><a:spcPct val="50000"/></a:spcBef><a:buNone/>'
                           '<a:defRPr sz="2400" b="1"><a:solidFill><a:schemeClr val="accent1"/></a:solidFill>'
                           '</a:defRPr></a:lvl1pPr>')
    level = level_style(ppr, LevelStyle(), scope())
    assert (level.size, level.bold, level.color, level.align) == (24.0, True, "4472C4", "ctr")
    assert level.space_before == 12.0  # 50 % of 24 pt
    assert level.line_spacing == 0.9 and level.bullet is False and level.margin == 342900


def test_levels_inherit_what_a_list_style_does_not_say() -> None:
    base = [LevelStyle(size=20.0) for _ in range(9)]
    style = etree.fromstring(f'<a:lstStyle {NS}><a:lvl2pPr><a:defRPr sz="1600"/></a:lvl2pPr></a:lstStyle>')
    levels = levels_from(style, base, scope())
    assert [levels[0].size, levels[1].size, levels[2].size] == [20.0, 16.0, 20.0]


def test_libreoffice_sample_text_counts_as_the_style() -> None:
    sp = xml('<ROOT><p:txBody><a:bodyPr/><a:p><a:r><a:rPr sz="3200" b="1"/><a:t>Click to edit</a:t></a:r>'
             '<a:endParaRPr sz="1800"/></a:p></p:txBody></ROOT>')
    levels = sample_levels(sp, [LevelStyle() for _ in range(9)], scope())
    assert levels[0].size == 32.0 and levels[0].bold and levels[0].from_sample


def test_body_properties_merge_master_then_placeholder() -> None:
    master = xml('<ROOT><p:txBody><a:bodyPr lIns="0" anchor="ctr"><a:normAutofit/></a:bodyPr></p:txBody></ROOT>')
    own = xml('<ROOT><p:txBody><a:bodyPr anchor="b"><a:spAutoFit/></a:bodyPr></p:txBody></ROOT>')
    props = merged_body_pr(master, own)
    assert (props.anchor, props.autofit, props.insets.left, props.vertical) == ("b", "shape", 0, False)
