"""Compile layer: what a strict checker or LibreOffice would find on the laid-out slides, found in the model.

The same checks the shared pptx checker makes — shapes off the slide, text needing more room than its
frame, shapes overlapping, pictures below 150 dpi, text below the smallest readable size — computed from
the shapes' final boxes and measured heights, so `check` and `build` report them before anything is written.
`rendered_findings` compares a LibreOffice rendering with the same model (`check --render`).
"""

from __future__ import annotations

from typing import Sequence

from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Deck, Slide
from lecturegen.model.geometry import EMU_PER_INCH, Box
from lecturegen.model.shapes import PictureShape, RectShape, Shape, TableShape, TextShape, dpi_text
from lecturegen.records import record
from lecturegen.model.text import runs_text

TOLERANCE = int(0.05 * EMU_PER_INCH)
OVERFLOW_RATIO = 1.05  # pptxcheck reports text needing more than 105 % of its frame and 3 pt
OVERFLOW_PT = 3.0
MIN_DPI = 150
MIN_FONT_PT = 14.0
_OVERLAP_SHARE = 0.04
_OVERLAP_MIN_AREA = int(0.05 * EMU_PER_INCH * EMU_PER_INCH)


def text_extent(shape: TextShape) -> Box:
    """The area the text really covers: the frame's top inset plus the measured lines (or the frame)."""
    inner = shape.insets.inner(shape.box)
    height = int(shape.measured_height * 12700)
    if shape.anchor == "ctr":
        top = inner.y + max(0, (inner.cy - height) // 2)
    elif shape.anchor == "b":
        top = inner.bottom - height
    else:
        top = inner.y
    return Box(shape.box.x, top, shape.box.cx, min(height, max(inner.cy, height)))


def _extent(shape: Shape) -> Box:
    return text_extent(shape) if isinstance(shape, TextShape) else shape.box


def _name(slide: Slide, number: int) -> str:
    title = runs_text(slide.title)[:50]
    return f"slide {number} ('{title}')" if title else f"slide {number}"


def geometry_findings(deck: Deck, diags: Diagnostics, obstacles: dict[str, tuple[Box, ...]] | None = None) -> None:
    reported = {(d.location, d.code.split(".")[0]) for d in diags.items}
    page = Box(0, 0, deck.width, deck.height)
    for number, slide in enumerate(deck.slides, start=1):
        at = slide.location
        fitted = (at, "fit") in reported
        where = _name(slide, number)
        for shape in slide.shapes:
            if not shape.box.inside(page, TOLERANCE):
                diags.error(f"{where}: '{shape.name}' reaches beyond the slide ({_inches(shape.box)})",
                            "geometry.off-slide", at, hint="the template's layout places it there; check the layout")
            if isinstance(shape, TextShape) and not fitted:
                capacity = shape.insets.inner(shape.box).height_pt
                if shape.measured_height > capacity * OVERFLOW_RATIO and shape.measured_height > capacity + OVERFLOW_PT:
                    diags.error(f"{where}: text in '{shape.name}' needs {shape.measured_height:.0f} pt but its box "
                                f"has {capacity:.0f} pt", "geometry.overflow", at)
            if isinstance(shape, TextShape | TableShape):
                lines = [line for line in shape.lines] if isinstance(shape, TextShape) else \
                    [line for row in shape.rows for cell in row for line in cell.lines]
                small = [line for line in lines if line.text.strip() and line.size < MIN_FONT_PT - 0.05]
                if small:
                    diags.warning(f"{where}: text in '{shape.name}' is {min(s.size for s in small):g} pt, below "
                                  f"{MIN_FONT_PT:g} pt", "geometry.small-font", at)
            if isinstance(shape, PictureShape) and (shape.box.cx <= 0 or shape.box.cy <= 0):
                diags.warning(f"{where}: picture '{shape.alt[:40]}' ({shape.media.width_px}×{shape.media.height_px} px) "
                              f"has no visible size on the slide ({_inches(shape.box)})", "geometry.no-room", at,
                              hint="crop a picture this thin, or give it room: shorten the title or the caption")
            elif isinstance(shape, PictureShape) and shape.dpi < MIN_DPI and (at, "image") not in reported:
                diags.warning(f"{where}: picture '{shape.alt[:40]}' is {dpi_text(shape.dpi)} at its size",
                              "geometry.low-dpi", at)
        _overlaps(slide, where, diags, (obstacles or {}).get(slide.layout, ()))


def _overlaps(slide: Slide, where: str, diags: Diagnostics, obstacles: tuple[Box, ...]) -> None:
    # Scrims and backdrop photos are meant to carry text.
    shapes = [s for s in slide.shapes if not isinstance(s, RectShape)
              and not (isinstance(s, PictureShape) and s.backdrop)]
    boxes = [(s.name, _extent(s)) for s in shapes]
    boxes += [("the layout's picture", b) for b in obstacles]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            (a_name, a), (b_name, b) = boxes[i], boxes[j]
            if i >= len(shapes) and j >= len(shapes):
                continue
            hit = a.intersection(b)
            if hit is None:
                continue
            smaller = min(a.area, b.area)
            if hit.area > smaller * _OVERLAP_SHARE and hit.area > _OVERLAP_MIN_AREA:
                diags.warning(f"{where}: '{a_name}' and '{b_name}' overlap", "geometry.overlap", slide.location)


def _inches(box: Box) -> str:
    f = EMU_PER_INCH
    return f"{box.x / f:.2f},{box.y / f:.2f} in, {box.cx / f:.2f}×{box.cy / f:.2f} in"


@record
class RenderedPage:
    """Word boxes LibreOffice drew on one page, in EMU on the slide."""

    words: tuple[tuple[str, Box], ...]


def rendered_findings(deck: Deck, pages: Sequence[RenderedPage], diags: Diagnostics) -> None:
    """Each visible slide is one page, and every word LibreOffice drew lies inside a text frame of the model."""
    visible = [s for s in deck.slides if not s.hidden]
    if len(pages) != len(visible):
        diags.error(f"LibreOffice rendered {len(pages)} pages for {len(visible)} visible slides", "render.pages",
                    None)
    numbered = [(n, s) for n, s in enumerate(deck.slides, start=1) if not s.hidden]
    for (number, slide), page in zip(numbered, pages):
        frames = [s.box for s in slide.shapes if isinstance(s, TextShape)]
        frames += [s.box for s in slide.shapes if isinstance(s, TableShape)]
        tolerance = int(0.06 * EMU_PER_INCH)
        charts = [s.box for s in slide.shapes if not isinstance(s, TextShape | TableShape | RectShape)]
        # A chart's own labels may stand a little beyond its frame in LibreOffice (rotated axis labels):
        # words that touch a chart frame belong to it. Each drawn word is judged by its own box, never by
        # its text (a caption's "(2023)" is not the chart's "(2023)").
        # A drawn word's box is its font's whole em box: in large type set at 90 % line spacing, the descent of
        # the last line stands below the frame though no glyph does. A quarter of the word's height is allowed.
        outside = [word for word, box in page.words
                   if not any(box.inside(frame, max(tolerance, box.cy // 4)) for frame in frames)
                   and not any(box.overlaps(chart) for chart in charts)]
        if outside:
            diags.error(f"{_name(slide, number)}: LibreOffice drew {len(outside)} word(s) outside their text frames "
                        f"(first: '{outside[0][:30]}')", "render.outside", slide.location)


__all__ = ["Location", "geometry_findings", "rendered_findings", "RenderedPage", "text_extent"]
