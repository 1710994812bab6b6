"""Render layer: a diagram's placed shapes laid out once for paper (in points), painted by reportlab or Pillow.

The slide's diagram is a group of native shapes (`model/shapes.py`: rounded boxes, circles, arrows with their
text) in slide EMU. `plan_diagram` scales it to the handout's frame and sets its text with the handout's
embedded fonts, wrapped to each shape's text rectangle; render/handout_diagram_paint.py paints the plan as
vector graphics on a reportlab canvas and as a PNG (for the DOCX), so both formats show one drawing.
"""

from __future__ import annotations

import math
from typing import Union

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics

from lecturegen.model.geometry import EMU_PER_PT, Box
from lecturegen.model.icons import IconPath
from lecturegen.model.shapes import AutoShape, ConnectorShape, GroupShape, IconShape, TextLine, text_box
from lecturegen.records import record
from lecturegen.render.handout_fonts import bold_face, italic_face
from lecturegen.model.text import runs_text

PADDING_PT = 8.0  # round the drawing, inside its panel
LARGEST_PRINTED_PT = 12.5  # the diagram's largest type on paper: slides set it up to 28 pt for the back row
LINE_HEIGHT = 1.18  # a line's height as a multiple of its type size
ASCENT = 0.8  # where the baseline sits in a line's type size


@record
class Area:
    """A filled or outlined shape: rect, roundRect or ellipse, in points from the plan's top left."""

    geometry: str
    x: float
    y: float
    w: float
    h: float
    fill: str | None
    alpha: float = 1.0
    outline: str | None = None
    outline_pt: float = 0.0


@record
class Stroke:
    """A straight line; an arrowhead is a separate `Head`, and the line stops where the head begins."""

    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float


@record
class Head:
    """An arrowhead: a filled triangle."""

    points: tuple[tuple[float, float], ...]
    colour: str


@record
class Words:
    """One line of text at its anchor point (left, centre or right of the baseline); `rotated`: reads upwards."""

    x: float
    y: float
    text: str
    font: str
    size: float
    colour: str
    align: str = "l"  # l | ctr | r
    rotated: bool = False


@record
class Glyph:
    """An icon's strokes as polylines in points (curves flattened finely enough for print); `filled` paths
    (a dot) are painted, not stroked."""

    lines: tuple[tuple[tuple[float, float], ...], ...]
    filled: tuple[bool, ...]
    colour: str
    width: float


Mark = Union[Area, Stroke, Head, Words, Glyph]


@record
class DiagramPlan:
    """The whole drawing in points, marks in painting order; `panel` is the slide's background behind it, if
    the diagram's colours were chosen for a background that paper does not have."""

    width: float
    height: float
    marks: tuple[Mark, ...]
    panel: str | None = None


def _near_white(colour: str) -> bool:
    value = colour.lstrip("#")
    return len(value) == 6 and all(int(value[i:i + 2], 16) >= 0xF0 for i in (0, 2, 4))


@record
class _Frame:
    """Slide EMU → plan points."""

    origin_x: int
    origin_y: int
    scale: float  # points per EMU
    pad: float

    def x(self, emu: int) -> float:
        return (emu - self.origin_x) * self.scale + self.pad

    def y(self, emu: int) -> float:
        return (emu - self.origin_y) * self.scale + self.pad

    def size(self, points: float) -> float:
        return points * self.scale * EMU_PER_PT


def plan_diagram(group: GroupShape, width_pt: float, max_height_pt: float, fonts: tuple[str, str],
                 background: str = "FFFFFF") -> DiagramPlan:
    """The group drawn at most `width_pt` wide and `max_height_pt` high, in the (body, heading) fonts."""
    box = group.box
    room_w, room_h = width_pt - 2 * PADDING_PT, max_height_pt - 2 * PADDING_PT
    largest = max((line.size for c in group.children if isinstance(c, AutoShape) for line in c.lines), default=0.0)
    scale = min(room_w / max(1, box.cx), room_h / max(1, box.cy),
                LARGEST_PRINTED_PT / largest / EMU_PER_PT if largest else math.inf)
    frame = _Frame(box.x, box.y, scale, PADDING_PT)
    marks: list[Mark] = []
    for child in group.children:
        if isinstance(child, AutoShape):
            marks += _shape(child, frame, fonts)
        elif isinstance(child, IconShape):
            marks.append(_glyph(child, frame))
        else:
            marks += _connector(child, frame)
    height = box.cy * scale + 2 * PADDING_PT
    panel = None if _near_white(background) else background.lstrip("#").upper()
    return DiagramPlan(round(box.cx * scale + 2 * PADDING_PT, 2), round(height, 2), tuple(marks), panel)


def _shape(shape: AutoShape, frame: _Frame, fonts: tuple[str, str]) -> list[Mark]:
    b = shape.box
    out: list[Mark] = []
    if shape.fill is not None or shape.outline is not None:
        out.append(Area(shape.geometry, frame.x(b.x), frame.y(b.y), b.cx * frame.scale, b.cy * frame.scale,
                        shape.fill, shape.alpha, shape.outline, frame.size(shape.outline_pt)))
    if shape.lines:
        inner = shape.insets.inner(text_box(b, shape.geometry))
        family = fonts[1] if shape.font == "heading" else fonts[0]
        out += _text(shape, inner, frame, family)
    return out


def _face(family: str, line: TextLine) -> str:
    bold = line.bold or all(r.bold for r in line.runs)
    italic = line.italic or all(r.italic for r in line.runs)
    if bold:
        return bold_face(family)
    return italic_face(family) if italic else family


def _text(shape: AutoShape, inner: Box, frame: _Frame, family: str) -> list[Mark]:
    """The shape's lines wrapped to its text rectangle and placed by its anchor (top, middle or bottom)."""
    x, y = frame.x(inner.x), frame.y(inner.y)
    w, h = inner.cx * frame.scale, inner.cy * frame.scale
    across, down = (h, w) if shape.vertical else (w, h)
    laid: list[tuple[float, str, str, float, TextLine]] = []  # (top, text, font, size, line)
    top = 0.0
    for line in shape.lines:
        size = frame.size(line.size)
        font = _face(family, line)
        text = " ".join(runs_text(line.runs).split())
        top += frame.size(line.space_before) if laid else 0.0
        for piece in _wrapped(text, font, size, across + 0.5):
            laid.append((top, piece, font, size, line))
            top += size * LINE_HEIGHT * line.line_spacing
    shift = {"t": 0.0, "b": down - top}.get(shape.anchor, (down - top) / 2)
    out: list[Mark] = []
    for line_top, piece, font, size, line in laid:
        align = line.align or "l"
        u = {"ctr": across / 2, "r": across}.get(align, 0.0)
        if piece.startswith(HANGING):  # a bullet's continuation: under the text, not under the bullet
            piece = piece[len(HANGING):]
            u += pdfmetrics.stringWidth(BULLET, font, size) if align == "l" else 0.0
        v = shift + line_top + size * (LINE_HEIGHT - 1) / 2 + size * ASCENT
        colour = line.color or "000000"
        if shape.vertical:  # reads upwards: u runs from the bottom edge up, v from the left edge across
            out.append(Words(x + v, y + h - u, piece, font, size, colour, align, True))
        else:
            out.append(Words(x + u, y + v, piece, font, size, colour, align))
    return out


BULLET = "• "
HANGING = "\0"  # marks a continuation line of a bulleted item (stripped before drawing)


def _wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """The text's lines at `width`; a bulleted item ("• …") hangs its continuation lines under its text."""
    if not text.startswith(BULLET):
        return simpleSplit(text, font, size, width) or [""]
    indent = pdfmetrics.stringWidth(BULLET, font, size)
    lines = simpleSplit(text[len(BULLET):], font, size, width - indent) or [""]
    return [BULLET + lines[0]] + [HANGING + line for line in lines[1:]]


def _connector(line: ConnectorShape, frame: _Frame) -> list[Mark]:
    x1, y1 = frame.x(line.start[0]), frame.y(line.start[1])
    x2, y2 = frame.x(line.end[0]), frame.y(line.end[1])
    width = max(0.6, frame.size(line.width_pt))
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head = min(length / 3, max(5.0, width * 3.2))
    marks: list[Mark] = []
    if line.tail:
        marks.append(_arrowhead(x2, y2, ux, uy, head, line.color))
        x2, y2 = x2 - ux * head * 0.8, y2 - uy * head * 0.8
    if line.head:
        marks.append(_arrowhead(x1, y1, -ux, -uy, head, line.color))
        x1, y1 = x1 + ux * head * 0.8, y1 + uy * head * 0.8
    return [Stroke(x1, y1, x2, y2, line.color, width)] + marks


def _glyph(shape: IconShape, frame: _Frame) -> Glyph:
    """The icon scaled into its box: each path a polyline, each cubic Bézier in 12 straight pieces."""
    unit = shape.box.cx * frame.scale / shape.icon.size
    left, top = frame.x(shape.box.x), frame.y(shape.box.y)
    lines = tuple(tuple((left + x * unit, top + y * unit) for x, y in _flattened(path)) for path in shape.icon.paths)
    return Glyph(lines, tuple(p.filled for p in shape.icon.paths), shape.color,
                 max(0.5, frame.size(shape.line_pt)))


def _flattened(path: IconPath) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for step in path.steps:
        if step.op in ("M", "L"):
            points.append(step.points[0])
        elif step.op == "C" and points:
            (x0, y0), ((x1, y1), (x2, y2), (x3, y3)) = points[-1], step.points
            for i in range(1, 13):
                s = i / 12
                a, b, c, d = (1 - s) ** 3, 3 * (1 - s) ** 2 * s, 3 * (1 - s) * s ** 2, s ** 3
                points.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
        elif step.op == "Z" and points:
            start = next((s.points[0] for s in path.steps if s.op == "M"), points[0])
            points.append(start)
    return points


def _arrowhead(tip_x: float, tip_y: float, ux: float, uy: float, length: float, colour: str) -> Head:
    base_x, base_y = tip_x - ux * length, tip_y - uy * length
    half = length * 0.5
    return Head(((tip_x, tip_y), (base_x - uy * half, base_y + ux * half), (base_x + uy * half, base_y - ux * half)),
                colour)


# ── painting ─────────────────────────────────────────────────────────────────────────────────────
