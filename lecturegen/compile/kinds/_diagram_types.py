"""Compile layer: the diagram kind's placers — where each type puts its shapes in the content area.

A helper of kinds/diagram.py (the leading underscore keeps the registry from taking it for a kind), drawing
with _diagram_drawing.py. Tested through tests/compile/kinds/test_diagram.py.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from lecturegen.compile.kinds._diagram_drawing import (
    INCH,
    LABEL_INSETS,
    NODE_INSETS,
    Drawing,
    card_text,
    node_text,
    stage_text,
)
from lecturegen.model.colour import blend, contrast_ratio
from lecturegen.model.deck import Run
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import AutoShape

if TYPE_CHECKING:  # the record is defined with the kind, which imports this module to draw it
    from lecturegen.compile.kinds.diagram import Diagram


def _optical(area: Box, height: int) -> int:
    """The top of something `height` tall set optically centred in the area: a little above the middle."""
    return area.y + max(0, int((area.cy - height) * 0.42))


def _process(d: Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    # Room for an arrow that reads from the back of a room: the direction is often the slide's point.
    gap = max(int(0.75 * INCH), area.cx // 16)
    width = (area.cx - (n - 1) * gap) // n
    height = min(int(area.cy * 0.62), max(int(width * 0.8), int(1.6 * INCH)), area.cy)
    top = _optical(area, height)
    c = d.colours
    fills = [c.shade(c.accent, 0.3 * i / max(1, n - 1)) for i in range(n)]
    ink = c.on_all(fills)
    indices = []
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        box = Box(area.x + i * (width + gap), top, width, height)
        indices.append(d.shape(f"Step {i + 1}", box, "roundRect", fills[i], node_text(node.label, node.detail, ink),
                               icon=node.icon, icon_ink=ink))
    mid = top + height // 2
    pad = int(0.06 * INCH)
    for i in range(n - 1):
        d.step = i + 2  # with the step it leads to
        x1 = area.x + i * (width + gap) + width
        d.line(f"Arrow {i + 1}", (x1 + pad, mid), (x1 + gap - pad, mid), c.muted, 4.0,
               start_on=(indices[i], 3), end_on=(indices[i + 1], 1))


def _edge(centre: tuple[float, float], half: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where a line from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    scale = min(half[0] / abs(dx) if dx else math.inf, half[1] / abs(dy) if dy else math.inf)
    return centre[0] + dx * scale, centre[1] + dy * scale


def _cycle(d: Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    width = min(int(area.cx * 0.27), int(3.0 * INCH))
    height = min(int(area.cy * (0.26 if n <= 4 else 0.22)), int(width * 0.6))
    ry = (area.cy - height) / 2
    rx = min((area.cx - width) / 2, ry * 1.9)
    cx0, cy0 = area.x + area.cx / 2, area.y + area.cy / 2
    centres = [(cx0 + rx * math.cos(math.radians(-90 + 360 * i / n)),
                cy0 + ry * math.sin(math.radians(-90 + 360 * i / n))) for i in range(n)]
    fills = [c.accent if i % 2 == 0 else c.shade(c.accent, 0.25) for i in range(n)]
    ink = c.on_all(fills)
    for i, (node, (x, y)) in enumerate(zip(diagram.nodes, centres)):
        d.step = i + 1
        box = Box(int(x - width / 2), int(y - height / 2), width, height)
        d.shape(f"Step {i + 1}", box, "roundRect", fills[i], node_text(node.label, node.detail, ink), icon=node.icon,
                icon_ink=ink)
    half = (width / 2 + 0.08 * INCH, height / 2 + 0.08 * INCH)
    for i in range(n):
        d.step = min(i + 2, n)  # with the step it leads to; the arrow closing the cycle with the last
        a, b = centres[i], centres[(i + 1) % n]
        start, end = _edge(a, half, b), _edge(b, half, a)
        d.line(f"Arrow {i + 1}", (int(start[0]), int(start[1])), (int(end[0]), int(end[1])), c.muted, 2.5)
    d.step = 0
    if diagram.centre:
        cw = int(min(2 * rx - width * 1.1, 3.2 * INCH))
        ch = int(min(2 * ry - height * 1.2, 1.5 * INCH))
        if cw > INCH // 2 and ch > INCH // 3:
            box = Box(int(cx0 - cw / 2), int(cy0 - ch / 2), cw, ch)
            d.shape("Centre", box, "ellipse", c.tint(c.accent, 0.12),
                    node_text(diagram.centre, (), c.ink(c.text)), insets=LABEL_INSETS)


def _funnel(d: Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    gap = int(0.1 * INCH)
    height = min((area.cy - (n - 1) * gap) // n, int(1.3 * INCH))
    total = n * height + (n - 1) * gap
    top = _optical(area, total)
    widest = min(area.cx, int(10 * INCH))
    narrowest = 0.5
    fills = [c.shade(c.accent, 0.35 * i / max(1, n - 1)) for i in range(n)]
    ink = c.on_all(fills)
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        share = 1 - (1 - narrowest) * i / max(1, n - 1)
        width = int(widest * share)
        fill = fills[i]
        box = Box(area.x + (area.cx - width) // 2, top + i * (height + gap), width, height)
        value = node.value + ((Run("\u2002"),) if node.value and node.label else ())
        d.shape(f"Stage {i + 1}", box, "roundRect", fill, stage_text(value, node.label, node.detail, ink))


def _overlap(d: Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    fills = (c.accent, c.accent2, c.shade(c.accent, 0.4))
    step = 0.62  # distance between centres, in diameters
    if n == 2:
        diameter = min(area.cy * 0.95, area.cx / (1 + step))
        top = _optical(area, int(diameter))
        cy0 = top + diameter / 2
        mid = area.x + area.cx / 2
        centres = [(mid - step * diameter / 2, cy0), (mid + step * diameter / 2, cy0)]
        outward = [(-1.0, 0.0), (1.0, 0.0)]
    else:
        diameter = min(area.cy / (1 + step * 0.866), area.cx / (1 + step))
        height = diameter * (1 + step * 0.866)
        top = _optical(area, int(height))
        mid = area.x + area.cx / 2
        row = top + diameter / 2
        side = step * diameter
        centres = [(mid - side / 2, row), (mid + side / 2, row), (mid, row + side * 0.866)]
        centroid = (mid, row + side * 0.866 / 3)
        outward = []
        for x, y in centres:
            length = math.hypot(x - centroid[0], y - centroid[1])
            outward.append(((x - centroid[0]) / length, (y - centroid[1]) / length))
    ground = [blend(c.background, f, 0.28) for f in fills]
    for i, (x, y) in enumerate(centres):
        d.step = i + 1
        box = Box(int(x - diameter / 2), int(y - diameter / 2), int(diameter), int(diameter))
        d.shape(f"Circle {i + 1}", box, "ellipse", fills[i], alpha=0.28, outline=fills[i], outline_pt=2.0)
    for i, (node, (x, y), (ox, oy)) in enumerate(zip(diagram.nodes, centres, outward)):
        d.step = i + 1
        width = diameter * (0.46 if n == 2 else 0.5)
        height = diameter * (0.5 if n == 2 else 0.3)
        shift = diameter * (0.2 if n == 2 else 0.2)
        lx, ly = x + ox * shift, y + oy * shift
        box = Box(int(lx - width / 2), int(ly - height / 2), int(width), int(height))
        colour = c.text if contrast_ratio(c.text, ground[i]) >= 4.5 else c.on(ground[i])
        d.shape(f"Label {i + 1}", box, "rect", None, node_text(node.label, node.detail, colour), insets=LABEL_INSETS)
    d.step = len(centres)  # what they share, once they all stand
    if diagram.centre:
        if n == 2:
            width, height = diameter * 0.3, diameter * 0.4
            cx0, cy0 = area.x + area.cx / 2, centres[0][1]
        else:
            width, height = diameter * 0.26, diameter * 0.18
            cx0, cy0 = centroid
        box = Box(int(cx0 - width / 2), int(cy0 - height / 2), int(width), int(height))
        d.shape("Overlap", box, "rect", None, node_text(diagram.centre, (), c.text), insets=LABEL_INSETS)


def _matrix(d: Drawing, diagram: Diagram, area: Box) -> None:
    c = d.colours
    axis = int(0.8 * INCH)
    left = area.x + (axis if diagram.y_axis else 0)
    bottom = area.bottom - (axis if diagram.x_axis else 0)
    gap = int(0.12 * INCH)
    grid = Box(left, area.y, area.right - left, bottom - area.y - (gap if diagram.x_axis else 0))
    width, height = (grid.cx - gap) // 2, (grid.cy - gap) // 2
    fills = (c.tint(c.accent, 0.14), c.accent, c.tint(c.accent2, 0.14), c.tint(c.accent, 0.14))
    for i, node in enumerate(diagram.nodes[:4]):
        d.step = i + 1
        row, col = divmod(i, 2)
        box = Box(grid.x + col * (width + gap), grid.y + row * (height + gap), width, height)
        d.shape(f"Cell {i + 1}", box, "roundRect", fills[i], node_text(node.label, node.detail, c.on(fills[i])),
                icon=node.icon, icon_ink=c.on(fills[i]))
    d.step = 0
    if diagram.x_axis:
        y = grid.bottom + gap + int(0.06 * INCH)
        d.line("Axis across", (grid.x, y), (grid.right, y), c.muted, 2.0)
        d.shape("Axis label across", Box(grid.x, y + int(0.04 * INCH), grid.cx, area.bottom - y - int(0.04 * INCH)),
                "rect", None, node_text(diagram.x_axis, (), c.ink(c.muted), bold=False), insets=LABEL_INSETS,
                anchor="t")
    if diagram.y_axis:
        x = grid.x - gap - int(0.06 * INCH)
        d.line("Axis up", (x, grid.bottom), (x, grid.y), c.muted, 2.0)
        d.shape("Axis label up", Box(area.x, grid.y, x - area.x - int(0.04 * INCH), grid.cy), "rect", None,
                node_text(diagram.y_axis, (), c.ink(c.muted), bold=False), insets=LABEL_INSETS, anchor="ctr",
                vertical=True)


def _timeline(d: Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    slot = area.cx // n
    gap = int(0.12 * INCH)
    when_h = int(min(area.cy * 0.22, 1.0 * INCH))
    label_h = int(min(area.cy * 0.5, 2.4 * INCH))
    dot = int(0.26 * INCH)
    total = when_h + dot + label_h + 2 * gap
    top = _optical(area, total)
    axis_y = top + when_h + gap + dot // 2
    d.line("Time", (area.x, axis_y), (area.right, axis_y), c.muted, 3.0)
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        x = area.x + i * slot + slot // 2
        d.shape(f"Event {i + 1}", Box(x - dot // 2, axis_y - dot // 2, dot, dot), "ellipse", c.accent,
                outline=c.background, outline_pt=2.0)
        d.shape(f"When {i + 1}", Box(x - (slot - gap) // 2, top, slot - gap, when_h), "rect", None,
                node_text(node.value, (), c.ink(c.accent)), insets=LABEL_INSETS, anchor="b")
        d.shape(f"What {i + 1}", Box(x - (slot - gap) // 2, axis_y + dot // 2 + gap, slot - gap, label_h), "rect",
                None, node_text(node.label, node.detail, c.text, bold=False), insets=LABEL_INSETS, anchor="t", icon=node.icon)


def _cards(d: Drawing, diagram: Diagram, area: Box) -> None:
    n = len(diagram.nodes)
    c = d.colours
    gap = int(0.3 * INCH)
    width = (area.cx - (n - 1) * gap) // n
    head_h = int(min(area.cy * 0.22, 1.1 * INCH))
    body_h = int(min(area.cy - head_h, max(area.cy * 0.6, 2.5 * INCH)))
    top = _optical(area, head_h + body_h)
    heads = (c.accent, c.accent2, c.shade(c.accent, 0.35))
    for i, node in enumerate(diagram.nodes):
        d.step = i + 1
        x = area.x + i * (width + gap)
        fill = heads[i % 3]
        d.shape(f"Card {i + 1} heading", Box(x, top, width, head_h), "rect", fill,
                node_text(node.label, (), c.on(fill)), heading=True, icon=node.icon, icon_at="left", icon_ink=c.on(fill))
        body = c.tint(fill, 0.1)
        d.shape(f"Card {i + 1}", Box(x, top + head_h, width, body_h), "rect", body,
                card_text(node.bullets, node.detail, c.on(body) if contrast_ratio(c.text, body) < 4.5 else c.text),
                anchor="t", outline=c.tint(fill, 0.35), outline_pt=1.0)

    def settle(drawing: Drawing) -> None:
        """Cards as tall as their longest text needs (at least half the area), optically centred again."""
        bodies = [ch for ch in drawing.children if isinstance(ch, AutoShape) and not ch.name.endswith("heading")]
        needed = max(int(b.measured_height * 12700) + NODE_INSETS.top + NODE_INSETS.bottom for b in bodies)
        # A line's worth of room to spare: a viewer that wraps one word differently must not overflow the card.
        spare = int(max((line.size for b in bodies for line in b.lines), default=0.0) * 1.2 * 12700)
        height = min(body_h, max(int(needed * 1.15), needed + spare, area.cy // 2 - head_h))
        new_top = _optical(area, head_h + height)
        for index, child in enumerate(drawing.children):
            if isinstance(child, AutoShape):
                box = child.box
                cy = height if child in bodies else box.cy
                y = new_top + (head_h if child in bodies else 0)
                drawing.children[index] = replace(child, box=Box(box.x, y, box.cx, cy))

    d.settle = settle


def _continuum(d: Drawing, diagram: Diagram, area: Box) -> None:
    c = d.colours
    inset = int(0.15 * INCH)
    label_h = int(min(area.cy * 0.28, 1.3 * INCH))
    marker_h = int(min(area.cy * 0.3, 1.4 * INCH)) if diagram.marker else 0
    dot = int(0.4 * INCH)
    total = marker_h + dot + label_h + int(0.3 * INCH)
    top = _optical(area, total)
    bar_y = top + marker_h + dot // 2 + int(0.1 * INCH)
    x0, x1 = area.x + inset, area.right - inset
    d.line("Continuum", (x0, bar_y), (x1, bar_y), c.accent, 6.0, head=True, tail=True)
    end_w = int(area.cx * 0.42)
    d.shape("From", Box(area.x, bar_y + dot // 2 + int(0.08 * INCH), end_w, label_h), "rect", None,
            node_text(diagram.start, (), c.ink(c.text), align="l"), insets=LABEL_INSETS, anchor="t")
    d.shape("To", Box(area.right - end_w, bar_y + dot // 2 + int(0.08 * INCH), end_w, label_h), "rect", None,
            node_text(diagram.end, (), c.ink(c.text), align="r"), insets=LABEL_INSETS, anchor="t")
    if diagram.marker:
        d.step = 1
        x = int(x0 + (x1 - x0) * diagram.at)
        d.shape("Marker", Box(x - dot // 2, bar_y - dot // 2, dot, dot), "ellipse", c.accent2, outline=c.background,
                outline_pt=2.5)
        width = int(area.cx * 0.5)
        left = min(max(area.x, x - width // 2), area.right - width)
        align = "ctr" if left == x - width // 2 else ("l" if left == area.x else "r")
        d.shape("Marker label", Box(left, top, width, marker_h), "rect", None,
                node_text(diagram.marker, (), c.ink(c.accent2), align=align), insets=LABEL_INSETS, anchor="b")


PLACERS: dict[str, Callable[[Drawing, Diagram, Box], None]] = {
    "continuum": _continuum,
    "process": _process,
    "cycle": _cycle,
    "funnel": _funnel,
    "overlap": _overlap,
    "matrix": _matrix,
    "timeline": _timeline,
    "cards": _cards,
}
