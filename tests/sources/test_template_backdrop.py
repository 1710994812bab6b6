"""Source tests: what a master and layout draw behind a slide, drawn as a small picture of colours."""

from __future__ import annotations

import pytest

from lecturegen.model.backdrop import colours_under
from lecturegen.model.geometry import Box
from lecturegen.model.template import Layout, Template
from lecturegen.sources.template import read_template
from lecturegen.sources.template_backdrop import COLUMNS
from tests.sources.test_template import MASTER, add_to_master, package, template_parts

LAYOUT2 = "ppt/slideLayouts/slideLayout2.xml"
DEFAULT_BG = b'<p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>'


def _solid_bg(colour: str) -> bytes:
    return (f'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:effectLst/></p:bgPr>'
            f'</p:bg>').encode()


def _rect(x: int, y: int, cx: int, cy: int, colour: str) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="77" name="Band"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>'
            f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'</p:spPr></p:sp>')


def _template(parts: dict[str, bytes], name: str) -> Template:
    return read_template(package(parts), name)


def _content(template: Template) -> Layout:
    layout = template.roles["content"]
    assert layout.backdrop is not None
    return layout


def _under(template: Template, box: Box) -> set[tuple[int, int, int]]:
    backdrop = _content(template).backdrop
    assert backdrop is not None
    return set(colours_under(backdrop, box, template.width, template.height))


def test_a_plain_white_template_draws_white_cells_in_the_slides_shape() -> None:
    template = _template(template_parts(), "plain.pptx")
    backdrop = _content(template).backdrop
    assert backdrop is not None
    assert backdrop.columns == COLUMNS
    assert backdrop.rows == round(COLUMNS * template.height / template.width)
    assert backdrop.mean == "FFFFFF" and backdrop.picture is False
    assert _under(template, Box(0, 0, template.width, template.height)) == {(255, 255, 255)}


def test_a_solid_master_background_colours_every_layout() -> None:
    parts = template_parts()
    parts[MASTER] = parts[MASTER].replace(DEFAULT_BG, _solid_bg("102030"))
    template = _template(parts, "dark.pptx")
    for layout in template.layouts.values():
        assert layout.backdrop is not None and layout.backdrop.mean == "102030", layout.name


def test_a_band_on_the_master_shows_where_it_lies() -> None:
    parts = template_parts()
    width, height = 9144000, 6858000
    add_to_master(parts, _rect(0, 0, width // 2, height, "CC0000"))
    template = _template(parts, "band.pptx")
    assert (template.width, template.height) == (width, height)
    assert _under(template, Box(0, 0, width // 4, height)) == {(204, 0, 0)}
    assert _under(template, Box(3 * width // 4, 0, width // 4, height)) == {(255, 255, 255)}
    backdrop = _content(template).backdrop
    assert backdrop is not None and backdrop.mean not in ("FFFFFF", "CC0000")


def test_a_layout_that_hides_master_shapes_does_not_draw_them() -> None:
    parts = template_parts()
    add_to_master(parts, _rect(0, 0, 9144000, 6858000, "00AA00"))
    parts[LAYOUT2] = parts[LAYOUT2].replace(b'type="obj" preserve="1"', b'type="obj" preserve="1" showMasterSp="0"')
    template = _template(parts, "hidden.pptx")
    by_part = {layout.part: layout for layout in template.layouts.values()}
    shown = by_part["ppt/slideLayouts/slideLayout1.xml"].backdrop
    hidden = by_part[LAYOUT2].backdrop
    assert shown is not None and hidden is not None
    assert shown.mean == "00AA00"
    assert hidden.mean == "FFFFFF"


@pytest.mark.parametrize(("fill", "expected"), [
    ('<a:schemeClr val="accent1"/>', "4F81BD"),
    ('<a:srgbClr val="000000"><a:alpha val="0"/></a:srgbClr>', "FFFFFF"),
])
def test_fills_resolve_through_the_scheme_and_opacity(fill: str, expected: str) -> None:
    parts = template_parts()
    band = _rect(0, 0, 9144000, 6858000, "000000").replace('<a:srgbClr val="000000"/>', fill)
    add_to_master(parts, band)
    template = _template(parts, f"fill-{expected}.pptx")
    backdrop = _content(template).backdrop
    assert backdrop is not None and backdrop.mean == expected
