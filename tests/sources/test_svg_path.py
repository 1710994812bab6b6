"""Load tests: SVG path data and basic shapes → absolute moves, lines and cubic Béziers on the same outline."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lecturegen.model.icons import PathStep, Point
from lecturegen.sources.svg_path import PathError, arc_steps, ellipse_steps, parse_path, rect_steps


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


def test_numbers_in_every_form_svg_allows() -> None:
    steps = parse_path("M1e1,-2.5E0L.5.5-1-1+3,4")  # exponents, commas, ".5.5" as two numbers, explicit signs
    assert [s.points[0] for s in steps] == [(10, -2.5), (0.5, 0.5), (-1, -1), (3, 4)]


def test_a_close_returns_the_pen_to_the_start_of_its_subpath() -> None:
    steps = parse_path("M10 10l5 0 0 5zl1 1")
    assert [s.op for s in steps] == ["M", "L", "L", "Z", "L"]
    assert steps[-1].points == ((11, 11),)  # relative to (10, 10), where the subpath began


def test_a_relative_path_and_its_absolute_twin_are_the_same_steps() -> None:
    relative = parse_path("m2 2 c1 0 2 1 2 2 s-1 2-2 2 q-1 0-1-1 t1-1 h3 v-2 a1 1 0 0 1 1 1 z")
    absolute = parse_path("M2 2 C3 2 4 3 4 4 S3 6 2 6 Q1 6 1 5 T2 4 H5 V2 A1 1 0 0 1 6 3 Z")
    assert len(relative) == len(absolute)
    for r, a in zip(relative, absolute):
        assert r.op == a.op and [c for point in r.points for c in point] == pytest.approx(
            [c for point in a.points for c in point])


@pytest.mark.parametrize("bad", ["M0 0 L1", "0 0 L1 1", "M0 0 X1 1", "M0 0 A1 1 0 2 1 3 3", "M"])
def test_path_data_off_the_grammar_is_refused(bad: str) -> None:
    with pytest.raises(PathError):
        parse_path(bad)


def test_a_rect_without_corner_radius_is_four_lines_closed() -> None:
    steps = rect_steps(1, 2, 3, 4)
    assert [s.op for s in steps] == ["M", "L", "L", "L", "Z"]
    assert [s.points[0] for s in steps if s.points] == [(1, 2), (4, 2), (4, 6), (1, 6)]


def test_an_ellipse_keeps_to_its_two_radii() -> None:
    steps = ellipse_steps(5, 5, 4, 2)
    for x, y in _trace(steps, steps[0].points[0]):
        assert ((x - 5) / 4) ** 2 + ((y - 5) / 2) ** 2 == pytest.approx(1, rel=0.001)


@given(st.floats(0.5, 50), st.floats(0.5, 50), st.floats(0, 360), st.booleans(), st.booleans(),
       st.tuples(st.floats(-40, 40), st.floats(-40, 40)))
def test_every_arc_ends_exactly_where_it_was_asked_to(rx: float, ry: float, rotation: float, large: bool,
                                                      sweep: bool, end: Point) -> None:
    assume(math.hypot(*end) > 1e-6)  # ends a hair apart: see the test below
    steps = arc_steps((0.0, 0.0), rx, ry, rotation, large, sweep, end)
    assert steps and steps[-1].points[-1] == pytest.approx(end, abs=1e-9)
    assert all(s.op == "C" for s in steps) and len(steps) <= 4  # one cubic per quarter turn at most


def test_an_arc_between_ends_a_hair_apart_is_drawn_not_a_crash() -> None:
    steps = parse_path("M0 0A1 1 0 0 0 1e-200 0")
    assert steps[-1].points[-1] == pytest.approx((1e-200, 0))
