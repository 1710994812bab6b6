"""Source tests: DrawingML colours resolved as a viewer shows them (scheme, colour map, modifiers)."""

from __future__ import annotations

import pytest
from lxml import etree

from lecturegen.ooxml import NS
from lecturegen.sources.template_colour import ColourScope, is_hex

SCHEME = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "44546A", "accent1": "4472C4"}
MAP = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2"}


def _el(inner: str) -> etree._Element:
    return etree.fromstring(f'<a:solidFill xmlns:a="{NS["a"]}">{inner}</a:solidFill>')


def _resolve(inner: str, placeholder: str | None = None) -> tuple[str, float] | None:
    return ColourScope(SCHEME, MAP, placeholder).resolve(_el(inner))


def test_plain_rgb_and_presets() -> None:
    assert _resolve('<a:srgbClr val="1f4e79"/>') == ("1F4E79", 1.0)
    assert _resolve('<a:prstClr val="teal"/>') == ("008080", 1.0)
    assert _resolve('<a:prstClr val="chartreuse"/>') is None
    assert _resolve('<a:srgbClr val="nothex"/>') is None


def test_scheme_colours_go_through_the_colour_map() -> None:
    assert _resolve('<a:schemeClr val="tx1"/>') == ("000000", 1.0)
    assert _resolve('<a:schemeClr val="bg1"/>') == ("FFFFFF", 1.0)
    assert _resolve('<a:schemeClr val="accent1"/>') == ("4472C4", 1.0)  # not in the map: the slot itself
    assert _resolve('<a:schemeClr val="accent6"/>') is None


def test_the_placeholder_colour_stands_for_phclr() -> None:
    assert _resolve('<a:schemeClr val="phClr"/>') is None
    scope = ColourScope(SCHEME, MAP).with_placeholder("AA0000")
    assert scope.hex(_el('<a:schemeClr val="phClr"/>')) == "AA0000"


def test_black_with_lum_mod_and_off_is_grey() -> None:
    assert _resolve('<a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr>') \
        == ("595959", 1.0)
    assert _resolve('<a:srgbClr val="FFFFFF"><a:lumMod val="50000"/></a:srgbClr>') == ("808080", 1.0)


def test_tint_shade_inversion_and_grey() -> None:
    assert _resolve('<a:srgbClr val="000000"><a:tint val="0"/></a:srgbClr>') == ("FFFFFF", 1.0)
    assert _resolve('<a:srgbClr val="FFFFFF"><a:shade val="0"/></a:srgbClr>') == ("000000", 1.0)
    assert _resolve('<a:srgbClr val="FF0000"><a:inv/></a:srgbClr>') == ("00FFFF", 1.0)
    assert _resolve('<a:srgbClr val="FF0000"><a:gray/></a:srgbClr>') == ("4C4C4C", 1.0)


def test_alpha_and_alpha_mod_give_opacity() -> None:
    assert _resolve('<a:srgbClr val="000000"><a:alpha val="60000"/></a:srgbClr>') == ("000000", pytest.approx(0.6))
    assert _resolve('<a:srgbClr val="000000"><a:alpha val="60000"/><a:alphaMod val="50000"/></a:srgbClr>') \
        == ("000000", pytest.approx(0.3))


def test_system_hsl_and_scrgb_colours() -> None:
    assert _resolve('<a:sysClr val="windowText" lastClr="1A1A1A"/>') == ("1A1A1A", 1.0)
    assert _resolve('<a:sysClr val="window"/>') == ("FFFFFF", 1.0)
    assert _resolve('<a:hslClr hue="0" sat="100000" lum="50000"/>') == ("FF0000", 1.0)
    assert _resolve('<a:scrgbClr r="100000" g="0" b="0"/>') == ("FF0000", 1.0)


def test_no_colour_element_resolves_to_nothing() -> None:
    scope = ColourScope(SCHEME, MAP)
    assert scope.resolve(None) is None
    assert scope.resolve(_el("<a:noFill/>")) is None
    assert scope.hex(_el("")) is None


def test_is_hex_wants_six_upper_case_digits() -> None:
    assert is_hex("1F4E79")
    assert not is_hex("1f4e79") and not is_hex("1F4E7") and not is_hex("#1F4E7")
