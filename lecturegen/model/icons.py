"""Model layer: an icon as drawn geometry — paths of moves, lines and cubic Béziers in the icon's own square.

Lucide icons are 24 × 24 stroke drawings; `sources/icons.py` reads one into an `Icon`, with arcs, quadratic
curves and the basic shapes (circle, rect, ellipse …) already turned into cubic Béziers, so that a renderer
only translates: `<a:moveTo>`, `<a:lnTo>`, `<a:cubicBezTo>`, `<a:close>`.
"""

from __future__ import annotations

from lecturegen.records import record

Point = tuple[float, float]

ICON_SET = "Lucide"
ICON_LICENCE = "ISC licence"


@record
class PathStep:
    """One step of a path: `op` M (move), L (line), C (cubic Bézier: two control points and the end), Z
    (close); `points` in the icon's units (0–size, y down)."""

    op: str
    points: tuple[Point, ...] = ()


@record
class IconPath:
    """One subpath group as the SVG element drew it; `filled`: painted in the line colour (a dot), not stroked."""

    steps: tuple[PathStep, ...]
    filled: bool = False


@record
class Icon:
    """A named icon: its paths in a `size` × `size` square and the width of its strokes in the same units."""

    name: str
    paths: tuple[IconPath, ...]
    size: float = 24.0
    stroke: float = 2.0

    def describe(self) -> str:
        """How alt text names it: 'Icon: heart'."""
        return f"Icon: {self.name.replace('-', ' ')}"
