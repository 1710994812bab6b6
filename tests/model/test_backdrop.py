"""Reading a backdrop: the colours under a box and how well a text colour reads on them."""

from __future__ import annotations

import zlib

from lecturegen.model.backdrop import colours_under, contrast_share, mean_under, readable_colour, worst_contrast
from lecturegen.model.geometry import Box
from lecturegen.model.template import Backdrop

WIDTH, HEIGHT = 10_000, 5_000


def half_dark() -> Backdrop:
    """Four columns by two rows: the left half white, the right half black."""
    row = bytes([255, 255, 255] * 2 + [0, 0, 0] * 2)
    return Backdrop(columns=4, rows=2, luminance=zlib.compress(row * 2), mean="808080")


def test_cells_under_a_box_follow_its_position() -> None:
    backdrop = half_dark()
    assert set(colours_under(backdrop, Box(0, 0, 4_000, 5_000), WIDTH, HEIGHT)) == {(255, 255, 255)}
    assert set(colours_under(backdrop, Box(6_000, 0, 4_000, 5_000), WIDTH, HEIGHT)) == {(0, 0, 0)}
    assert mean_under(backdrop, Box(0, 0, WIDTH, HEIGHT), WIDTH, HEIGHT) in ("808080", "7F7F7F", "808080")


def test_contrast_is_judged_on_what_lies_under_the_box() -> None:
    backdrop = half_dark()
    left, right, across = Box(0, 0, 4_000, 5_000), Box(6_000, 0, 4_000, 5_000), Box(0, 0, WIDTH, HEIGHT)
    assert worst_contrast("000000", backdrop, left, WIDTH, HEIGHT) == 21.0
    assert worst_contrast("000000", backdrop, right, WIDTH, HEIGHT) == 1.0
    assert contrast_share("000000", backdrop, across, WIDTH, HEIGHT, 4.5) == 0.5


def test_readable_colour_takes_the_first_that_reads_else_none_reads() -> None:
    backdrop = half_dark()
    assert readable_colour(("000000", "FFFFFF"), backdrop, Box(6_000, 0, 4_000, 5_000), WIDTH, HEIGHT, 4.5) == \
        ("FFFFFF", True)
    colour, reads = readable_colour(("000000", "FFFFFF"), backdrop, Box(0, 0, WIDTH, HEIGHT), WIDTH, HEIGHT, 4.5)
    assert not reads
