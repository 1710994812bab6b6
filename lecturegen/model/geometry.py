"""Model layer: rectangles and insets in EMU, the unit every layer places shapes in."""

from __future__ import annotations

from lecturegen.records import record


EMU_PER_INCH = 914400
EMU_PER_PT = 12700


def pt(emu: int | float) -> float:
    return emu / EMU_PER_PT


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


@record
class Box:
    """A rectangle in EMU: left, top, width, height."""

    x: int
    y: int
    cx: int
    cy: int

    @property
    def right(self) -> int:
        return self.x + self.cx

    @property
    def bottom(self) -> int:
        return self.y + self.cy

    @property
    def width_pt(self) -> float:
        return self.cx / EMU_PER_PT

    @property
    def height_pt(self) -> float:
        return self.cy / EMU_PER_PT

    @property
    def area(self) -> int:
        return max(0, self.cx) * max(0, self.cy)

    def intersection(self, other: Box) -> Box | None:
        left, top = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Box(left, top, right - left, bottom - top)

    def overlaps(self, other: Box) -> bool:
        return self.intersection(other) is not None

    def inside(self, outer: Box, tolerance: int = 0) -> bool:
        return (self.x >= outer.x - tolerance and self.y >= outer.y - tolerance
                and self.right <= outer.right + tolerance and self.bottom <= outer.bottom + tolerance)

    def with_top(self, top: int) -> Box:
        """The same box with its top edge moved (its bottom stays)."""
        return Box(self.x, top, self.cx, max(0, self.bottom - top))

    def with_bottom(self, bottom: int) -> Box:
        return Box(self.x, self.y, self.cx, max(0, bottom - self.y))

    def with_left(self, left: int) -> Box:
        return Box(left, self.y, max(0, self.right - left), self.cy)

    def with_right(self, right: int) -> Box:
        return Box(self.x, self.y, max(0, right - self.x), self.cy)

    def shrunk(self, dx: int, dy: int) -> Box:
        return Box(self.x + dx, self.y + dy, max(0, self.cx - 2 * dx), max(0, self.cy - 2 * dy))

    def centred(self, cx: int, cy: int) -> Box:
        """A box of the given size centred in this one."""
        return Box(self.x + (self.cx - cx) // 2, self.y + (self.cy - cy) // 2, cx, cy)

    def avoiding(self, obstacle: Box) -> Box:
        """The largest part of this box left when the obstacle's side is cut away (logos, bands)."""
        if not self.overlaps(obstacle):
            return self
        candidates = [
            self.with_right(obstacle.x),      # keep what lies left of it
            self.with_left(obstacle.right),   # right of it
            self.with_bottom(obstacle.y),     # above it
            self.with_top(obstacle.bottom),   # below it
        ]
        return max(candidates, key=lambda b: (b.area, b.cx))


@record
class Insets:
    """A text frame's inner margins in EMU (PowerPoint's defaults: 0.1 in sides, 0.05 in top and bottom)."""

    left: int = 91440
    top: int = 45720
    right: int = 91440
    bottom: int = 45720

    def inner(self, box: Box) -> Box:
        return Box(box.x + self.left, box.y + self.top, max(0, box.cx - self.left - self.right),
                   max(0, box.cy - self.top - self.bottom))
