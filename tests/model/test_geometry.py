"""Model tests: boxes and insets in EMU — edges, intersections, trimming and avoiding obstacles."""

from __future__ import annotations

import pytest

from lecturegen.model.geometry import EMU_PER_INCH, EMU_PER_PT, Box, Insets, emu, pt


def test_points_and_emu_convert_both_ways() -> None:
    assert EMU_PER_INCH == 72 * EMU_PER_PT
    assert pt(12700) == 1.0
    assert emu(1.5) == 19050
    assert emu(pt(123457)) == 123457
    assert emu(0.00001) == 0


def test_edges_sizes_and_area() -> None:
    box = Box(10, 20, 127000, 254000)
    assert (box.right, box.bottom) == (127010, 254020)
    assert (box.width_pt, box.height_pt) == (10.0, 20.0)
    assert box.area == 127000 * 254000
    assert Box(0, 0, -5, 10).area == 0


def test_intersection_and_overlap() -> None:
    a, b = Box(0, 0, 100, 100), Box(50, 60, 100, 100)
    assert a.intersection(b) == Box(50, 60, 50, 40)
    assert a.overlaps(b) and b.overlaps(a)
    touching = Box(100, 0, 10, 10)
    assert a.intersection(touching) is None and not a.overlaps(touching)


def test_inside_with_and_without_tolerance() -> None:
    outer = Box(0, 0, 100, 100)
    assert Box(10, 10, 90, 90).inside(outer)
    assert not Box(10, 10, 91, 90).inside(outer)
    assert Box(10, 10, 91, 90).inside(outer, tolerance=1)
    assert not Box(-2, 0, 10, 10).inside(outer, tolerance=1)


def test_moving_one_edge_keeps_the_others_and_never_goes_negative() -> None:
    box = Box(10, 10, 100, 100)
    assert box.with_top(30) == Box(10, 30, 100, 80)
    assert box.with_bottom(50) == Box(10, 10, 100, 40)
    assert box.with_left(60) == Box(60, 10, 50, 100)
    assert box.with_right(30) == Box(10, 10, 20, 100)
    assert box.with_bottom(0).cy == 0 and box.with_left(500).cx == 0


def test_shrunk_and_centred() -> None:
    box = Box(0, 0, 100, 60)
    assert box.shrunk(10, 5) == Box(10, 5, 80, 50)
    assert box.shrunk(60, 40) == Box(60, 40, 0, 0)
    assert box.centred(40, 20) == Box(30, 20, 40, 20)


def test_avoiding_keeps_the_largest_part_left_by_the_obstacle() -> None:
    box = Box(0, 0, 1000, 600)
    logo = Box(900, 0, 100, 100)  # top-right corner
    assert box.avoiding(logo) == Box(0, 0, 900, 600)  # left of it: 540,000 beats below it: 500,000
    band = Box(0, 500, 1000, 100)  # along the bottom
    assert box.avoiding(band) == Box(0, 0, 1000, 500)
    far = Box(2000, 2000, 10, 10)
    assert box.avoiding(far) is box


@pytest.mark.parametrize(("insets", "expected"), [
    (Insets(), Box(91440, 45720, 1000000 - 182880, 500000 - 91440)),
    (Insets(10, 20, 30, 40), Box(10, 20, 999960, 499940)),
    (Insets(600000, 0, 600000, 0), Box(600000, 0, 0, 500000)),
])
def test_insets_give_the_inner_frame(insets: Insets, expected: Box) -> None:
    assert insets.inner(Box(0, 0, 1000000, 500000)) == expected
