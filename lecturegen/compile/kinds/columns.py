"""Compile layer: the two-column and comparison slide kinds — two lists side by side, each with an optional
heading (a comparison's in the layout's heading placeholders). `lay_columns` also places a long agenda."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter
from lecturegen.compile.kinds.bullets import walk
from lecturegen.compile.placing import GAP, OPTICAL_CENTRE, stack_above, two_sides
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Column, Paragraph, Slide
from lecturegen.model.geometry import Box, emu
from lecturegen.model.shapes import Shape, TextShape
from lecturegen.model.template import Placeholder
from lecturegen.records import record
from lecturegen.sources.outline import parse_column
from lecturegen.sources.specs import ColumnSpec, KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields

KEYS = frozenset({"left", "right"})


@record
class ColumnsSpec:
    location: Location
    left: ColumnSpec | None
    right: ColumnSpec | None

    def texts(self) -> tuple[TextSpec, ...]:
        out: list[TextSpec] = []
        for column in (self.left, self.right):
            if column is not None:
                out.extend(([column.heading] if column.heading is not None else []) + list(walk(column.bullets)))
        return tuple(out)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    left = parse_column(fields.require("left"), fields.ctx, "left")
    right = parse_column(fields.require("right"), fields.ctx, "right")
    return ColumnsSpec(fields.loc(), left, right)


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, ColumnsSpec)
    columns = tuple(
        Column(heading=ctx.text.runs(col.heading) if col.heading else (), body=ctx.text.bullets(col.bullets))
        for col in (spec.left, spec.right) if col is not None
    )
    return replace(slide, columns=columns)


def _two_column(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    return lay_columns(slide, layouter, headed=False, centred=True)


def _comparison(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    return lay_columns(slide, layouter, headed=True, centred=True)


def lay_columns(slide: Slide, layouter: SlideLayouter, headed: bool, centred: bool) -> list[Slide]:
    """The slide's columns in the layout's two content placeholders (or two halves of one); `headed`: in its
    heading placeholders too, where it has them; `centred`: two short columns stand optically centred."""
    frame = layouter.frame(slide.layout)
    layout = frame.layout
    line = layouter.caption_line(slide, frame)
    shapes: list[Shape] = []
    sides = two_sides(layout)
    if sides is None:
        return [layouter.finish(slide, frame, [], line)]
    left, right = sides
    headings = (layout.get("heading1"), layout.get("heading2")) if headed else (None, None)
    ok = True
    for index, (column, ph, heading_ph) in enumerate(zip(slide.columns[:2], (left, right), headings)):
        paragraphs = column.body
        if column.heading and heading_ph is None:
            paragraphs = (Paragraph(column.heading, style="heading"),) + paragraphs
        boxes = [layouter.region(frame, ph, slide)]
        if heading_ph is not None and column.heading:
            boxes.append(layouter.region(frame, heading_ph, slide))
        if line is not None:
            boxes = stack_above(boxes, line.box.y - GAP // 2)
        if heading_ph is not None and column.heading:
            hshape, hfits = layouter.fit_region(slide, heading_ph, boxes[1],
                                                (Paragraph(column.heading, style="heading"),),
                                                f"Heading {index + 1}", heading_ph.role)
            ok &= hfits
            shapes.append(hshape)
        shape, fits = layouter.fit_region(slide, ph, boxes[0], paragraphs, f"Content {index + 1}", ph.role)
        ok &= fits
        shapes.append(shape)
    if not ok:
        layouter.overflow(slide, "text", "shorten the columns or split them over two slides", tuple(shapes))
    elif centred and all(h is None for h in headings):
        shapes = _columns_centred(shapes, (left, right))
    return [layouter.finish(slide, frame, shapes, line)]


def _columns_centred(shapes: list[Shape], sides: tuple[Placeholder, Placeholder]) -> list[Shape]:
    """Two short columns (their headings in the text) start together a little above the middle of their
    area, instead of at its top with the lower half empty."""
    texts = [s for s in shapes if isinstance(s, TextShape)]
    if len(texts) != 2 or texts[0].box.y != texts[1].box.y or texts[0].box.cy != texts[1].box.cy:
        return shapes
    area = texts[0].box
    ph = sides[0]
    tallest = max(t.measured_height for t in texts)
    needed = min(area.cy, emu(tallest * 1.15) + ph.insets.top + ph.insets.bottom)
    spare = area.cy - needed
    if spare < area.cy // 4:
        return shapes
    top = area.y + int(spare * OPTICAL_CENTRE)
    return [replace(t, box=Box(t.box.x, top, t.box.cx, needed), inherit_box=False, anchor="t") for t in texts]


KINDS = (
    Kind(name="two-column", keys=KEYS, parse=parse, build=build, role="two-content", place=None,
         minimum_minutes=1.0, lay=_two_column, reveal=True),
    Kind(name="comparison", keys=KEYS, parse=parse, build=build, role="comparison", place=None,
         minimum_minutes=1.0, lay=_comparison, reveal=True),
)
