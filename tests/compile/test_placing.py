"""Box arithmetic shared by the layouter and the kinds' placers: unions, crops, fitted pictures, stacked columns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lecturegen.compile.placing import (
    GAP,
    MIN_DPI,
    below_title,
    fill_crop,
    fit_aspect,
    stack_above,
    two_sides,
    union,
)
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.template import Layout, Placeholder

INCH = EMU_PER_INCH


def test_union_is_the_smallest_box_holding_them_all() -> None:
    assert union([Box(10, 20, 30, 40), Box(0, 50, 5, 5)]) == Box(0, 20, 40, 40)
    assert union([Box(1, 2, 3, 4)]) == Box(1, 2, 3, 4)


@pytest.mark.parametrize(("width", "height", "expected"), [
    (400, 100, (0.25, 0.0, 0.25, 0.0)),  # twice as wide as a 2:1 box: a quarter off each side
    (100, 100, (0.0, 0.25, 0.0, 0.25)),  # square in a 2:1 box: a quarter off top and bottom
    (200, 100, (0.0, 0.0, 0.0, 0.0)),  # the box's own shape: nothing cut
])
def test_fill_crop_cuts_evenly_from_the_long_sides(width: int, height: int,
                                                   expected: tuple[float, float, float, float]) -> None:
    assert fill_crop(Box(0, 0, 2000, 1000), width, height) == pytest.approx(expected)


@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(1000, 10**7), st.integers(1000, 10**7))
def test_a_fill_crop_leaves_the_boxs_shape(width: int, height: int, cx: int, cy: int) -> None:
    left, top, right, bottom = fill_crop(Box(0, 0, cx, cy), width, height)
    assert 0 <= left < 0.5 and 0 <= top < 0.5 and left == right and top == bottom
    shown = (width * (1 - left - right)) / (height * (1 - top - bottom))
    assert shown == pytest.approx(cx / cy, rel=1e-6)


def test_fit_aspect_fills_the_area_keeping_the_pictures_shape() -> None:
    area = Box(0, 0, 8 * INCH, 4 * INCH)
    placed = fit_aspect(area, 3000, 3000)  # 3000 px across 4 in is 750 dpi: as large as the area allows
    assert placed == Box(2 * INCH, 0, 4 * INCH, 4 * INCH)


def test_fit_aspect_never_blows_a_small_picture_up_past_150_dpi() -> None:
    area = Box(0, 0, 8 * INCH, 4 * INCH)
    placed = fit_aspect(area, 120, 60)
    assert (placed.cx, placed.cy) == (int(120 * INCH / MIN_DPI), int(60 * INCH / MIN_DPI))
    assert placed.inside(area)
    assert placed == area.centred(placed.cx, placed.cy)


def ph(role: str, box: Box) -> Placeholder:
    return Placeholder(role=role, type="body", idx=1, box=box)


def test_a_subtitle_overlapping_the_title_starts_below_it() -> None:
    title = ph("title", Box(0, 0, 10 * INCH, 2 * INCH))
    subtitle = Box(0, 1 * INCH, 10 * INCH, 3 * INCH)
    moved = below_title(subtitle, title)
    assert moved.y == title.box.bottom + GAP // 4 and moved.bottom == subtitle.bottom and moved.x == subtitle.x


def test_a_subtitle_is_kept_when_clear_of_the_title_or_when_trimming_takes_too_much() -> None:
    title = ph("title", Box(0, 0, 10 * INCH, 2 * INCH))
    clear = Box(0, 2 * INCH, 10 * INCH, 3 * INCH)
    assert below_title(clear, title) == clear
    beside = Box(11 * INCH, INCH, 2 * INCH, 3 * INCH)
    assert below_title(beside, title) == beside
    mostly_covered = Box(0, 1 * INCH, 10 * INCH, int(1.5 * INCH))
    assert below_title(mostly_covered, title) == mostly_covered
    assert below_title(clear, None) == clear


def test_stack_above_shrinks_the_tallest_and_moves_the_ones_below_it_up() -> None:
    heading = Box(0, 0, 100, 100)
    body = Box(0, 100, 100, 500)
    note = Box(0, 600, 100, 100)
    out = stack_above([heading, body, note], 600)
    assert out == [heading, Box(0, 100, 100, 400), Box(0, 500, 100, 100)]
    assert max(b.bottom for b in out) == 600


def test_stack_above_keeps_a_column_that_already_ends_above_the_limit() -> None:
    boxes = [Box(0, 0, 100, 100), Box(0, 100, 100, 100)]
    assert stack_above(boxes, 500) == boxes
    assert stack_above([], 500) == []


def test_stack_above_keeps_the_callers_order_whatever_the_columns_order() -> None:
    body, heading = Box(0, 100, 100, 500), Box(0, 0, 100, 100)  # given bottom first
    assert stack_above([body, heading], 400) == [Box(0, 100, 100, 300), heading]


def layout(*placeholders: Placeholder) -> Layout:
    return Layout(name="Two", part="ppt/slideLayouts/slideLayout4.xml", placeholders=placeholders)


def test_two_sides_are_the_layouts_two_bodies() -> None:
    left, right = ph("body", Box(0, 0, 4 * INCH, 5 * INCH)), ph("body2", Box(5 * INCH, 0, 4 * INCH, 5 * INCH))
    assert two_sides(layout(left, right)) == (left, right)


def test_one_body_is_split_into_two_halves_with_a_gap() -> None:
    body = ph("body", Box(INCH, INCH, 10 * INCH, 5 * INCH))
    sides = two_sides(layout(body))
    assert sides is not None
    left, right = sides
    assert (left.role, right.role) == ("body", "body2")
    assert left.box.x == body.box.x and right.box.right == body.box.right
    assert left.box.cx == right.box.cx and right.box.x - left.box.right == body.box.cx - 2 * left.box.cx >= GAP - 1
    assert left.box.y == right.box.y == body.box.y and left.box.cy == right.box.cy == body.box.cy


def test_a_layout_without_a_body_has_no_sides() -> None:
    assert two_sides(layout(ph("title", Box(0, 0, INCH, INCH)))) is None
