"""Compile layer: the question slide kind — one large question to the room (it is the slide's title, for the
outline and screen readers) and a prompt under it."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter
from lecturegen.compile.placing import BOX_INSETS, union
from lecturegen.diagnostics import Location
from lecturegen.model.colour import contrast_ratio
from lecturegen.model.deck import Paragraph, Slide
from lecturegen.model.geometry import EMU_PER_PT, Box
from lecturegen.model.shapes import Shape, TextLine
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class QuestionSpec:
    location: Location
    question: TextSpec
    prompt: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        return tuple(t for t in (self.question, self.prompt) if t is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    question = field_text(fields, "question", required=True)
    prompt = field_text(fields, "prompt")
    return QuestionSpec(fields.loc(), question, prompt) if question is not None else None


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, QuestionSpec)
    body = (Paragraph(ctx.text.runs(spec.prompt), style="prompt"),) if spec.prompt else ()
    return replace(slide, title=ctx.text.runs(spec.question), body=body)


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """The question in the middle of the slide, set in the title placeholder; the prompt in a box under it."""
    frame = layouter.frame(slide.layout)
    ph = frame.layout.get("title")
    area = frame.content
    background = layouter.style.color("background")
    # The title's colour is designed for what lies behind the title box. When it does not read on the
    # slide's own background (white titles on a band or a side column the master draws), the question
    # keeps to the content area, in the text colour; otherwise it may use the title's room too.
    title_reads = contrast_ratio(layouter.style.color("title"), background) >= 3.0
    colour = None
    if ph is not None and title_reads:
        area = union([area, ph.box]).intersection(layouter.template.slide_box) or area
    elif ph is not None:
        colour = layouter.style.color("text")
    for obstacle in frame.obstacles:
        area = area.avoiding(obstacle)
    body_ph = replace(ph, role="body", type="body", idx=None) if ph is not None else None
    lines = tuple(replace(ln, align="ctr") for ln in (layouter.lines(slide.body, body_ph) if body_ph else ()))
    prompt_h = _prompt_height(lines, area, layouter) if slide.body else 0
    shapes: list[Shape] = []
    title_shape = None
    if ph is not None:
        question = (Paragraph(slide.title, style="question"),)
        qbox = Box(area.x, area.y, area.cx, area.cy - prompt_h)
        shape, fits = layouter.fit_region(slide, ph, qbox, question, "Title", "title", anchor="ctr")
        if not fits:
            layouter.overflow(slide, "question", "ask a shorter question; put the detail in the notes", fatal=False)
        title_shape = replace(shape, inherit_box=False,
                              lines=tuple(replace(ln, align="ctr", color=colour or ln.color) for ln in shape.lines))
    if slide.body:
        pbox = Box(area.x, area.bottom - prompt_h, area.cx, prompt_h)
        shapes.append(layouter.box_shape("Prompt", "label", pbox, lines, anchor="t"))
    return [layouter.finish(slide, frame, shapes, None, title=title_shape)]


def _prompt_height(lines: tuple[TextLine, ...], area: Box, layouter: SlideLayouter) -> int:
    """A quarter of the area, or what a longer prompt needs (with a tenth to spare), up to half of it."""
    measured = layouter.box_shape("Prompt", "label", area, lines)
    needed = int(measured.measured_height * 1.1 * EMU_PER_PT) + BOX_INSETS.top + BOX_INSETS.bottom
    return min(area.cy // 2, max(area.cy // 4, needed))


KIND = Kind(name="question", keys=frozenset({"question", "prompt"}), parse=parse, build=build, role="title-only",
            place=None, minimum_minutes=0.5, lay=lay)
