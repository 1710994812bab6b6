"""Compile layer: box arithmetic shared by the layouter and the slide kinds' placers (pure)."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.model.geometry import EMU_PER_INCH, Box, Insets
from lecturegen.model.template import Layout, Placeholder

# The caption line and text boxes lecturegen adds: PowerPoint's own text-box insets.
BOX_INSETS = Insets(91440, 45720, 91440, 45720)
TITLE_STEP = 2.0  # a title too long for its box is set this many points smaller at a time
GAP = int(0.08 * EMU_PER_INCH)  # between a content shape and the caption line under it
MIN_DPI = 150  # a picture shown at less than this looks blurred when projected
OPTICAL_CENTRE = 0.4  # the share of the spare room above short text: a little above the middle
# Text is wrapped in a slightly narrower frame than it gets: PowerPoint, LibreOffice and checkers disagree by
# a point or two on where a line that just fits breaks, and a line that just fits must fit in all of them.
WRAP_SAFETY = 0.985


def union(boxes: list[Box]) -> Box:
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Box(left, top, right - left, bottom - top)


def fill_crop(box: Box, width_px: int, height_px: int) -> tuple[float, float, float, float]:
    """How much to cut from each side so the picture fills the box without distortion."""
    box_ratio = box.cx / max(1, box.cy)
    ratio = width_px / max(1, height_px)
    if ratio > box_ratio:  # wider than the box: cut the sides
        cut = (1 - box_ratio / ratio) / 2
        return (cut, 0.0, cut, 0.0)
    cut = (1 - ratio / box_ratio) / 2
    return (0.0, cut, 0.0, cut)


def fit_aspect(area: Box, width_px: int, height_px: int) -> Box:
    """As large as the area allows, keeping the picture's shape, but never past 150 dpi: a small picture (a
    120-pixel logo) stays small and sharp rather than blown up across the slide."""
    ratio = min(area.cx / max(1, width_px), area.cy / max(1, height_px), EMU_PER_INCH / MIN_DPI)
    return area.centred(int(width_px * ratio), int(height_px * ratio))


def below_title(box: Box, title: Placeholder | None) -> Box:
    """A subtitle box that starts where the layout's title box ends. Some templates overlap the two (a title
    set on the bottom of its box, a subtitle on the top of its own): both texts would meet. Kept as it is when
    trimming would take more than half of it."""
    if title is None:
        return box
    t = title.box
    if not (t.x < box.right and t.right > box.x and t.y < box.y < t.bottom):
        return box
    top = t.bottom + GAP // 4
    if box.bottom - top < box.cy // 2:
        return box
    return Box(box.x, top, box.cx, box.bottom - top)


def stack_above(boxes: list[Box], limit: int) -> list[Box]:
    """A column of boxes (a heading and its body, in either order) compressed to end above `limit`:
    the tallest gives up the room, the ones below it move up, so each keeps its place in the column."""
    if not boxes:
        return boxes
    order = sorted(range(len(boxes)), key=lambda i: boxes[i].y)
    overflow = max(b.bottom for b in boxes) - limit
    if overflow <= 0:
        return boxes
    tallest = max(order, key=lambda i: boxes[i].cy)
    out = list(boxes)
    below = False
    for i in order:
        box = boxes[i]
        if i == tallest:
            out[i] = Box(box.x, box.y, box.cx, max(0, box.cy - overflow))
            below = True
        elif below:
            out[i] = Box(box.x, box.y - overflow, box.cx, box.cy)
        elif box.bottom > limit:
            out[i] = box.with_bottom(limit)
    return out


def two_sides(layout: Layout) -> tuple[Placeholder, Placeholder] | None:
    """The layout's left and right content boxes; a layout with one content placeholder gives two halves
    of it, and one with none gives None."""
    left, right = layout.get("body"), layout.get("body2")
    if left is None:
        return None
    if right is None:
        half = left.box.cx // 2 - GAP // 2
        right = replace(left, role="body2", box=Box(left.box.right - half, left.box.y, half, left.box.cy))
        left = replace(left, box=Box(left.box.x, left.box.y, half, left.box.cy))
    return left, right
