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


def _cubic(p0: Point, step: PathStep, t: float) -> Point:
    (x1, y1), (x2, y2), (x3, y3) = step.points
    u = 1 - t
    return (u ** 3 * p0[0] + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
            u ** 3 * p0[1] + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3)


def _trace(steps: tuple[PathStep, ...] | list[PathStep], start: Point, samples: int = 9) -> list[Point]:
    """Points along the steps (cubics sampled), from `start`."""
    pen, out = start, []
    for step in steps:
        if step.op == "C":
            out += [_cubic(pen, step, i / samples) for i in range(samples + 1)]
        if step.points:
            pen = step.points[-1]
    return out


def test_lines_moves_and_closes_relative_and_absolute_with_implicit_repeats() -> None:
    steps = parse_path("M2 3h4v5H1V0l1 1 2 2zm1 1 2 0")
    assert [s.op for s in steps] == ["M", "L", "L", "L", "L", "L", "L", "Z", "M", "L"]
    assert [s.points[0] for s in steps if s.points] == [(2, 3), (6, 3), (6, 8), (1, 8), (1, 0), (2, 1), (4, 3),
                                                      (3, 4), (5, 4)]


def test_a_quadratic_is_raised_to_the_same_curve_and_t_reflects_its_control() -> None:
    steps = parse_path("M0 0Q6 12 12 0T24 0")
    assert [s.op for s in steps] == ["M", "C", "C"]
    # A quadratic's midpoint is (p0 + 2 q + p2) / 4.
    assert _cubic((0, 0), steps[1], 0.5) == pytest.approx((6, 6))
    assert _cubic((12, 0), steps[2], 0.5) == pytest.approx((18, -6))  # control reflected to (18, -12)


def test_s_reflects_the_previous_cubic_control_point() -> None:
    steps = parse_path("M0 0C0 4 4 4 4 0s4-4 4 0")
    assert steps[2].points[0] == pytest.approx((4, -4))


def test_an_arc_becomes_cubics_on_its_circle_ending_exactly_at_its_end() -> None:
    steps = arc_steps((0, 12), 12, 12, 0, False, True, (24, 12))  # the upper half of a circle at (12, 12)
    assert len(steps) == 2 and steps[-1].points[-1] == (24, 12)
    for x, y in _trace(steps, (0, 12)):
        assert math.hypot(x - 12, y - 12) == pytest.approx(12, abs=0.005)
        assert y <= 12 + 1e-9  # sweep 1 from the left goes clockwise on screen: over the top


def test_arc_flags_written_without_separators_and_radii_too_small_are_scaled_up() -> None:
    steps = parse_path("M4 10a.4.4 0 011 0")  # minified: radii .4 and .4, large 0, sweep 1, then "1 0"
    assert steps[-1].points[-1] == pytest.approx((5, 10))
    for x, y in _trace(steps[1:], (4, 10)):
        assert math.hypot(x - 4.5, y - 10) == pytest.approx(0.5, abs=0.001)


def test_a_large_rotated_elliptical_arc_keeps_to_its_ellipse() -> None:
    start, end = (2.0, 12.0), (12.0, 2.0)
    steps = arc_steps(start, 12, 9, 30, True, False, end)
    assert len(steps) >= 3 and steps[-1].points[-1] == end  # more than half way round: three quarters or more
    phi = math.radians(30)

    def unit(p: Point) -> Point:  # into the frame where the ellipse is a unit circle
        u, v = math.cos(phi) * p[0] + math.sin(phi) * p[1], -math.sin(phi) * p[0] + math.cos(phi) * p[1]
        return (u / 12, v / 9)

    a, b = unit(start), unit(end)
    mid, half = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), math.dist(a, b) / 2
    normal = ((a[1] - b[1]) / (2 * half), (b[0] - a[0]) / (2 * half))
    reach = math.sqrt(1 - half * half)
    centres = [(mid[0] + k * reach * normal[0], mid[1] + k * reach * normal[1]) for k in (1, -1)]
    traced = [unit(p) for p in _trace(steps, start)]
    on = [max(abs(math.dist(p, c) - 1) for p in traced) for c in centres]
    assert min(on) < 0.002  # every point on the ellipse through both ends, with the given radii and rotation


def test_a_zero_radius_arc_is_a_line_and_a_closed_arc_is_nothing() -> None:
    assert arc_steps((0, 0), 0, 5, 0, False, True, (3, 4)) == [PathStep("L", ((3, 4),))]
    assert arc_steps((3, 4), 5, 5, 0, False, True, (3, 4)) == []


def test_bad_path_data_is_refused() -> None:
    with pytest.raises(PathError):
        parse_path("M0 0 L1")
    with pytest.raises(PathError):
        parse_path("0 0 L1 1")


def test_circles_and_rounded_rects_are_closed_cubics_on_their_outline() -> None:
    circle = ellipse_steps(12, 12, 10, 10)
    assert [s.op for s in circle] == ["M", "C", "C", "C", "C", "Z"]
    for x, y in _trace(circle, circle[0].points[0]):
        assert math.hypot(x - 12, y - 12) == pytest.approx(10, rel=0.0003)
    rect = rect_steps(2, 3, 20, 10, rx=2)
    assert [s.op for s in rect].count("C") == 4 and rect[0].points[0] == (4, 3)
    assert rect_steps(0, 0, 4, 4, rx=9)[0].points[0] == (2, 0)  # a radius past half the side is clamped


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
