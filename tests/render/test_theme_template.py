"""Render tests: the 16:9 template generated from a theme's design."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from lecturegen.model.template import TemplateDesign
from lecturegen.ooxml import NS
from lecturegen.render.theme_template import SLIDE_HEIGHT, SLIDE_WIDTH, generate_template
from lecturegen.sources.themes import DEFAULT_SIZES

A = f"{{{NS['a']}}}"
P = f"{{{NS['p']}}}"
COLORS = {"background": "FAFAFA", "text": "1F2933", "title": "0F4C5C", "accent": "0F766E", "accent2": "B45309",
          "muted": "5B6470", "band": "0F4C5C", "band_text": "FFFFFF", "link": "0B5CAD"}
DESIGN = TemplateDesign(title="Calm test", colors=COLORS,
                        palette=("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00"),
                        heading_font="Georgia", body_font="Verdana", sizes={**DEFAULT_SIZES, "title": 40.0})


@pytest.fixture(scope="module")
def package() -> dict[str, bytes]:
    data = generate_template(DESIGN)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _xml(package: dict[str, bytes], name: str) -> etree._Element:
    return etree.fromstring(package[name])


def test_the_slide_is_16_by_9(package: dict[str, bytes]) -> None:
    size = _xml(package, "ppt/presentation.xml").find(f"{P}sldSz")
    assert size is not None
    assert (int(size.get("cx", 0)), int(size.get("cy", 0))) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    assert SLIDE_WIDTH * 9 == SLIDE_HEIGHT * 16


def test_the_colour_scheme_and_fonts_are_the_themes(package: dict[str, bytes]) -> None:
    theme = _xml(package, "ppt/theme/theme1.xml")
    scheme = theme.find(f".//{A}clrScheme")
    assert scheme is not None and scheme.get("name") == "Calm test"
    slots = {etree.QName(slot).localname: slot.find(f"{A}srgbClr").get("val") for slot in scheme}
    assert slots["dk1"] == "1F2933" and slots["lt1"] == "FAFAFA" and slots["dk2"] == "0F4C5C"
    assert slots["accent1"] == "0F766E" and slots["accent2"] == "B45309"
    assert slots["accent3"] == "009E73" and slots["accent6"] == "D55E00"
    assert slots["hlink"] == slots["folHlink"] == "0B5CAD"
    assert theme.find(f".//{A}majorFont/{A}latin").get("typeface") == "Georgia"
    assert theme.find(f".//{A}minorFont/{A}latin").get("typeface") == "Verdana"


def test_the_master_sets_title_and_body_text_styles(package: dict[str, bytes]) -> None:
    master = _xml(package, "ppt/slideMasters/slideMaster1.xml")
    title = master.find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr")
    assert title is not None and title.get("algn") == "l"
    rpr = title.find(f"{A}defRPr")
    assert rpr is not None and rpr.get("sz") == "4000" and rpr.get("b") == "1"
    assert rpr.find(f".//{A}srgbClr").get("val") == "0F4C5C"
    body1 = master.find(f"{P}txStyles/{P}bodyStyle/{A}lvl1pPr")
    body2 = master.find(f"{P}txStyles/{P}bodyStyle/{A}lvl2pPr")
    assert body1 is not None and body2 is not None
    assert body1.find(f"{A}defRPr").get("sz") == str(int(DEFAULT_SIZES["body"] * 100))
    assert body2.find(f"{A}defRPr").get("sz") == str(int(DEFAULT_SIZES["level2"] * 100))
    assert body1.find(f"{A}buClr/{A}srgbClr").get("val") == "0F766E"
    assert int(body2.get("marL", 0)) > int(body1.get("marL", 0))


def test_no_shape_autofits_text_silently(package: dict[str, bytes]) -> None:
    for name, data in package.items():
        if name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/")) and name.endswith(".xml"):
            assert b"normAutofit" not in data, name


def test_every_shape_stays_on_the_wider_slide(package: dict[str, bytes]) -> None:
    for name, data in package.items():
        if not (name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/")) and name.endswith(".xml")):
            continue
        root = etree.fromstring(data)
        for xfrm in root.iter(f"{A}xfrm"):
            off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
            if off is None or ext is None:
                continue
            assert int(off.get("x", 0)) + int(ext.get("cx", 0)) <= SLIDE_WIDTH, name
            assert int(off.get("y", 0)) + int(ext.get("cy", 0)) <= SLIDE_HEIGHT, name

