"""Load tests: Lucide icons by name → geometry (SVG paths, arcs and basic shapes as cubics), and the errors."""

from __future__ import annotations

import math
import textwrap

import pytest

from lecturegen.diagnostics import Diagnostics
from lecturegen.model.icons import Icon, PathStep, Point
from lecturegen.sources.icons import UnknownIcon, field_icon, icon_names, load_icon, parse_svg
from lecturegen.sources.svg_path import PathError, arc_steps, ellipse_steps, parse_path, rect_steps
from lecturegen.sources.yamlload import Ctx, Fields, compose_yaml


def test_every_icon_of_the_set_parses() -> None:
    names = icon_names()
    assert len(names) > 1500
    for name in sorted(names):
        icon = load_icon(name)
        assert icon.paths and icon.size == 24 and icon.stroke == 2, name
        for path in icon.paths:
            assert path.steps[0].op == "M", name


def test_an_icon_is_its_svg_elements_in_order_with_filled_dots_marked() -> None:
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" stroke-width="2">
      <path d="M2 2h20"/><circle cx="12" cy="12" r="1" fill="currentColor"/><line x1="0" y1="0" x2="4" y2="4"/>
      <polyline points="1 1 2 2 3 1"/><polygon points="1,1 2,2 3,1"/><ellipse cx="5" cy="5" rx="2" ry="1"/>
      <rect x="1" y="1" width="4" height="4"/></svg>"""
    icon = parse_svg("test", svg)
    assert [p.filled for p in icon.paths] == [False, True, False, False, False, False, False]
    assert [len(p.steps) for p in icon.paths] == [2, 6, 2, 3, 4, 6, 5]
    assert load_icon("heart") is load_icon("heart")  # parsed once
    assert isinstance(load_icon("heart"), Icon) and load_icon("heart").describe() == "Icon: heart"


def _field(text: str) -> tuple[Icon | None, list[str]]:
    diags = Diagnostics()
    node = compose_yaml(textwrap.dedent(text), "s.yaml", diags)
    assert node is not None
    icon = field_icon(Fields(node, Ctx("s.yaml", diags), {"kind", "icon"}, "slide"))
    return icon, [d.render() for d in diags.items]


def test_an_unknown_name_is_a_located_error_with_the_nearest_name() -> None:
    icon, problems = _field("kind: statement\nicon: hart\n")
    assert icon is None
    assert problems == ["s.yaml:2:7: error: unknown icon 'hart' (did you mean 'heart'?) [icon.unknown]"]
    with pytest.raises(UnknownIcon):
        load_icon("no-such-icon-at-all")


def test_a_name_that_is_not_text_is_a_located_error() -> None:
    icon, problems = _field("kind: statement\nicon: [heart]\n")
    assert icon is None and len(problems) == 1
    assert problems[0].startswith("s.yaml:2:7: error: 'icon' must be an icon's name, got a list")
    icon, problems = _field("kind: statement\nicon: sprout\n")
    assert problems == [] and icon is not None and icon.name == "sprout"
