"""Compile layer: every word readable against what the template really draws behind it.

A text colour is judged against the layout's backdrop under the text's box (a photo, a gradient, a dark band
the master draws), not against one "background colour". Where the colour the text would get falls below
WCAG AA, the template's own contrasting colour is used (dk1, lt1, dk2, lt2); where no single colour reads on
all of the backdrop (a busy photograph), a scrim goes under the text.
"""

from __future__ import annotations

from dataclasses import replace

from lecturegen.model.backdrop import readable_colour, worst_contrast
from lecturegen.model.geometry import Box, Insets, emu
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.deck import Slide
from lecturegen.model.shapes import PictureShape, RectShape, Shape, TextLine, TextShape
from lecturegen.model.style import DeckStyle
from lecturegen.model.template import Layout, Template
from lecturegen.model.text import runs_text

WCAG_NORMAL = 4.5
WCAG_LARGE = 3.0
# Where no colour reads: black at 55 % under white text (white on it passes AA over any photo), or white at 75 %.
DARK_SCRIM = ("000000", 0.55)
LIGHT_SCRIM = ("FFFFFF", 0.75)


def minimum_contrast(line: TextLine) -> float:
    """WCAG's threshold for a line's size: large text (18 pt, or 14 pt bold) needs 3:1, the rest 4.5:1."""
    large = line.size >= 18 or (line.bold and line.size >= 14)
    return WCAG_LARGE if large else WCAG_NORMAL


def shown_colour(shape: TextShape, line: TextLine, layout: Layout, style: DeckStyle) -> str:
    """The colour a viewer draws the line in: its own, else what its placeholder inherits, else the text's."""
    if line.color:
        return line.color
    if shape.placeholder is not None:
        ph = next((p for p in layout.placeholders if p.type == shape.placeholder.type
                   and p.idx == shape.placeholder.idx), None) or layout.get(shape.role)
        if ph is not None:
            return ph.level(line.level).ink
    return style.colors["text"]


def make_readable(shapes: list[Shape], layout: Layout, template: Template, style: DeckStyle) -> list[Shape]:
    """The slide's shapes with every text line in a colour that reads on the backdrop under it."""
    backdrop = layout.backdrop
    if backdrop is None:
        return shapes
    out: list[Shape] = []
    covered: list[Box] = []  # boxes with their own opaque ground (a scrim, a filled card, a table, a chart)
    for shape in shapes:
        if isinstance(shape, RectShape) and shape.alpha >= 0.5:
            covered.append(shape.box)
        if not isinstance(shape, TextShape) or shape.fill or shape.field == "slidenum" and not shape.lines \
                or any(box.intersection(shape.box) == shape.box for box in covered):
            out.append(shape)
            continue
        fixed, scrim = _fix(shape, layout, template, style)
        if scrim is not None:
            out.append(scrim)
        out.append(fixed)
    return out


def _fix(shape: TextShape, layout: Layout, template: Template, style: DeckStyle) -> tuple[TextShape, RectShape | None]:
    backdrop = layout.backdrop
    assert backdrop is not None
    box = _text_extent(shape, layout)
    if box.cx <= 0 or box.cy <= 0:
        return shape, None
    scheme = template.scheme
    lines = list(shape.lines)
    needs_scrim = False
    for index, line in enumerate(lines):
        if not line.text.strip():
            continue
        current = shown_colour(shape, line, layout, style)
        minimum = minimum_contrast(line)
        if worst_contrast(current, backdrop, box, template.width, template.height) >= minimum:
            continue
        candidates = tuple(dict.fromkeys((current, style.colors["text"], scheme.get("dk1", "000000"),
                                          scheme.get("lt1", "FFFFFF"), scheme.get("dk2", "000000"),
                                          scheme.get("lt2", "FFFFFF"), "000000", "FFFFFF")))
        colour, reads = readable_colour(candidates, backdrop, box, template.width, template.height, minimum)
        if not reads:
            needs_scrim = True
            break
        lines[index] = replace(line, color=colour)
    if not needs_scrim:
        return replace(shape, lines=tuple(lines)), None
    # No colour reads everywhere: a scrim under the whole box, and the text in the colour that reads on it.
    dark = worst_contrast("FFFFFF", backdrop, box, template.width, template.height) >= \
        worst_contrast("000000", backdrop, box, template.width, template.height)
    fill, alpha = DARK_SCRIM if dark else LIGHT_SCRIM
    ink = "FFFFFF" if dark else "000000"
    text_lines = tuple(replace(line, color=ink) for line in shape.lines)
    pad = Insets(shape.insets.left // 2, shape.insets.top // 2, shape.insets.right // 2, shape.insets.bottom // 2)
    ground = Box(box.x - pad.left, box.y - pad.top, box.cx + pad.left + pad.right, box.cy + pad.top + pad.bottom)
    return replace(shape, lines=text_lines), RectShape(f"Scrim behind {shape.name}", ground, fill, alpha)


def _text_extent(shape: TextShape, layout: Layout) -> Box:
    """Where the text stands inside its box: as tall as it measured, at the top, middle or foot (its anchor, or
    that of the layout's placeholder it inherits from)."""
    own = layout.get(shape.role) if shape.anchor is None else None
    inherited = own.anchor if own is not None else None
    inner = shape.insets.inner(shape.box)
    height = min(inner.cy, emu(shape.measured_height)) if shape.measured_height > 0 else inner.cy
    anchor = shape.anchor or inherited or "t"
    top = inner.y if anchor == "t" else inner.bottom - height if anchor == "b" else inner.y + (inner.cy - height) // 2
    return Box(inner.x, top, inner.cx, height)


def contrast_findings(slides: tuple[Slide, ...], template: Template, style: DeckStyle, diags: Diagnostics) -> None:
    """Every text line under 3:1 against what its layout draws behind it: what `check` reports."""
    for number, slide in enumerate(slides, start=1):
        layout = template.layout(slide.layout) or template.roles["content"]
        if layout.backdrop is None or any(isinstance(s, PictureShape) and s.backdrop for s in slide.shapes):
            continue
        covered: list[Box] = []
        for shape in slide.shapes:
            if isinstance(shape, RectShape) and shape.alpha >= 0.5:
                covered.append(shape.box)
            if not isinstance(shape, TextShape) or shape.fill:
                continue
            box = _text_extent(shape, layout)
            if any(ground.intersection(box) == box for ground in covered):
                continue
            for line in shape.lines:
                words = line.text.strip()
                if not words or box.cx <= 0 or box.cy <= 0:
                    continue
                colour = shown_colour(shape, line, layout, style)
                ratio = worst_contrast(colour, layout.backdrop, box, template.width, template.height)
                if ratio < WCAG_LARGE:
                    title = runs_text(slide.title)[:50]
                    diags.warning(f"slide {number} ('{title}'): '{words[:40]}' in '{shape.name}' is #{colour} on "
                                  f"what the layout draws there; contrast {ratio:.1f}:1, under 3:1",
                                  "a11y.contrast", slide.location,
                                  hint="the template's own colours do not read there; choose another layout in "
                                       "theme.yaml 'layouts:'")
